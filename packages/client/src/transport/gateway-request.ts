import { FlussError } from "../errors/index.js";
import { LENGTH_PREFIX_BYTES, REQUEST_HEADER_BYTES, requestBodyLength, writeRequestFrame, type RequestBody, type RequestHeader } from "../wire/frame.js";
import { EnvelopeType } from "../wire/gateway-envelope.js";
import type { Endpoint } from "./transport.js";

const encoder = new TextEncoder();

/**
 * The target part of a REQUEST envelope (`str host` `u16 port`), encoded once
 * per session so that each request only copies it.
 */
export function encodeTarget(endpoint: Endpoint): Uint8Array {
  const host = encoder.encode(endpoint.host);
  if (host.length > 0xffff) throw FlussError.client(`host name of ${host.length} bytes is too long for the gateway`);
  if (!Number.isInteger(endpoint.port) || endpoint.port < 0 || endpoint.port > 0xffff) {
    throw FlussError.client(`port ${endpoint.port} of ${endpoint.host} is not a valid port`);
  }
  const target = new Uint8Array(2 + host.length + 2);
  const view = new DataView(target.buffer);
  view.setUint16(0, host.length);
  target.set(host, 2);
  view.setUint16(2 + host.length, endpoint.port);
  return target;
}

/**
 * Encodes a REQUEST envelope — type byte, pre-encoded target, then the Fluss
 * request frame exactly as on TCP (length prefix, api key, api version,
 * request id, body) — into one buffer, so the body is copied once, as for a
 * TCP write. `decodeEnvelope` of the result yields the same frame bytes as
 * `encodeRequestFrame(header, body)`.
 */
export function encodeRequestEnvelope(target: Uint8Array, header: RequestHeader, body: RequestBody): Uint8Array<ArrayBuffer> {
  const frameStart = 1 + target.length;
  const bodyLength = requestBodyLength(body);
  const envelope = new Uint8Array(frameStart + LENGTH_PREFIX_BYTES + REQUEST_HEADER_BYTES + bodyLength);
  envelope[0] = EnvelopeType.REQUEST;
  envelope.set(target, 1);
  writeRequestFrame(envelope, frameStart, header, body, bodyLength);
  return envelope;
}
