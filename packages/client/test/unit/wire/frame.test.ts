import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import {
  decodeRequestHeader,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  setRequestId,
} from "../../../src/wire/frame.js";

describe("request frames", () => {
  it("lays out length, api key, version and request id big-endian before the body", () => {
    const frame = encodeRequestFrame({ apiKey: 1012, apiVersion: 1, requestId: 0x01020304 }, new Uint8Array([0xaa, 0xbb]));
    expect([...frame]).toEqual([0, 0, 0, 10, 0x03, 0xf4, 0, 1, 1, 2, 3, 4, 0xaa, 0xbb]);
  });

  it("reads back its header and lets the gateway rewrite the request id in place", () => {
    const frame = encodeRequestFrame({ apiKey: 1038, apiVersion: 0, requestId: 7 }, new Uint8Array(3));
    const payload = frame.subarray(4);
    expect(decodeRequestHeader(payload)).toEqual({ apiKey: 1038, apiVersion: 0, requestId: 7 });
    setRequestId(payload, 2_000_000_000);
    expect(decodeRequestHeader(payload).requestId).toBe(2_000_000_000);
  });

  it("rejects a request payload shorter than its header", () => {
    expect(() => decodeRequestHeader(new Uint8Array(7))).toThrow(FlussError);
  });
});

describe("response frames", () => {
  it("decodes success and error responses with their request id, body as a view", () => {
    const payload = encodeResponseFrame({ kind: "success", requestId: 42, body: new Uint8Array([9, 8]) }).subarray(4);
    const decoded = decodeResponseFrame(payload);
    expect(decoded).toMatchObject({ kind: "success", requestId: 42 });
    expect([...decoded.body]).toEqual([9, 8]);
    expect(decoded.body.buffer).toBe(payload.buffer);
    const error = decodeResponseFrame(encodeResponseFrame({ kind: "error", requestId: 5, body: new Uint8Array(0) }).subarray(4));
    expect(error).toMatchObject({ kind: "error", requestId: 5 });
  });

  it("decodes a server failure, which carries no request id", () => {
    const frame = encodeResponseFrame({ kind: "server-failure", body: new Uint8Array([1, 2, 3]) });
    expect([...frame.subarray(0, 5)]).toEqual([0, 0, 0, 4, 2]);
    const decoded = decodeResponseFrame(frame.subarray(4));
    expect(decoded.kind).toBe("server-failure");
    expect([...decoded.body]).toEqual([1, 2, 3]);
  });

  it.each([
    ["empty", []],
    ["unknown type", [7, 0, 0, 0, 1]],
    ["truncated request id", [0, 0, 0]],
  ])("rejects a malformed payload (%s) with CLIENT_ERROR", (_label, bytes) => {
    const attempt = () => decodeResponseFrame(new Uint8Array(bytes));
    expect(attempt).toThrow(FlussError);
    try {
      attempt();
    } catch (error) {
      expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    }
  });
});
