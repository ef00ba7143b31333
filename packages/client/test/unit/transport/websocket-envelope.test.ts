import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { encodeRequestEnvelope, encodeTarget } from "../../../src/transport/gateway-request.js";
import { decodeRequestHeader, encodeRequestFrame, LENGTH_PREFIX_BYTES } from "../../../src/wire/frame.js";
import {
  decodeEnvelope,
  encodeEnvelope,
  EnvelopeType,
  GATEWAY_PROTOCOL_VERSION,
  type Envelope,
} from "../../../src/wire/gateway-envelope.js";
import { capturedApiVersionsFrame } from "./websocket-peer.js";

function roundTrip(envelope: Envelope): Envelope {
  return decodeEnvelope(encodeEnvelope(envelope));
}

describe("gateway envelopes", () => {
  it("round-trip HELLO, WELCOME and ERROR field by field, UTF-8 included", () => {
    const hello: Envelope = {
      type: EnvelopeType.HELLO,
      version: GATEWAY_PROTOCOL_VERSION,
      token: "tøken-✓",
      saslUsername: "alice",
      saslPassword: "alice-secret",
      clientName: "fluss-edge/0.1.0 (ünïcode)",
    };
    expect(roundTrip(hello)).toEqual(hello);
    const welcome: Envelope = {
      type: EnvelopeType.WELCOME,
      version: 1,
      maxFrameBytes: 0xfffffff0,
      bootstrap: [
        { host: "127.0.0.1", port: 9123 },
        { host: "fluss-coordinator.internal", port: 65535 },
      ],
      gateway: "fluss-edge-gateway/0.1.0",
    };
    expect(roundTrip(welcome)).toEqual(welcome);
    const error: Envelope = {
      type: EnvelopeType.ERROR,
      requestId: -1,
      errorCode: ErrorCode.AUTHENTICATE_EXCEPTION,
      retriable: false,
      message: "bad token",
    };
    expect(roundTrip(error)).toEqual(error);
    expect(roundTrip({ ...error, requestId: 2147483647, errorCode: ErrorCode.REQUEST_TIME_OUT, retriable: true, message: "" })).toEqual({
      ...error,
      requestId: 2147483647,
      errorCode: ErrorCode.REQUEST_TIME_OUT,
      retriable: true,
      message: "",
    });
  });

  it("carries a captured real Fluss response frame unchanged, as a view", () => {
    const frame = capturedApiVersionsFrame(77);
    const bytes = encodeEnvelope({ type: EnvelopeType.RESPONSE, frame });
    const decoded = decodeEnvelope(bytes);
    expect(decoded.type).toBe(EnvelopeType.RESPONSE);
    if (decoded.type !== EnvelopeType.RESPONSE) return;
    expect(decoded.frame).toEqual(frame);
    expect(decoded.frame.buffer).toBe(bytes.buffer);
  });

  it("writes a REQUEST in one buffer whose frame equals the TCP frame", () => {
    const target = encodeTarget({ host: "127.0.0.1", port: 9133 });
    const body = new Uint8Array([8, 1, 16, 2, 0xff]);
    const header = { apiKey: 1012, apiVersion: 0, requestId: 123456 };
    const envelope = encodeRequestEnvelope(target, header, body);
    const decoded = decodeEnvelope(envelope);
    expect(decoded).toMatchObject({ type: EnvelopeType.REQUEST, host: "127.0.0.1", port: 9133 });
    if (decoded.type !== EnvelopeType.REQUEST) return;
    expect(decoded.frame).toEqual(encodeRequestFrame(header, body));
    expect(decodeRequestHeader(decoded.frame.subarray(LENGTH_PREFIX_BYTES))).toEqual(header);
    // The generic encoder agrees byte for byte.
    expect(encodeEnvelope({ type: EnvelopeType.REQUEST, host: "127.0.0.1", port: 9133, frame: encodeRequestFrame(header, body) })).toEqual(
      envelope,
    );
  });

  it("refuses targets that do not fit the envelope", () => {
    expect(() => encodeTarget({ host: "h", port: 70000 })).toThrow(FlussError);
    expect(() => encodeTarget({ host: "h", port: 1.5 })).toThrow(FlussError);
    expect(() => encodeTarget({ host: "x".repeat(70000), port: 1 })).toThrow(FlussError);
  });

  it("rejects malformed envelopes with CLIENT_ERROR instead of crashing", () => {
    const cases: Uint8Array[] = [
      new Uint8Array([]),
      new Uint8Array([0x7f]),
      new Uint8Array([EnvelopeType.WELCOME, 1, 0, 0]),
      new Uint8Array([EnvelopeType.RESPONSE, 0, 0, 0, 9, 0]),
      new Uint8Array([EnvelopeType.ERROR, 0, 0, 0, 1, 0, 0, 0, 25, 1, 0xff, 0xfe]),
    ];
    for (const bytes of cases) {
      let caught: unknown;
      try {
        decodeEnvelope(bytes);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FlussError);
      expect((caught as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    }
  });
});
