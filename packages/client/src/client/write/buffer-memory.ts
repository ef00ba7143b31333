import { FlussError } from "../../errors/index.js";

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (error: FlussError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Counts the bytes a writer holds (rows waiting in open batches, encoded
 * batches waiting to be sent or retried) against `writer.buffer.memory-size`.
 *
 * JavaScript cannot block a caller, so the cap works in two halves:
 * - {@link hasRoom} says whether one more row may come in (callers refuse
 *   rows once the cap is reached);
 * - {@link ready} is the promise producers await before they add more: it
 *   resolves once the largest row seen so far fits again, and rejects with a
 *   CLIENT_ERROR after `writer.buffer.wait-timeout-ms`.
 * A producer that awaits `ready()` before each row therefore never takes the
 * count past the cap (a row larger than every earlier one may overshoot by
 * its own excess).
 */
export class BufferMemory {
  readonly capacity: number;
  readonly waitTimeoutMs: number;
  #used = 0;
  #largestRow = 1;
  readonly #waiters: Waiter[] = [];
  #recheck: ReturnType<typeof setTimeout> | undefined;

  constructor(capacity: number, waitTimeoutMs: number) {
    this.capacity = capacity;
    this.waitTimeoutMs = waitTimeoutMs;
  }

  /** Bytes held now. */
  get used(): number {
    return this.#used;
  }

  /** Producers waiting in {@link ready}. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Whether a row may be added now (the count is below the cap). */
  hasRoom(): boolean {
    return this.#used < this.capacity;
  }

  /** Counts `bytes` more (a row added; an encoded batch larger than its estimate). */
  reserve(bytes: number): void {
    this.#used += bytes;
  }

  /** Notes the size of a row so that {@link ready} waits until such a row fits. */
  noteRowSize(bytes: number): void {
    // Bounded by the capacity: a single row larger than the buffer only needs an empty one.
    if (bytes > this.#largestRow) this.#largestRow = Math.min(bytes, this.capacity);
  }

  /** Counts `bytes` fewer and wakes producers for whom there is room again. */
  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
    this.#wake();
  }

  /**
   * Resolves when there is room for a row as large as the largest seen
   * (at once, without allocating, while there is). Rejects with a
   * CLIENT_ERROR naming `writer.buffer.wait-timeout-ms` when the wait runs
   * out, or with `closedError` when {@link rejectWaiters} is called.
   */
  ready(bytes = this.#largestRow): Promise<void> {
    bytes = Math.min(bytes, this.capacity);
    if (this.#fits(bytes) && this.#waiters.length === 0) return RESOLVED;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { bytes, resolve, reject, timer: undefined };
      if (Number.isFinite(this.waitTimeoutMs)) {
        waiter.timer = setTimeout(() => {
          this.#remove(waiter);
          // Those queued behind it (first come, first served) may fit where it did not.
          this.#wake();
          reject(
            FlussError.client(
              `the writer buffer stayed full for writer.buffer.wait-timeout-ms = ${this.waitTimeoutMs} ms ` +
                `(${this.#used} bytes buffered, writer.buffer.memory-size = ${this.capacity}): ` +
                "the cluster does not take the rows as fast as they come, or cannot be reached",
            ),
          );
        }, this.waitTimeoutMs);
      }
      this.#waiters.push(waiter);
    });
  }

  /** Fails every waiting producer (the writer is closing). */
  rejectWaiters(error: FlussError): void {
    for (const waiter of this.#waiters.splice(0)) {
      if (waiter.timer !== undefined) clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  #fits(bytes: number): boolean {
    return this.#used === 0 || this.#used + bytes <= this.capacity;
  }

  #wake(): void {
    // First come, first served. A woken producer adds its bytes in its own
    // continuation, later: wake only as many as fit together.
    let planned = this.#used;
    let woken = 0;
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0]!;
      if (planned !== 0 && planned + waiter.bytes > this.capacity) break;
      this.#waiters.shift();
      if (waiter.timer !== undefined) clearTimeout(waiter.timer);
      planned += waiter.bytes;
      waiter.resolve();
      woken++;
    }
    // Those woken may add less than planned (or nothing): look again once they have run,
    // so that the rest does not wait for a release that may never come.
    if (woken > 0 && this.#waiters.length > 0 && !this.#recheck) {
      this.#recheck = setTimeout(() => {
        this.#recheck = undefined;
        this.#wake();
      }, 0);
    }
  }

  #remove(waiter: Waiter): void {
    const i = this.#waiters.indexOf(waiter);
    if (i >= 0) this.#waiters.splice(i, 1);
  }
}
