import { FlussError } from "../errors/index.js";

/**
 * Fluss frames: `[int32 BE length][payload]`, where the length does not count
 * its own four bytes. Requests carry an 8-byte header (api key, api version,
 * request id); responses a 1-byte type then, except for server failures, the
 * request id. All header integers are big-endian.
 */
export const LENGTH_PREFIX_BYTES = 4;
export const REQUEST_HEADER_BYTES = 8;
/** Response type byte plus request id. */
export const RESPONSE_HEADER_BYTES = 5;

/** The response type byte that follows the length prefix. */
export const ResponseType = {
  SUCCESS: 0,
  ERROR: 1,
  SERVER_FAILURE: 2,
} as const;

/** The fixed fields at the front of a request frame. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  requestId: number;
}

/** A response frame's payload, split into its header and its protobuf body. */
export type ResponseFrame =
  | { kind: "success"; requestId: number; body: Uint8Array }
  | { kind: "error"; requestId: number; body: Uint8Array }
  /** Connection-level failure: no request id; the server closes the connection after it. */
  | { kind: "server-failure"; body: Uint8Array };

/**
 * A request body: one buffer, or pieces that go on the wire back to back
 * (the frame encoders copy them once into the frame).
 */
export type RequestBody = Uint8Array | readonly Uint8Array[];

/** Total length of a body in bytes. */
export function requestBodyLength(body: RequestBody): number {
  if (body instanceof Uint8Array) return body.length;
  let length = 0;
  for (const piece of body) length += piece.length;
  return length;
}

/**
 * Encodes a complete request frame (length prefix included) in one buffer,
 * so that a transport can hand it to the socket in a single write.
 */
export function encodeRequestFrame(header: RequestHeader, body: RequestBody): Uint8Array {
  const bodyLength = requestBodyLength(body);
  const frame = new Uint8Array(LENGTH_PREFIX_BYTES + REQUEST_HEADER_BYTES + bodyLength);
  writeRequestFrame(frame, 0, header, body, bodyLength);
  return frame;
}

/**
 * Writes a request frame (length prefix, header, `body` of `bodyLength`
 * bytes) into `out` at `offset`: the body's only copy on its way out.
 */
export function writeRequestFrame(out: Uint8Array, offset: number, header: RequestHeader, body: RequestBody, bodyLength: number): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, LENGTH_PREFIX_BYTES + REQUEST_HEADER_BYTES);
  view.setInt32(0, REQUEST_HEADER_BYTES + bodyLength);
  view.setInt16(4, header.apiKey);
  view.setInt16(6, header.apiVersion);
  view.setInt32(8, header.requestId);
  let at = offset + LENGTH_PREFIX_BYTES + REQUEST_HEADER_BYTES;
  for (const piece of body instanceof Uint8Array ? [body] : body) {
    out.set(piece, at);
    at += piece.length;
  }
}

/**
 * Reads the header of a request payload (the bytes after the length prefix).
 * The gateway uses this to route a frame without decoding its body.
 */
export function decodeRequestHeader(payload: Uint8Array): RequestHeader {
  if (payload.length < REQUEST_HEADER_BYTES) {
    throw FlussError.client(`malformed request frame: ${payload.length} bytes, header needs ${REQUEST_HEADER_BYTES}`);
  }
  const view = viewOf(payload);
  return { apiKey: view.getInt16(0), apiVersion: view.getInt16(2), requestId: view.getInt32(4) };
}

/** Rewrites the request id of a request payload in place (the gateway remaps ids). */
export function setRequestId(payload: Uint8Array, requestId: number): void {
  viewOf(payload).setInt32(4, requestId);
}

/** Encodes a response frame (length prefix included); used by tests and the gateway's own errors. */
export function encodeResponseFrame(frame: ResponseFrame): Uint8Array {
  const headerBytes = frame.kind === "server-failure" ? 1 : RESPONSE_HEADER_BYTES;
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + headerBytes + frame.body.length);
  const view = new DataView(out.buffer);
  view.setInt32(0, headerBytes + frame.body.length);
  if (frame.kind === "server-failure") {
    view.setInt8(4, ResponseType.SERVER_FAILURE);
  } else {
    view.setInt8(4, frame.kind === "success" ? ResponseType.SUCCESS : ResponseType.ERROR);
    view.setInt32(5, frame.requestId);
  }
  out.set(frame.body, LENGTH_PREFIX_BYTES + headerBytes);
  return out;
}

/**
 * Splits a response payload (the bytes after the length prefix) into header
 * and body. The body is a view into `payload`, not a copy.
 */
export function decodeResponseFrame(payload: Uint8Array): ResponseFrame {
  if (payload.length < 1) throw FlussError.client("malformed response frame: empty payload");
  const view = viewOf(payload);
  const type = view.getInt8(0);
  if (type === ResponseType.SERVER_FAILURE) return { kind: "server-failure", body: payload.subarray(1) };
  if (type !== ResponseType.SUCCESS && type !== ResponseType.ERROR) {
    throw FlussError.client(`malformed response frame: unknown response type ${type}`);
  }
  if (payload.length < RESPONSE_HEADER_BYTES) {
    throw FlussError.client(`malformed response frame: ${payload.length} bytes, header needs ${RESPONSE_HEADER_BYTES}`);
  }
  const requestId = view.getInt32(1);
  const body = payload.subarray(RESPONSE_HEADER_BYTES);
  return type === ResponseType.SUCCESS ? { kind: "success", requestId, body } : { kind: "error", requestId, body };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
