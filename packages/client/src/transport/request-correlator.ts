import { ErrorCode, FlussError } from "../errors/index.js";
import { isClientApiKey } from "../wire/api-keys.js";
import type { ResponseFrame } from "../wire/frame.js";

interface Pending {
  resolve(frame: ResponseFrame): void;
  reject(error: FlussError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * How a session tells the correlator about silence: `reads` counts the
 * times bytes arrived (or anything else that makes silence meaningless,
 * such as a pause in reading), and `onSilent` ends the session when a
 * request timed out without any read since it was sent.
 */
export interface SilenceWatch {
  reads(): number;
  /** `reason` says what was seen, e.g. "nothing received for 30000 ms while request 7 waited". */
  onSilent(reason: string): void;
}

/**
 * The rule that ends a session on silence (see {@link RequestCorrelator}'s
 * constructor), shared with the gateway's relay sessions: a request of an
 * api fluss-edge sends timed out, and nothing was read from the peer since
 * it was sent (`reads` counts reads, as {@link SilenceWatch.reads}).
 */
export function timedOutInSilence(apiKey: number, readsAtSend: number, readsNow: number): boolean {
  return isClientApiKey(apiKey) && readsNow === readsAtSend;
}

/** How a session ended on silence says so (in its NETWORK_EXCEPTION). */
export function silenceReason(timeoutMs: number, requestId: number): string {
  return `nothing received for ${timeoutMs} ms while request ${requestId} waited`;
}

/** Request ids are int32 on the wire; we stay non-negative and wrap, as the Rust client does. */
const MAX_REQUEST_ID = 0x7fffffff;

/**
 * Matches responses to requests by request id and enforces per-request
 * timeouts. Shared by every transport so that pipelining, timeouts and the
 * failure of in-flight requests on close behave the same everywhere.
 */
export class RequestCorrelator {
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closedWith: FlussError | undefined;
  readonly #describe: () => string;
  readonly #silence: SilenceWatch | undefined;

  /**
   * `describe` names the peer in timeout messages, e.g. `127.0.0.1:9123`.
   * With `silence`, a request that times out while not a byte arrived
   * since it was sent ends the session: the peer is gone (a half-open
   * connection, a hung process) rather than slow. A TCP connection whose
   * peer vanished without a FIN or RST otherwise stays "open" until the
   * kernel gives up retransmitting (about 15 minutes on Linux), and every
   * request on it would time out in turn; ended, the next request opens a
   * fresh connection. A busy server that still answers other requests, or
   * streams a large response, keeps its connection (Kafka's clients close
   * on any request timeout; the Java Fluss client has none). Only the apis
   * fluss-edge sends are judged: Fluss 0.9.1 drops a request of an api key
   * it does not know without a word, which says nothing about its health
   * (fluss-edge's own requests are always well-formed; a malformed one is
   * dropped the same way).
   */
  constructor(describe: () => string, silence?: SilenceWatch) {
    this.#describe = describe;
    this.#silence = silence;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /**
   * Reserves a request id and returns it with the promise of its response.
   * The caller must write the frame after this call (a fast response then
   * always finds its entry).
   */
  register(timeoutMs: number, apiKey: number): { requestId: number; response: Promise<ResponseFrame> } {
    if (this.#closedWith) return { requestId: -1, response: Promise.reject(this.#closedWith) };
    const requestId = this.#allocateId();
    const readsAtSend = this.#silence?.reads() ?? 0;
    const response = new Promise<ResponseFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        const peer = this.#describe();
        reject(new FlussError(`request ${requestId} (api key ${apiKey}) to ${peer} got no response within ${timeoutMs} ms`, ErrorCode.REQUEST_TIME_OUT));
        if (this.#silence && !this.#closedWith && timedOutInSilence(apiKey, readsAtSend, this.#silence.reads())) {
          this.#silence.onSilent(silenceReason(timeoutMs, requestId));
        }
      }, timeoutMs);
      this.#pending.set(requestId, { resolve, reject, timer });
    });
    return { requestId, response };
  }

  /** Delivers a response; returns false when nobody waits for it (timed out, or unknown id). */
  complete(frame: ResponseFrame & { requestId: number }): boolean {
    const pending = this.#pending.get(frame.requestId);
    if (!pending) return false;
    this.#pending.delete(frame.requestId);
    clearTimeout(pending.timer);
    pending.resolve(frame);
    return true;
  }

  /** Fails one request (e.g. its frame could not be written). */
  fail(requestId: number, error: FlussError): void {
    const pending = this.#pending.get(requestId);
    if (!pending) return;
    this.#pending.delete(requestId);
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  /** Fails every request in flight and all later ones with `error`. */
  close(error: FlussError): void {
    this.#closedWith ??= error;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.#pending.delete(id);
    }
  }

  #allocateId(): number {
    // Skip ids still in flight after a wrap-around (practically never).
    do {
      const id = this.#nextId;
      this.#nextId = id === MAX_REQUEST_ID ? 0 : id + 1;
      if (!this.#pending.has(id)) return id;
    } while (true);
  }
}
