import type { FlussError } from "@fluss-edge/client/wire";
import type { responseEnvelope } from "./frame-ids.js";
import type { RelaySession } from "./relay-session.js";

/** The side of the relay that owns a request: one WebSocket caller. */
export interface RelayCaller {
  /**
   * The response to `request` arrived. `payload` is the response frame
   * without its length prefix, with the caller's own request id already
   * written back, copied out of the TCP reads into a buffer of its own (often
   * a pooled one) with room for the envelope head in front
   * ({@link responseEnvelope}). The
   * caller calls `done` once it no longer needs the bytes (sent, or dropped):
   * the buffer may then be reused for another frame.
   */
  deliver(request: RelayedRequest, payload: Uint8Array, done: () => void): void;
  /** The request cannot be answered any more (its session failed). */
  fail(request: RelayedRequest, error: FlussError): void;
}

/** One caller request in flight through the gateway. */
export interface RelayedRequest {
  readonly caller: RelayCaller;
  /** The id the caller chose (unique within its WebSocket). */
  readonly originalId: number;
  readonly apiKey: number;
  /** Envelope bytes, for the caller's in-flight byte budget. */
  readonly bytes: number;
  /** `performance.now()` at arrival, for the latency histogram. */
  readonly startedAt: number;
  /** The id on the pooled TCP session, once sent. */
  gatewayId: number;
  /** The session carrying it, once sent. */
  session: RelaySession | undefined;
  /** The session's read count when it was sent: unchanged at its timeout, the server was silent. */
  readsAtSend: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}
