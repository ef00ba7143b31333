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
 * codec worker threads) the scan took ~195 ms cold and ~160 ms after this
 * warm-up (bench/edge-log-bench.ts: median 0.24 s → 0.19 s). Its own cost,
 * paid once per process while the first ZSTD table is opened, is ~90 ms
 * more to start the worker pool (≈ 200 → 290 ms here). `--no-liftoff`
 * (optimizing everything up front) did not help: the slow start also comes
 * from the optimizer's compile work competing for the cores mid-scan.
 *
 * The sample covers the decoder's main paths: Huffman-coded literals (text),
 * sequences with repeat offsets (ascending 64-bit values, like ids and
 * timestamps) and raw blocks (random bytes). It is synthetic, deterministic
 * and built in memory: nothing is fetched.
 */
export function warmUpCodec(codec: BufferCodec, rounds = DEFAULT_ROUNDS): void {
  const samples = warmUpSamples();
  const frames: { frame: Uint8Array; length: number }[] = [];
  for (const sample of samples) {
    const frame = codec.compress(sample, WARM_UP_LEVEL);
    if (frame) frames.push({ frame, length: sample.length });
  }
  for (let round = 0; round < rounds; round++) {
    for (const { frame, length } of frames) codec.decompress(frame, length);
  }
}

/** Rounds over the ~1 MB of frames: 3 already helped, 6 was as good as 10 in the measurement above. */
const DEFAULT_ROUNDS = 6;
/** Fluss's default ZSTD level. */
const WARM_UP_LEVEL = 3;

function warmUpSamples(): Uint8Array[] {
  return [ascendingLongs(128 * 1024), text(384 * 1024), randomBytes(64 * 1024)];
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

/** Incompressible bytes (xorshift32), which the encoder stores as raw blocks. */
function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
