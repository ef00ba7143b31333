import * as zlib from "node:zlib";
import type { BufferCodec } from "../wire/records/compression/codec.js";

/**
 * ZSTD through Node's own zstd (`node:zlib`, Node ≥ 22.15 / 23.8): its
 * one-shot decompression is about 1.3× the WebAssembly decoder on buffers of
 * 64–256 KiB, but far slower on small ones (see NATIVE_MIN_BYTES). The frames are plain ZSTD frames, the same format
 * the WebAssembly codec and Fluss's Java zstd-jni write and read. (zlib's
 * async forms, one libuv thread-pool job per buffer, measured slower than the
 * JS thread here; batches go off the thread through codec-workers/worker-pool.ts.)
 */

type ZstdOptions = {
  params?: Record<number, number>;
  pledgedSrcSize?: number;
  maxOutputLength?: number;
  chunkSize?: number;
};
/** The zstd part of `node:zlib`; declared here because @types/node 20 does not have it. */
interface NodeZstd {
  zstdCompressSync(data: Uint8Array, options: ZstdOptions): Uint8Array;
  zstdDecompressSync(data: Uint8Array, options: ZstdOptions): Uint8Array;
  constants: { ZSTD_c_compressionLevel?: number };
}

/** zlib's smallest allowed chunk size. */
const MIN_CHUNK = 64;

/** Whether this Node has native ZSTD. */
export function hasNativeZstd(): boolean {
  const z = zlib as unknown as Partial<NodeZstd>;
  return typeof z.zstdCompressSync === "function" && typeof z.zstdDecompressSync === "function" && z.constants?.ZSTD_c_compressionLevel !== undefined;
}

/**
 * Decompressed sizes below this go to the WebAssembly decoder even where
 * zlib has zstd: each zlib call sets up a decompression stream (about 20 µs
 * here), which dwarfs a small buffer's work. Measured on the writer's
 * buffers of the log benchmark (Node 22.23, one thread): 616 buffers under
 * 4 KiB took 12.3 ms native against 1.0 ms in WebAssembly; 446 buffers of
 * 64–256 KiB 65 ms against 84 ms; above 256 KiB both were even. Before this
 * split, a full scan on Node 22 took 0.47 s against 0.32 s without native
 * zstd at all (bench/edge-log-bench.ts, the Java-written table).
 */
export const NATIVE_MIN_BYTES = 32 * 1024;

/**
 * The native ZSTD codec, or `undefined` on a Node without it (Node 20: the
 * WebAssembly codec stays). With `universal` (the WebAssembly codec), that
 * one compresses (native only where it returns null: zlib's one-shot
 * `zstdCompressSync` sets up a fresh compression context per buffer, and
 * measured about 10% slower end to end than the WebAssembly encoder that
 * keeps its context, bench/edge-log-bench.ts, 1M rows, Node 22.23) and
 * decompresses buffers under {@link NATIVE_MIN_BYTES}; without it, zlib
 * does everything (for tests and the codec benchmark).
 */
export function createNativeZstdCodec(universal?: BufferCodec): BufferCodec | undefined {
  if (!hasNativeZstd()) return undefined;
  const z = zlib as unknown as NodeZstd;
  const levelParam = z.constants.ZSTD_c_compressionLevel!;
  // One output chunk of about the expected size: the convenience functions otherwise work in
  // 16 KiB chunks.
  const compressOptions = (data: Uint8Array, level: number): ZstdOptions => ({
    params: { [levelParam]: level },
    pledgedSrcSize: data.length,
    chunkSize: Math.max(MIN_CHUNK, data.length + 64),
  });
  // The output may not exceed the announced length (a longer frame fails instead of allocating).
  const decompressOptions = (n: number): ZstdOptions => ({ maxOutputLength: n, chunkSize: Math.max(MIN_CHUNK, n) });
  const nativeDecompress = (data: Uint8Array, n: number): Uint8Array =>
    n === 0 ? new Uint8Array(0) : checkLength(z.zstdDecompressSync(data, decompressOptions(n)), n);
  return {
    name: "ZSTD",
    // Where the WebAssembly codec cannot compress (it could not be instantiated), zlib does.
    compress: (data, level) => universal?.compress(data, level) ?? z.zstdCompressSync(data, compressOptions(data, level)),
    decompress: universal ? (data, n) => (n < NATIVE_MIN_BYTES ? universal.decompress(data, n) : nativeDecompress(data, n)) : nativeDecompress,
  };
}

function checkLength(out: Uint8Array, n: number): Uint8Array {
  if (out.length !== n) throw new Error(`ZSTD data expands to ${out.length} bytes, expected ${n}`);
  return out;
}
