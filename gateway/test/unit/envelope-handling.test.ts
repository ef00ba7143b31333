import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  ApiKey,
  API_MESSAGES,
  decodeEnvelope,
  decodeRequestHeader,
  decodeResponseFrame,
  encodeEnvelope,
  encodeRequestFrame,
  EnvelopeType,
  ErrorCode,
  errorFromResponseBody,
  FrameDecoder,
  fromBinary,
  setRequestId,
} from "@fluss-edge/client/wire";
import { describe, expect, it } from "vitest";
import { hasResponseId, readResponseId, RESPONSE_ENVELOPE_HEAD_BYTES, responseEnvelope, writeResponseId } from "../../src/relay/frame-ids.js";
import { apiLabel, refusalReason } from "../../src/relay/request-policy.js";
import { isOriginAllowed, parseOriginList } from "../../src/security/origin-policy.js";
import { bearerSubprotocol, parseOfferedSubprotocols } from "../../src/security/subprotocols.js";
import { tokenMatches } from "../../src/security/token.js";

/** A response frame captured from the real cluster (see fixtures/README.md). */
function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));
}

/** The payload of a captured frame as a relay session hands it on: copied out, with room for the envelope head. */
function relayedPayload(name: string): Uint8Array {
  const [payload] = new FrameDecoder(undefined, { copy: { headroom: RESPONSE_ENVELOPE_HEAD_BYTES } }).push(fixture(name));
  return payload!;
}

describe("RESPONSE relay on captured cluster frames", () => {
  it("restores the caller's request id in place and frames the payload as a RESPONSE envelope", () => {
    const payload = relayedPayload("api-versions-response.bin");
    expect(hasResponseId(payload)).toBe(true);
    expect(readResponseId(payload)).toBe(4242); // the id the gateway used on its TCP session
    const before = payload.slice(5);
    writeResponseId(payload, 7); // the caller's own id
    expect(payload.subarray(5)).toEqual(before); // the body is untouched

    const message = responseEnvelope(payload);
    expect(message.buffer).toBe(payload.buffer); // the head went in front: no copy
    const envelope = decodeEnvelope(message);
    expect(envelope.type).toBe(EnvelopeType.RESPONSE);
    if (envelope.type !== EnvelopeType.RESPONSE) return;
    const response = decodeResponseFrame(envelope.frame.subarray(4));
    expect(response).toMatchObject({ kind: "success", requestId: 7 });
    if (response.kind !== "success") return;
    const decoded = fromBinary(API_MESSAGES[ApiKey.API_VERSIONS].response, response.body);
    expect(decoded.apiVersions.some((v) => v.apiKey === ApiKey.GET_METADATA)).toBe(true);
  });

  it("relays an error response unchanged apart from the id: it still decodes to the server's error", () => {
    const payload = relayedPayload("database-not-exist-response.bin");
    expect(readResponseId(payload)).toBe(77);
    writeResponseId(payload, 0x7fffffff);
    const envelope = decodeEnvelope(responseEnvelope(payload));
    if (envelope.type !== EnvelopeType.RESPONSE) throw new Error("not a RESPONSE");
    const response = decodeResponseFrame(envelope.frame.subarray(4));
    expect(response).toMatchObject({ kind: "error", requestId: 0x7fffffff });
    if (response.kind !== "error") return;
    expect(errorFromResponseBody(response.body, "test").errorCode).toBe(ErrorCode.DATABASE_NOT_EXIST);
  });

  it("knows a server failure (no request id) and too-short payloads", () => {
    expect(hasResponseId(new Uint8Array([2, 0, 0, 0, 1]))).toBe(false);
    expect(hasResponseId(new Uint8Array([0, 0, 0]))).toBe(false);
  });
});

describe("REQUEST envelopes", () => {
  it("rewrites only the request id of a caller's frame, inside the envelope it arrived in", () => {
    const frame = encodeRequestFrame({ apiKey: ApiKey.LIST_DATABASES, apiVersion: 0, requestId: 12 }, new Uint8Array([1, 2, 3]));
    const bytes = encodeEnvelope({ type: EnvelopeType.REQUEST, host: "127.0.0.1", port: 9123, frame });
    const envelope = decodeEnvelope(bytes);
    if (envelope.type !== EnvelopeType.REQUEST) throw new Error("not a REQUEST");
    expect(envelope).toMatchObject({ host: "127.0.0.1", port: 9123 });
    expect(envelope.frame.buffer).toBe(bytes.buffer); // a view, not a copy
    setRequestId(envelope.frame.subarray(4), 99);
    expect(decodeRequestHeader(envelope.frame.subarray(4))).toEqual({ apiKey: ApiKey.LIST_DATABASES, apiVersion: 0, requestId: 99 });
    expect(Array.from(envelope.frame.subarray(12))).toEqual([1, 2, 3]);
  });

  it("refuses Authenticate and server-to-server apis, relays the rest", () => {
    expect(refusalReason(ApiKey.AUTHENTICATE)).toMatch(/AUTHENTICATE \(1038\) is not allowed/);
    for (const internal of [1013, 1018, 1019, 1020, 1022, 1043]) expect(refusalReason(internal)).toContain("server-to-server");
    for (const allowed of [ApiKey.GET_METADATA, ApiKey.PRODUCE_LOG, ApiKey.FETCH_LOG, ApiKey.CREATE_ACLS, 1999]) {
      expect(refusalReason(allowed)).toBeUndefined();
    }
  });

  it("labels latency by known api names only, so callers cannot create series", () => {
    expect(apiLabel(ApiKey.FETCH_LOG)).toBe("FETCH_LOG");
    expect(apiLabel(31_000)).toBe("OTHER");
  });
});

describe("upgrade checks", () => {
  it("reads the offered subprotocols and a base64url bearer token", () => {
    expect(parseOfferedSubprotocols("fluss-edge.v1")).toEqual({ ok: true, speaksV1: true, bearerToken: undefined });
    expect(parseOfferedSubprotocols(undefined)).toEqual({ ok: true, speaksV1: false, bearerToken: undefined });
    const token = "tøken/with+odd=chars";
    expect(parseOfferedSubprotocols(`fluss-edge.v1, ${bearerSubprotocol(token)}`)).toEqual({ ok: true, speaksV1: true, bearerToken: token });
    expect(parseOfferedSubprotocols("fluss-edge.v1, fluss-edge.bearer.a=b")).toMatchObject({ ok: false });
    expect(parseOfferedSubprotocols(`fluss-edge.v1, ${bearerSubprotocol("a")}, ${bearerSubprotocol("b")}`)).toMatchObject({ ok: false });
  });

  it("compares tokens exactly", () => {
    expect(tokenMatches("abc", "abc")).toBe(true);
    expect(tokenMatches("abd", "abc")).toBe(false);
    expect(tokenMatches("abc ", "abc")).toBe(false);
    expect(tokenMatches(undefined, "abc")).toBe(false);
    expect(tokenMatches("", "abc")).toBe(false);
  });

  it("allows listed origins, callers without Origin, and localhost only in dev mode", () => {
    const policy = { allowedOrigins: parseOriginList(["https://App.Example.com", "https://admin.example.com:8443/"]), devMode: false };
    expect(isOriginAllowed(undefined, policy)).toBe(true);
    expect(isOriginAllowed("https://app.example.com", policy)).toBe(true);
    expect(isOriginAllowed("https://app.example.com:443", policy)).toBe(true);
    expect(isOriginAllowed("https://admin.example.com:8443", policy)).toBe(true);
    expect(isOriginAllowed("https://admin.example.com", policy)).toBe(false);
    expect(isOriginAllowed("http://app.example.com", policy)).toBe(false);
    expect(isOriginAllowed("https://app.example.com.evil.com", policy)).toBe(false);
    expect(isOriginAllowed("http://localhost:3000", policy)).toBe(false);
    expect(isOriginAllowed("null", policy)).toBe(false);
    expect(isOriginAllowed("garbage", policy)).toBe(false);
    const dev = { ...policy, devMode: true };
    for (const local of ["http://localhost:3000", "https://127.0.0.1", "http://[::1]:8080"]) expect(isOriginAllowed(local, dev)).toBe(true);
    expect(isOriginAllowed("http://localhost.evil.com", dev)).toBe(false);
    expect(isOriginAllowed("file:///index.html", dev)).toBe(false);
  });

  it("refuses allowlist entries that are not bare origins", () => {
    for (const bad of ["*", "https://*.example.com", "example.com", "https://example.com/app", "https://u:p@example.com", "null"]) {
      expect(() => parseOriginList([bad]), bad).toThrow();
    }
  });
});
