import { ErrorCode, FlussError } from "../errors/index.js";
import type { ResponseFrame } from "../wire/frame.js";

interface Pending {
  resolve(frame: ResponseFrame): void;
  reject(error: FlussError): void;
  timer: ReturnType<typeof setTimeout>;
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

  /** `describe` names the peer in timeout messages, e.g. `127.0.0.1:9123`. */
  constructor(describe: () => string) {
    this.#describe = describe;
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
    const response = new Promise<ResponseFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(
          new FlussError(
            `request ${requestId} (api key ${apiKey}) to ${this.#describe()} got no response within ${timeoutMs} ms`,
            ErrorCode.REQUEST_TIME_OUT,
          ),
        );
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
