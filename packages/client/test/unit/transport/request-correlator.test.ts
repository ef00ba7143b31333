import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { RequestCorrelator } from "../../../src/transport/request-correlator.js";

describe("RequestCorrelator", () => {
  it("matches out-of-order responses to their requests", async () => {
    const correlator = new RequestCorrelator(() => "peer");
    const a = correlator.register(1000, 1012);
    const b = correlator.register(1000, 1012);
    expect(b.requestId).toBe(a.requestId + 1);
    correlator.complete({ kind: "success", requestId: b.requestId, body: new Uint8Array([2]) });
    correlator.complete({ kind: "success", requestId: a.requestId, body: new Uint8Array([1]) });
    expect([...(await a.response).body]).toEqual([1]);
    expect([...(await b.response).body]).toEqual([2]);
    expect(correlator.inFlight).toBe(0);
  });

  it("times a silent request out with REQUEST_TIME_OUT and ignores its late answer", async () => {
    const correlator = new RequestCorrelator(() => "127.0.0.1:1");
    const { requestId, response } = correlator.register(20, 1999);
    await expect(response).rejects.toMatchObject({ errorCode: ErrorCode.REQUEST_TIME_OUT });
    expect(correlator.complete({ kind: "success", requestId, body: new Uint8Array() })).toBe(false);
  });

  it("fails everything in flight, and everything after, when closed", async () => {
    const correlator = new RequestCorrelator(() => "peer");
    const pending = correlator.register(1000, 1012).response;
    const dropped = new FlussError("gone", ErrorCode.NETWORK_EXCEPTION);
    correlator.close(dropped);
    await expect(pending).rejects.toBe(dropped);
    await expect(correlator.register(1000, 1012).response).rejects.toBe(dropped);
  });
});
