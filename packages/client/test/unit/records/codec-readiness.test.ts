/**
 * Which codec a new writer may take at once (`codecReadyToCompress`): one
 * whose encoder has been prepared through the shared loader, whichever
 * caller prepared it. A file of its own: the codec registry is per process,
 * and here ZSTD starts unloaded.
 */
import { describe, expect, it } from "vitest";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { RowBatchBuilder } from "../../../src/row/index.js";
import { codecReadyToCompress, encodeArrowRecordBatch, loadCodec, parseArrowMessage } from "../../../src/wire/records/index.js";

describe("codecReadyToCompress", () => {
  it("is nothing for a ZSTD codec loaded for reading, and the codec once encodeArrowRecordBatch has prepared its encoder", async () => {
    expect(codecReadyToCompress("ZSTD")).toBeUndefined();
    await loadCodec("ZSTD"); // the decoder, as getTable loads it
    expect(codecReadyToCompress("ZSTD")).toBeUndefined();

    const builder = new RowBatchBuilder(new Schema([{ name: "text", type: DataTypes.string() }]));
    for (let i = 0; i < 2_000; i++) builder.append({ text: `fluss row ${i % 10}` });
    const { bytes, payloadOffset } = await encodeArrowRecordBatch(builder.build(), { compression: { codec: "ZSTD", level: 3 } });
    expect(parseArrowMessage(bytes.subarray(payloadOffset)).codec).toBe("ZSTD");
    expect(codecReadyToCompress("ZSTD")).toBe(await loadCodec("ZSTD"));
  });
});
