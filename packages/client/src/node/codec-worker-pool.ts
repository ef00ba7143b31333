import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import type { CodecJob, CodecJobsMessage, CodecReadyMessage, CodecResultsMessage } from "./codec-worker-protocol.js";

/**
 * Runs ZSTD (the universal WebAssembly codec) on worker threads, for a Node
 * without native ZSTD (Node 20): the writer's compression and the scanner's
 * decompression then leave the JS thread, which goes on batching, sending
 * and parsing, and several batches (de)compress on several cores at once.
 *
 * Jobs queued within one tick are sent to a worker as one message (a batch's
 * buffers are queued together by `encodeArrowRecordBatch` /
 * `decodeArrowRecordBatch`), so a batch costs one round trip, not one per
 * buffer. Inputs are copied once into a buffer that is transferred (the
 * caller's bytes, e.g. a user's Arrow columns, are never detached); outputs
 * come back transferred, without a copy. Workers are unref'd: an idle pool
 * never keeps the process alive.
 */

/**
 * Buffers smaller than this stay on the JS thread (validity bitmaps, short
 * batches). Larger ones ride in their batch's single message, so even
 * medium buffers are worth sending: a batch of the Java client's default
 * 2 MiB has most columns below 64 KiB.
 */
export const POOL_MIN_BYTES = 4 * 1024;
/** At most this many workers, whatever the core count (each holds a WebAssembly codec of a few MiB). */
const MAX_WORKERS = 4;

interface Pending {
  resolve(data: Uint8Array | null): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  /** Bytes sent and not answered yet: new work goes to the least loaded worker. */
  outstandingBytes: number;
  jobs: Map<number, { pending: Pending; bytes: number }>;
}

export interface CodecWorkerPoolOptions {
  /** Worker threads to start (default: the core count, at most 4). */
  size?: number;
}

export class CodecWorkerPool {
  readonly #workers: PooledWorker[];
  #queued: { job: CodecJob; pending: Pending; transfer: ArrayBuffer }[] = [];
  #flushQueued = false;
  #nextId = 1;
  #failed: Error | undefined;

  private constructor(workers: PooledWorker[]) {
    this.#workers = workers;
    for (const pooled of workers) {
      pooled.worker.on("message", (message: CodecResultsMessage) => this.#settle(pooled, message));
      pooled.worker.on("error", (error) => this.#fail(pooled, error));
      pooled.worker.on("exit", (code) => this.#fail(pooled, new Error(`codec worker exited with code ${code}`)));
    }
  }

  /**
   * Starts the workers and waits until each has loaded its codec. Rejects if
   * a worker cannot start (e.g. the runtime has no worker threads); the
   * caller then keeps the in-thread codec.
   */
  static async start(options: CodecWorkerPoolOptions = {}): Promise<CodecWorkerPool> {
    const size = Math.max(1, Math.min(MAX_WORKERS, options.size ?? availableParallelism()));
    const workers = await Promise.all(Array.from({ length: size }, () => startWorker()));
    return new CodecWorkerPool(workers.map((worker) => ({ worker, outstandingBytes: 0, jobs: new Map() })));
  }

  get size(): number {
    return this.#workers.length;
  }

  /** False once a worker failed or the pool was closed: callers should use the JS thread instead. */
  get healthy(): boolean {
    return this.#failed === undefined;
  }

  compress(data: Uint8Array, level: number): Promise<Uint8Array | null> {
    return this.#enqueue((id, copy) => ({ id, op: "compress", data: copy, level }), data);
  }

  async decompress(data: Uint8Array, uncompressedLength: number): Promise<Uint8Array> {
    const out = await this.#enqueue((id, copy) => ({ id, op: "decompress", data: copy, uncompressedLength }), data);
    if (!out || out.length !== uncompressedLength) {
      throw new Error(`ZSTD data expands to ${out?.length ?? 0} bytes, expected ${uncompressedLength}`);
    }
    return out;
  }

  /** Stops the workers; queued and running jobs fail. */
  async close(): Promise<void> {
    this.#failed ??= new Error("the codec worker pool is closed");
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  #enqueue(makeJob: (id: number, copy: Uint8Array) => CodecJob, data: Uint8Array): Promise<Uint8Array | null> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      // A copy that owns its whole buffer, which is what gets transferred. Not `data.slice()`: on a
      // Node Buffer (socket chunks are) that is a view, and transferring its buffer would detach the
      // caller's bytes, e.g. a whole fetch response.
      const copy = new Uint8Array(data);
      this.#queued.push({ job: makeJob(this.#nextId++, copy), pending: { resolve, reject }, transfer: copy.buffer });
      if (!this.#flushQueued) {
        this.#flushQueued = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  /** Sends everything queued in this tick: one message per worker, bytes spread evenly. */
  #flush(): void {
    this.#flushQueued = false;
    const queued = this.#queued;
    this.#queued = [];
    const batches = new Map<PooledWorker, typeof queued>();
    // Largest first onto the least loaded worker: a simple, good-enough balance.
    queued.sort((a, b) => b.job.data.length - a.job.data.length);
    for (const entry of queued) {
      let target = this.#workers[0]!;
      for (const w of this.#workers) if (w.outstandingBytes < target.outstandingBytes) target = w;
      target.outstandingBytes += entry.job.data.length;
      // Busy workers keep the process alive (a script awaiting a flush must not exit early); idle ones do not.
      if (target.jobs.size === 0) target.worker.ref();
      target.jobs.set(entry.job.id, { pending: entry.pending, bytes: entry.job.data.length });
      const list = batches.get(target);
      if (list) list.push(entry);
      else batches.set(target, [entry]);
    }
    for (const [pooled, entries] of batches) {
      const message: CodecJobsMessage = { jobs: entries.map((e) => e.job) };
      pooled.worker.postMessage(
        message,
        entries.map((e) => e.transfer),
      );
    }
  }

  #settle(pooled: PooledWorker, { results }: CodecResultsMessage): void {
    for (const result of results) {
      const job = pooled.jobs.get(result.id);
      if (!job) continue;
      pooled.jobs.delete(result.id);
      pooled.outstandingBytes -= job.bytes;
      if ("error" in result) job.pending.reject(new Error(result.error));
      else job.pending.resolve(result.data);
    }
    if (pooled.jobs.size === 0) pooled.worker.unref();
  }

  /** A worker died: its jobs fail, and so does every later call (the codec falls back to the JS thread). */
  #fail(pooled: PooledWorker, error: Error): void {
    this.#failed ??= error;
    for (const { pending } of pooled.jobs.values()) pending.reject(error);
    pooled.jobs.clear();
    pooled.outstandingBytes = 0;
  }
}

/**
 * The worker: the compiled JS next to this file, or, when this module runs
 * from its TypeScript source (tests, tsx), that source loaded through tsx's
 * loader registered inside the worker (a dev-only path).
 */
function createWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./codec-worker.js", import.meta.url));
  const source = new URL("./codec-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true });
}

function startWorker(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = createWorker();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const onError = (error: Error) => {
      worker.off("exit", onExit);
      reject(error);
    };
    const onExit = (code: number) => {
      worker.off("error", onError);
      reject(new Error(`codec worker exited with code ${code} before it was ready`));
    };
    worker.once("error", onError);
    worker.once("exit", onExit);
    worker.once("message", (message: CodecReadyMessage) => {
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (message.error !== undefined) {
        void worker.terminate();
        reject(new Error(`codec worker could not load ZSTD: ${message.error}`));
        return;
      }
      worker.unref();
      resolve(worker);
    });
  });
}

/** A codec whose async forms move to a worker pool once one is attached. */
export interface PooledCodec extends BufferCodec {
  attach(pool: CodecWorkerPool): void;
}

/**
 * The universal ZSTD codec with `compressAsync` / `decompressAsync` served by
 * the attached pool for buffers of at least {@link POOL_MIN_BYTES}; smaller
 * ones, the synchronous forms, and everything before a pool is attached or
 * after a worker failed stay on the JS thread.
 */
export function pooledCodec(local: BufferCodec, initial?: CodecWorkerPool): PooledCodec {
  let pool = initial;
  const usable = (n: number): CodecWorkerPool | undefined => (n >= POOL_MIN_BYTES && pool?.healthy ? pool : undefined);
  return {
    name: local.name,
    compress: (data, level) => local.compress(data, level),
    decompress: (data, n) => local.decompress(data, n),
    compressAsync: (data, level) => usable(data.length)?.compress(data, level) ?? Promise.resolve(local.compress(data, level)),
    decompressAsync: (data, n) => {
      const target = usable(n);
      if (target) return target.decompress(data, n);
      try {
        return Promise.resolve(local.decompress(data, n));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    attach: (started) => {
      pool = started;
    },
  };
}
