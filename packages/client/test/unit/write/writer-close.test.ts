/**
 * `AppendWriter.close` against a cluster that never answers (a stand-in
 * whose calls stay pending, as behind a network partition): without a limit
 * it waits, as the official clients do; a limit given to any call, also to a
 * later call while the first is waiting, fails what is left and ends it.
 */
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../src/errors/index.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { writerToSilentCluster } from "./helpers.js";

const schema = new Schema([{ name: "id", type: DataTypes.bigint() }]);

describe("AppendWriter.close against a cluster that never answers", () => {
  it("fails the waiting rows when a later call sets a limit on the close under way", async () => {
    const writer = writerToSilentCluster(schema);
    const row = writer.append({ id: 1n });
    const first = writer.close();
    const outcome = first.then(() => "resolved", (error: { errorCode: number; message: string }) => error);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    const second = writer.close({ timeoutMs: 50 });
    await expect(second).rejects.toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR, message: expect.stringMatching(/not acknowledged within 50 ms/) });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await outcome).toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR });
    await expect(row.wait()).rejects.toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR });
  });

  it("keeps the earliest limit when calls give several", async () => {
    const writer = writerToSilentCluster(schema);
    writer.append({ id: 1n });
    const started = Date.now();
    const first = writer.close({ timeoutMs: 60 });
    const second = writer.close({ timeoutMs: 10_000 });
    await expect(first).rejects.toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR });
    await expect(second).rejects.toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses a limit that is no duration", async () => {
    const writer = writerToSilentCluster(schema);
    await expect(writer.close({ timeoutMs: -1 })).rejects.toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR, message: "invalid close timeout -1" });
    await writer.close({ timeoutMs: 0 }); // nothing appended: closes at once
  });
});
