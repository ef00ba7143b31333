import { EnvelopeType, LENGTH_PREFIX_BYTES, ResponseType } from "@fluss-edge/client/wire";

/**
 * Byte-level helpers for the relay's hot path. The relay reads and rewrites
 * only the request id of a response; the body is never looked at. (Request
 * ids of requests are rewritten with the wire layer's `setRequestId`.)
 */

/** Offset of the request id in a response payload (after the type byte). */
const RESPONSE_ID_OFFSET = 1;

/** The response type byte of a response payload (length prefix stripped). */
export function responseType(payload: Uint8Array): number {
  return payload[0]!;
}

/** Whether a payload is long enough to hold a response header with a request id. */
export function hasResponseId(payload: Uint8Array): boolean {
  return payload.length >= RESPONSE_ID_OFFSET + 4 && payload[0] !== ResponseType.SERVER_FAILURE;
}

/** Reads the request id of a success or error response payload. */
export function readResponseId(payload: Uint8Array): number {
  const o = RESPONSE_ID_OFFSET;
  return ((payload[o]! << 24) | (payload[o + 1]! << 16) | (payload[o + 2]! << 8) | payload[o + 3]!) | 0;
}

/** Rewrites the request id of a success or error response payload in place. */
export function writeResponseId(payload: Uint8Array, requestId: number): void {
  const o = RESPONSE_ID_OFFSET;
  payload[o] = requestId >>> 24;
  payload[o + 1] = (requestId >>> 16) & 0xff;
  payload[o + 2] = (requestId >>> 8) & 0xff;
  payload[o + 3] = requestId & 0xff;
}

/** Bytes of a RESPONSE envelope's head: the envelope type and the Fluss length prefix. */
export const RESPONSE_ENVELOPE_HEAD_BYTES = 1 + LENGTH_PREFIX_BYTES;

/**
 * The RESPONSE envelope of a response payload as one buffer, without a copy:
 * the head goes into the {@link RESPONSE_ENVELOPE_HEAD_BYTES} spare bytes the
 * relay session leaves in front of every frame it receives (so the frame
 * crosses the WebSocket as one message, which the receiver need not join
 * from fragments).
 */
export function responseEnvelope(payload: Uint8Array): Uint8Array {
  if (payload.byteOffset < RESPONSE_ENVELOPE_HEAD_BYTES) throw new Error("response frame has no room for the envelope head");
  const envelope = new Uint8Array(payload.buffer, payload.byteOffset - RESPONSE_ENVELOPE_HEAD_BYTES, payload.length + RESPONSE_ENVELOPE_HEAD_BYTES);
  envelope[0] = EnvelopeType.RESPONSE;
  new DataView(envelope.buffer, envelope.byteOffset, RESPONSE_ENVELOPE_HEAD_BYTES).setInt32(1, payload.length, false);
  return envelope;
}
