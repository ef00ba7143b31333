import { ZSTD_WARM_UP_FRAMES } from "../../../gen-data/zstd-warm-up-frames.js";
import { bytesFromBase64 } from "./base64.js";
import type { BufferCodec } from "./codec.js";

/**
 * Brings a WebAssembly codec up to speed before real data arrives.
 *
 * V8 first runs WebAssembly through its baseline compiler and recompiles a
 * function with its optimizing compiler only after the function has run
 * hot for a while, so a fresh codec decompresses at about half speed for
 * the first ~10 MB (measured: 250 MB/s on the first 13 MB, 900 MB/s once
 * warm). In a process that opens a table and scans it once that is most of
 * the scan: on the log benchmark's table (1M rows, ZSTD, 2-core machine,
 * codec worker threads) the scan took ~195 ms cold and ~160 ms after a
 * warm-up (bench/edge-log-bench.ts: median 0.24 s → 0.19 s). `--no-liftoff`
 * (optimizing everything up front) did not help: the slow start also comes
 * from the optimizer's compile work competing for the cores mid-scan.
 *
 * The decoder warms up on frames made at build time
 * (scripts/generate-zstd-warm-up-frames.ts), so that a codec worker starts
 * without compressing anything: the encoder is warmed up only for writing
 * (`prepareCompression`, {@link warmUpEncoder}). The
 * samples cover the decoder's main paths: Huffman-coded literals (text) and
 * sequences with repeat offsets (ascending 64-bit values, like ids and
 * timestamps). They are synthetic and deterministic; nothing is fetched.
 * Small frames decoded many times warm up as well as large ones decoded a
 * few times (the optimizer counts executions), and keep the bundle small.
 * The optimizing compiler's work that the warm-up sets off goes on in the
 * background while the table opens and the first batches arrive.
 */
export function warmUpDecoder(codec: BufferCodec, rounds = DECODER_ROUNDS): void {
  const frames = ZSTD_WARM_UP_FRAMES.map(({ base64, length }) => ({ frame: bytesFromBase64(base64), length }));
  for (let round = 0; round < rounds; round++) {
    for (const { frame, length } of frames) codec.decompress(frame, length);
  }
}

/** Compresses the samples a few times (once the encoder is loaded), so that the first batches do not meet it cold. */
export function warmUpEncoder(codec: BufferCodec, rounds = ENCODER_ROUNDS): void {
  const samples = warmUpSamples();
  for (let round = 0; round < rounds; round++) {
    for (const sample of samples) if (!codec.compress(sample, WARM_UP_LEVEL)) return;
  }
}

/**
 * Rounds over the frames (192 KiB decoded each, about 3 MB in all). The
 * warm-up delays `getTable`, which waits for the workers, so it must pay for
 * itself in the first scan. Measured in fresh processes (2 codec workers,
 * then a 1M-row scan; medians of 8 interleaved runs): 100 rounds (19 MB,
 * enough for the first real megabytes to decode as fast as later ones) took
 * getTable 158 ms + scan 210 ms; 15 rounds 81 + 221 ms, 97 ms less CPU; none
 * at all 57 + 265 ms. A dashboard's first read is usually much smaller than
 * a full scan, which favours the shorter warm-up further.
 */
const DECODER_ROUNDS = 15;
/** Rounds over the samples for the encoder (as much input as the warm-up compressed before it became optional). */
const ENCODER_ROUNDS = 8;
/** Fluss's default ZSTD level: the level the frames were made with too. */
export const WARM_UP_LEVEL = 3;

/** The uncompressed samples, in the order of ZSTD_WARM_UP_FRAMES (the generator and tests use them too). */
export function warmUpSamples(): Uint8Array[] {
  return [ascendingLongs(16 * 1024), text(64 * 1024)];
}

/** Little-endian int64 values rising by a small, varying step, like epoch-millisecond timestamps. */
function ascendingLongs(count: number): Uint8Array {
  const out = new Uint8Array(count * 8);
  const view = new DataView(out.buffer);
  let value = 1_700_000_000_000;
  for (let i = 0; i < count; i++) {
    value += 1 + ((i * 2654435761) >>> 0) % 997;
    view.setUint32(i * 8, value % 2 ** 32, true);
    view.setUint32(i * 8 + 4, Math.floor(value / 2 ** 32), true);
  }
  return out;
}

/** Words from a small vocabulary with numbers in between, like names and codes in string columns. */
function text(length: number): Uint8Array {
  const words = ["order", "user", "event", "click", "view", "cart", "paid", "fluss", "stream", "région", "東京"];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const part = `${words[(i * 7919) % words.length]}-${(i * 104729) % 100003} `;
    parts.push(part);
    size += part.length;
  }
  return new TextEncoder().encode(parts.join("")).subarray(0, length);
}
