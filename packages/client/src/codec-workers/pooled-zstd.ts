import type { BufferCodec } from "../wire/records/compression/codec.js";
import { codecWorkerSettings } from "./settings.js";
import { type CodecWorkerPool, MAX_CODEC_WORKERS, pooledCodec } from "./worker-pool.js";

/**
 * Below this many cores (de)compression stays on the JS thread: with one core
 * a worker only adds hand-offs.
 */
const OFF_THREAD_MIN_CORES = 2;
/**
 * How long loading the codec waits for the workers to come up before it
 * settles for the JS thread (they normally take under 100 ms on the 2-core
 * machine: each compiles the WebAssembly decoder and warms it up, see
 * codec-warm-up.ts; much longer means something is wrong with workers here).
 */
const POOL_START_TIMEOUT_MS = 10_000;

/**
 * `inThread` with its async forms served by a pool of codec workers, or
 * `inThread` itself where no pool should or could start: one core, the
 * application said `size: 0`, or the workers failed to come up in time (a
 * worker script the bundler left out, a Content-Security-Policy without
 * `worker-src`, …). The pool is up, its codecs warmed up, before this
 * resolves.
 */
export async function withCodecWorkers(
  inThread: BufferCodec,
  cores: number,
  start: (size: number) => Promise<CodecWorkerPool>,
): Promise<BufferCodec> {
  const size = codecWorkerSettings().size ?? (cores >= OFF_THREAD_MIN_CORES ? Math.min(cores, MAX_CODEC_WORKERS) : 0);
  if (size === 0) return inThread;
  const pool = await withTimeout(start(size), POOL_START_TIMEOUT_MS).catch(() => undefined);
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
