/**
 * Limits that keep one caller from holding unbounded memory in the gateway.
 *
 * Outbound (responses): when a WebSocket's send buffer passes the high
 * water mark the caller is "slow": the gateway stops reading its requests
 * and pauses the cluster sessions that carry its responses, until the
 * buffer drains below the low water mark. A caller that stays slow longer
 * than the stall limit is disconnected, so that it cannot hold a shared
 * session (and the other callers on it) hostage: the limit is at most half
 * the request timeout, so the neighbours' requests survive the pause.
 *
 * Inbound (requests): a caller may have at most this many requests, and
 * this many request bytes, in flight; past that its WebSocket is not read
 * until answers come back.
 */
export const RESPONSE_HIGH_WATER_BYTES = 8 * 1024 * 1024;
export const RESPONSE_LOW_WATER_BYTES = 1024 * 1024;
export const MAX_STALL_MS = 10_000;
/** How long a caller may stay slow before it is dropped. */
export function stallLimitMs(requestTimeoutMs: number): number {
  return Math.max(1, Math.min(MAX_STALL_MS, Math.floor(requestTimeoutMs / 2)));
}
export const MAX_IN_FLIGHT_REQUESTS = 1024;
/** In-flight request bytes: at least two maximal frames, at least 32 MiB. */
export function maxInFlightBytes(maxFrameBytes: number): number {
  return Math.max(32 * 1024 * 1024, 2 * maxFrameBytes);
}
/** A caller that has not said HELLO by then is dropped. */
export const HELLO_TIMEOUT_MS = 10_000;
/** Messages accepted while HELLO is being checked (a client may pipeline its first requests). */
export const MAX_EARLY_MESSAGES = 64;
