import { ErrorCode, errorCodeName, FlussError } from "../errors/index.js";
import type { ErrorEnvelope } from "../wire/gateway-envelope.js";

/**
 * An ERROR envelope for one request, or (request id −1) for the whole
 * WebSocket after WELCOME, as a FlussError with the envelope's code and
 * retriable flag: REQUEST_TIME_OUT, NETWORK_EXCEPTION, AUTHORIZATION_EXCEPTION…
 */
export function errorFromEnvelope(envelope: ErrorEnvelope): FlussError {
  const message = envelope.message || `gateway error ${errorCodeName(envelope.errorCode)}`;
  return new FlussError(message, envelope.errorCode, { retriable: envelope.retriable });
}

/**
 * An ERROR envelope that answers HELLO. A gateway that cannot reach the
 * cluster is, to the caller, an unreachable cluster: CLIENT_ERROR, as
 * `FlussConnection.create` reports one over TCP. Everything else (a bad token
 * or bad SASL credentials → AUTHENTICATE_EXCEPTION, an unsupported version…)
 * keeps the gateway's code.
 */
export function handshakeFailure(envelope: ErrorEnvelope, url: string): FlussError {
  const cause = errorFromEnvelope(envelope);
  if (envelope.errorCode === ErrorCode.NETWORK_EXCEPTION) {
    return FlussError.client(`the gateway at ${url} cannot reach the Fluss cluster: ${cause.message}`, cause);
  }
  return new FlussError(`the gateway at ${url} refused the connection: ${cause.message}`, envelope.errorCode, {
    cause,
    retriable: envelope.retriable,
  });
}

/** The detail an `error` event carries, where the runtime gives any (`ws` does; browsers do not). */
export function describeErrorEvent(event: unknown): string | undefined {
  if (typeof event !== "object" || event === null) return undefined;
  const { message, error } = event as { message?: unknown; error?: unknown };
  if (typeof message === "string" && message) return message;
  if (error instanceof Error && error.message) return error.message;
  return undefined;
}

/** `code` and reason of a close event, for messages. */
export function describeClose(event: { readonly code: number; readonly reason: unknown }): string {
  const reason = event.reason === undefined || event.reason === null ? "" : String(event.reason);
  return reason ? `close code ${event.code}: ${reason}` : `close code ${event.code}`;
}
