import * as zlib from "node:zlib";
import type { BufferCodec } from "../wire/records/compression/codec.js";

/**
 * ZSTD through Node's own zstd (`node:zlib`, Node ≥ 22.15 / 23.8), on the JS
 * thread: its one-shot decompression is about 1.2–1.5× the WebAssembly
 * decoder on Fluss batches. The frames are plain ZSTD frames, the same format
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
 * The native ZSTD codec, or `undefined` on a Node without it (Node 20: the
 * WebAssembly codec stays). With `syncCompressor`, its `compress` serves
 * compression (native only when it returns null): zlib's one-shot
 * `zstdCompressSync` sets up a fresh compression context per buffer, and
 * measured about 10% slower end to end than the WebAssembly encoder that
 * keeps its context (bench/edge-log-bench.ts, 1M rows, Node 22.23).
 */
export function createNativeZstdCodec(syncCompressor?: BufferCodec): BufferCodec | undefined {
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
  return {
    name: "ZSTD",
    compress: (data, level) => syncCompressor?.compress(data, level) ?? z.zstdCompressSync(data, compressOptions(data, level)),
    decompress: (data, n) => (n === 0 ? new Uint8Array(0) : checkLength(z.zstdDecompressSync(data, decompressOptions(n)), n)),
  };
}

function checkLength(out: Uint8Array, n: number): Uint8Array {
  if (out.length !== n) throw new Error(`ZSTD data expands to ${out.length} bytes, expected ${n}`);
  return out;
}
