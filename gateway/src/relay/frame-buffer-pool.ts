/**
 * Reusable buffers for the response frames the gateway assembles from TCP
 * chunks. Without it every large response (a fetch of several MiB) was a
 * fresh ArrayBuffer, and the garbage collector, prompted by that much
 * external memory, ran for about as long as the relaying itself (profile of
 * a 113 MB uncompressed scan through the gateway: ~230 ms of GC).
 *
 * A buffer is lent for one frame and given back once the frame has been
 * written to its caller's WebSocket; buffers never given back (a caller gone
 * mid-send) are simply collected. Sizes are powers of two from
 * {@link MIN_POOLED_BYTES}; at most `maxFreeBytes` wait for reuse.
 */

/** Smaller frames are not pooled: they cost little, and most fit in one TCP chunk anyway. */
export const MIN_POOLED_BYTES = 64 * 1024;

export class FrameBufferPool {
  readonly #maxFreeBytes: number;
  /** Free buffers by size class (log2 of their size). */
  readonly #free = new Map<number, ArrayBuffer[]>();
  #freeBytes = 0;
  /** Buffers currently lent: only these may come back (a second or foreign release is ignored). */
  readonly #lent = new WeakSet<ArrayBuffer>();

  constructor(maxFreeBytes = 64 * 1024 * 1024) {
    this.#maxFreeBytes = maxFreeBytes;
  }

  /** Bytes waiting for reuse. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** A buffer of at least `bytes` (a pooled one when there is one of its size class). */
  readonly acquire = (bytes: number): ArrayBuffer => {
    if (bytes < MIN_POOLED_BYTES) return new ArrayBuffer(bytes);
    const sizeClass = Math.ceil(Math.log2(bytes));
    const reused = this.#free.get(sizeClass)?.pop();
    let buffer: ArrayBuffer;
    if (reused) {
      this.#freeBytes -= reused.byteLength;
      buffer = reused;
    } else {
      buffer = new ArrayBuffer(2 ** sizeClass);
    }
    this.#lent.add(buffer);
    return buffer;
  };

  /** Gives a lent buffer back; its bytes must not be read or written after this. */
  release(buffer: ArrayBufferLike): void {
    if (!(buffer instanceof ArrayBuffer) || !this.#lent.has(buffer)) return;
    this.#lent.delete(buffer);
    if (this.#freeBytes + buffer.byteLength > this.#maxFreeBytes) return;
    const sizeClass = Math.log2(buffer.byteLength);
    const list = this.#free.get(sizeClass);
    if (list) list.push(buffer);
    else this.#free.set(sizeClass, [buffer]);
    this.#freeBytes += buffer.byteLength;
  }
}
