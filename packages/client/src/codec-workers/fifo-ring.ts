/**
 * Hands out byte ranges of a fixed-size buffer and takes them back in the
 * order it handed them out: a ring. The codec worker pool places each job's
 * input in its worker's shared inbox this way; a worker answers its messages
 * in the order it got them, so ranges come back first in, first out.
 *
 * A range never wraps around the end: when the space left before the end
 * is too short, the range starts at 0 (the skipped tail is free again once
 * every earlier range is back).
 */
export class FifoRing {
  readonly capacity: number;
  /** Live ranges, oldest first: [start, end) each. */
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** How many ranges are live. */
  get size(): number {
    return this.#starts.length;
  }

  /** The start of a free range of `length` bytes (> 0), or undefined when none is free now. */
  allocate(length: number): number | undefined {
    if (!(length > 0) || length > this.capacity) return undefined;
    let start: number;
    const live = this.#starts.length;
    if (live === 0) {
      start = 0;
    } else {
      const oldest = this.#starts[0]!;
      const next = this.#ends[live - 1]!;
      if (next > oldest) {
        // Live bytes lie in [oldest, next): free space after them, then before them.
        if (this.capacity - next >= length) start = next;
        else if (oldest >= length) start = 0;
        else return undefined;
      } else {
        // Wrapped: live bytes are [oldest, capacity) and [0, next); free space lies between.
        if (oldest - next >= length) start = next;
        else return undefined;
      }
    }
    this.#starts.push(start);
    this.#ends.push(start + length);
    return start;
  }

  /** Gives back the `count` oldest ranges. */
  release(count: number): void {
    if (count > this.#starts.length) throw new RangeError(`cannot release ${count} of ${this.#starts.length} ranges`);
    this.#starts.splice(0, count);
    this.#ends.splice(0, count);
  }
}
