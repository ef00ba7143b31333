import { describe, expect, it } from "vitest";
import { withRetry } from "../../../src/client/retry.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";

const fast = { maxAttempts: 4, initialBackoffMs: 1, maxBackoffMs: 2 };

describe("withRetry", () => {
  it("refreshes metadata on stale-metadata errors, then succeeds", async () => {
    let refreshed = 0;
    let attempts = 0;
    const result = await withRetry(
      async () => {
        attempts += 1;
        if (attempts < 3) throw new FlussError("moved", ErrorCode.NOT_LEADER_OR_FOLLOWER);
        return "ok";
      },
      { policy: fast, onStaleMetadata: () => void refreshed++ },
    );
    expect(result).toBe("ok");
    expect(attempts).toBe(3);
    expect(refreshed).toBe(2);
  });

  it("gives up after maxAttempts with the last error", async () => {
    let attempts = 0;
    const failing = withRetry(async () => {
      attempts += 1;
      throw new FlussError("no leader", ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
    }, { policy: fast });
    await expect(failing).rejects.toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION });
    expect(attempts).toBe(4);
  });

  it.each([
    ["a non-retriable server error", new FlussError("gone", ErrorCode.TABLE_NOT_EXIST)],
    ["a request timeout (the caller's deadline)", new FlussError("slow", ErrorCode.REQUEST_TIME_OUT)],
    ["a client error", FlussError.client("bad argument")],
  ])("does not repeat %s", async (_label, error) => {
    let attempts = 0;
    await expect(withRetry(async () => {
      attempts += 1;
      throw error;
    }, { policy: fast })).rejects.toBe(error);
    expect(attempts).toBe(1);
  });

  it("wraps anything thrown into a FlussError", async () => {
    await expect(withRetry(async () => { throw new TypeError("boom"); }, { policy: fast })).rejects.toMatchObject({
      errorCode: ErrorCode.CLIENT_ERROR,
      message: "boom",
    });
  });
});
