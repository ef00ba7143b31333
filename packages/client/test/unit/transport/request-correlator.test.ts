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

  describe("watching for silence", () => {
    function watched(): { correlator: RequestCorrelator; read: () => void; silences: string[] } {
      let reads = 0;
      const silences: string[] = [];
      const correlator = new RequestCorrelator(() => "peer", { reads: () => reads, onSilent: (reason) => silences.push(reason) });
      return { correlator, read: () => reads++, silences };
    }

    it("reports a timeout with nothing read since the request was sent", async () => {
      const { correlator, silences } = watched();
      const { requestId, response } = correlator.register(20, 1012);
      await expect(response).rejects.toMatchObject({ errorCode: ErrorCode.REQUEST_TIME_OUT });
      expect(silences).toEqual([`nothing received for 20 ms while request ${requestId} waited`]);
    });

    it("does not when bytes arrived meanwhile (a busy peer, or a large response still streaming)", async () => {
      const { correlator, read, silences } = watched();
      const { response } = correlator.register(30, 1012);
      setTimeout(read, 5);
      await expect(response).rejects.toMatchObject({ errorCode: ErrorCode.REQUEST_TIME_OUT });
      expect(silences).toEqual([]);
    });

    it("judges each request by the reads since its own sending", async () => {
      const { correlator, read, silences } = watched();
      const early = correlator.register(40, 1012);
      await new Promise((resolve) => setTimeout(resolve, 10));
      read(); // the peer answered something between the two requests
      const late = correlator.register(20, 1012);
      await expect(late.response).rejects.toMatchObject({ errorCode: ErrorCode.REQUEST_TIME_OUT });
      await expect(early.response).rejects.toMatchObject({ errorCode: ErrorCode.REQUEST_TIME_OUT });
      expect(silences).toEqual([`nothing received for 20 ms while request ${late.requestId} waited`]);
    });

    it("says nothing once closed", async () => {
      const { correlator, silences } = watched();
      const { response } = correlator.register(20, 1012);
      correlator.close(new FlussError("gone", ErrorCode.NETWORK_EXCEPTION));
      await expect(response).rejects.toMatchObject({ errorCode: ErrorCode.NETWORK_EXCEPTION });
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(silences).toEqual([]);
    });
  });
});
