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

/**
 * The first fragment of a RESPONSE envelope: the envelope type and the Fluss
 * length prefix. The payload follows as the final fragment of the same
 * WebSocket message, sent as the view it is, so a response body is never
 * copied on its way from the TCP socket to the WebSocket.
 */
export function responseEnvelopeHead(payloadLength: number): Buffer {
  const head = Buffer.allocUnsafe(1 + LENGTH_PREFIX_BYTES);
  head[0] = EnvelopeType.RESPONSE;
  head.writeInt32BE(payloadLength, 1);
  return head;
}
