import * as zlib from "node:zlib";
import type { BufferCodec } from "../wire/records/compression/codec.js";

/**
 * ZSTD through Node's own zstd (`node:zlib`, Node ≥ 22.15 / 23.8). The async
 * forms run on libuv's thread pool, so the scanner's parallel decodes of
 * several buckets' batches (and `encodeArrowRecordBatch`) (de)compress on
 * several cores; sync decompression is about 2× the WebAssembly decoder.
 * The frames are plain ZSTD frames, the same format the WebAssembly codec
 * and Fluss's Java zstd-jni write and read.
 */

type ZstdOptions = {
  params?: Record<number, number>;
  pledgedSrcSize?: number;
  maxOutputLength?: number;
  chunkSize?: number;
};
type Callback = (error: Error | null, result: Uint8Array) => void;

/** The zstd part of `node:zlib`; declared here because @types/node 20 does not have it. */
interface NodeZstd {
  zstdCompress(data: Uint8Array, options: ZstdOptions, callback: Callback): void;
  zstdDecompress(data: Uint8Array, options: ZstdOptions, callback: Callback): void;
  zstdCompressSync(data: Uint8Array, options: ZstdOptions): Uint8Array;
  zstdDecompressSync(data: Uint8Array, options: ZstdOptions): Uint8Array;
  constants: { ZSTD_c_compressionLevel?: number };
}

/**
 * Below this many bytes (uncompressed) a buffer is (de)compressed on the JS
 * thread even by the async forms: a thread-pool round trip costs more than
 * the work (validity bitmaps, offsets of small batches).
 */
const ASYNC_MIN_BYTES = 64 * 1024;
/** zlib's smallest allowed chunk size. */
const MIN_CHUNK = 64;

/** Whether this Node has native ZSTD. */
export function hasNativeZstd(): boolean {
  const z = zlib as unknown as Partial<NodeZstd>;
  return typeof z.zstdCompress === "function" && typeof z.zstdDecompressSync === "function" && z.constants?.ZSTD_c_compressionLevel !== undefined;
}

/**
 * The native ZSTD codec, or `undefined` on a Node without it (Node 20: the
 * WebAssembly codec stays). With `async: false` it has no async forms
 * (everything in line, see zstd-for-node.ts). With `syncCompressor`, its `compress` serves
 * the synchronous form (native only when it returns null): the writer
 * compresses synchronously when it seals a batch, and there zlib's one-shot
 * `zstdCompressSync`, which sets up a fresh compression context per buffer,
 * measured about 10% slower end to end than the WebAssembly encoder that
 * keeps its context (bench/edge-log-bench.ts, 1M rows, Node 22.23).
 */
export function createNativeZstdCodec(syncCompressor?: BufferCodec, options: { async?: boolean } = {}): BufferCodec | undefined {
  if (!hasNativeZstd()) return undefined;
  const z = zlib as unknown as NodeZstd;
  const levelParam = z.constants.ZSTD_c_compressionLevel!;
  // One output chunk of about the expected size: the convenience functions otherwise work in
  // 16 KiB chunks, i.e. one thread-pool round trip and one JS callback per chunk.
  const compressOptions = (data: Uint8Array, level: number): ZstdOptions => ({
    params: { [levelParam]: level },
    pledgedSrcSize: data.length,
    chunkSize: Math.max(MIN_CHUNK, data.length + 64),
  });
  // The output may not exceed the announced length (a longer frame fails instead of allocating).
  const decompressOptions = (n: number): ZstdOptions => ({ maxOutputLength: n, chunkSize: Math.max(MIN_CHUNK, n) });
  const decompress = (data: Uint8Array, n: number): Uint8Array => {
    if (n === 0) return new Uint8Array(0);
    return checkLength(z.zstdDecompressSync(data, decompressOptions(n)), n);
  };
  return {
    name: "ZSTD",
    compress: (data, level) => syncCompressor?.compress(data, level) ?? z.zstdCompressSync(data, compressOptions(data, level)),
    decompress,
    ...(options.async === false ? {} : asyncForms()),
  };

  function asyncForms(): Pick<BufferCodec, "compressAsync" | "decompressAsync"> {
    return {
      compressAsync: (data, level) => {
        if (data.length < ASYNC_MIN_BYTES) return Promise.resolve(z.zstdCompressSync(data, compressOptions(data, level)));
        return new Promise((resolve, reject) => {
          z.zstdCompress(data, compressOptions(data, level), (error, out) => (error ? reject(error) : resolve(out)));
        });
      },
      decompressAsync: (data, n) => {
        if (n < ASYNC_MIN_BYTES) {
          try {
            return Promise.resolve(decompress(data, n));
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
        }
        return new Promise((resolve, reject) => {
          z.zstdDecompress(data, decompressOptions(n), (error, out) => {
            if (error) reject(error);
            else {
              try {
                resolve(checkLength(out, n));
              } catch (e) {
                reject(e instanceof Error ? e : new Error(String(e)));
              }
            }
          });
        });
      },
    };
  }
}

function checkLength(out: Uint8Array, n: number): Uint8Array {
  if (out.length !== n) throw new Error(`ZSTD data expands to ${out.length} bytes, expected ${n}`);
  return out;
}
