import * as os from "node:os";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import { createCodec as createUniversalZstd } from "../wire/records/compression/zstd-codec.js";
import { createNativeZstdCodec } from "./native-zstd-codec.js";

/**
 * Below this many cores (de)compression stays on the JS thread: with one core
 * a worker thread only adds hand-offs.
 */
const OFF_THREAD_MIN_CORES = 2;
/**
 * How long loading the codec waits for the worker threads to come up before
 * it settles for the JS thread (they normally take 200–300 ms on the 2-core
 * machine: each compiles the WebAssembly codec and warms it up, see
 * codec-warm-up.ts; much longer means something is wrong with workers in
 * this process).
 */
const POOL_START_TIMEOUT_MS = 10_000;

/**
 * The ZSTD codec of the Node entry, loaded once, on first use (`getTable` of
 * a ZSTD table loads it before returning):
 * - the synchronous forms run on the JS thread: decompression through Node's
 *   own zstd where `node:zlib` has it (≥ 22.15 / 23.8), else through
 *   WebAssembly; compression through WebAssembly (it keeps its context
 *   between buffers, which zlib's one-shot form does not);
 * - with two or more cores, the async forms, which the writer and the
 *   scanner use for whole batches, run on a pool of worker threads, one
 *   message per batch (codec-worker-pool.ts). Measured on the 2-core machine
 *   that also runs the Fluss cluster (bench/log-throughput.ts, 1M rows,
 *   ZSTD, pool started before the clock): Arrow scans ~20% and Arrow appends
 *   ~15–25% faster than on the JS thread, on Node 20 and 22 alike; Node 22's
 *   libuv-based async zstd, one thread-pool job per buffer, was slower than
 *   the JS thread, so it is not used;
 * - runtimes that only emulate Node (Deno, Bun): the WebAssembly codec on the
 *   JS thread.
 * The pool is up, its codecs compiled and warmed up, before this resolves,
 * so the first batches neither compete with that work nor run through
 * WebAssembly's slow first tier; if it cannot start, the JS thread does
 * everything.
 */
export async function loadZstdForNode(): Promise<BufferCodec> {
  const universal = await createUniversalZstd();
  const inThread = createNativeZstdCodec(universal) ?? universal;
  if (coreCount() < OFF_THREAD_MIN_CORES || !isPlainNode()) return inThread;
  const { CodecWorkerPool, pooledCodec } = await import("./codec-worker-pool.js");
  const pool = await withTimeout(CodecWorkerPool.start(), POOL_START_TIMEOUT_MS).catch(() => undefined);
  return pool ? pooledCodec(inThread, pool) : inThread;
}

/** The promise's value, or a rejection after `ms` (a late value is closed if it can be). */
function withTimeout<T extends { close(): Promise<void> }>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`not ready after ${ms} ms`));
      promise.then((late) => late.close(), () => undefined);
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Cores this process may use (1 where the runtime cannot tell). */
function coreCount(): number {
  try {
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length || 1;
  } catch {
    return 1;
  }
}

function isPlainNode(): boolean {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { release?: { name?: string } } };
  return g.Deno === undefined && g.Bun === undefined && g.process?.release?.name === "node";
}
