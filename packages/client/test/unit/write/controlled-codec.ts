import { loadCodecForCompression, type BufferCodec } from "../../../src/wire/records/index.js";

/** One `compressAsync` call the test has not settled yet. */
export interface HeldCompression {
  data: Uint8Array;
  level: number;
  /** Resolves with what the real codec's `compress` makes of `data`. */
  finish(): void;
  fail(error: unknown): void;
}

/**
 * A ZSTD codec whose `compressAsync` does the real compression but resolves
 * only when the test says so, in any order: stands in for a codec that
 * compresses off the JS thread (native zstd, a worker), where the order in
 * which buffers and batches finish is up to the threads.
 */
export class ControlledCodec implements BufferCodec {
  readonly name = "ZSTD" as const;
  /** Calls not settled yet, in call order. */
  readonly held: HeldCompression[] = [];
  /** Every call so far. */
  calls = 0;
  readonly #real: BufferCodec;

  private constructor(real: BufferCodec) {
    this.#real = real;
  }

  static async create(): Promise<ControlledCodec> {
    return new ControlledCodec(await loadCodecForCompression("ZSTD"));
  }

  compress(data: Uint8Array, level: number): Uint8Array | null {
    return this.#real.compress(data, level);
  }

  decompress(data: Uint8Array, uncompressedLength: number): Uint8Array {
    return this.#real.decompress(data, uncompressedLength);
  }

  compressAsync(data: Uint8Array, level: number): Promise<Uint8Array | null> {
    this.calls++;
    return new Promise((resolve, reject) => {
      const held: HeldCompression = {
        data,
        level,
        finish: () => {
          this.#forget(held);
          resolve(this.#real.compress(data, level));
        },
        fail: (error) => {
          this.#forget(held);
          reject(error);
        },
      };
      this.held.push(held);
    });
  }

  #forget(held: HeldCompression): void {
    const i = this.held.indexOf(held);
    if (i >= 0) this.held.splice(i, 1);
  }
}

/** Lets settled promises' continuations (and the accumulator's reactions to them) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
