import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import type { CodecJob, CodecJobsMessage, CodecReadyMessage, CodecResultsMessage } from "./codec-worker-protocol.js";

/**
 * Runs ZSTD (the universal WebAssembly codec) on worker threads for the
 * Node entry (see zstd-for-node.ts): the writer's compression and the
 * scanner's decompression then leave the JS thread, which goes on batching,
 * sending and parsing, and several batches (de)compress on several cores at
 * once.
 *
 * Jobs queued within one tick are sent to a worker as one message (a batch's
 * buffers are queued together by `encodeArrowRecordBatch` /
 * `decodeArrowRecordBatch`), so a batch costs one round trip, not one per
 * buffer. The inputs of a message are copied once into one buffer that is
 * transferred (the caller's bytes, e.g. a user's Arrow columns, are never
 * detached) and handed back with the results, to be reused: fresh memory for
 * every batch cost more in page faults and garbage collection than the copy
 * itself (bench/log-throughput.ts, append profile). Outputs come back
 * transferred, without a copy. Workers are unref'd: an idle pool never keeps
 * the process alive.
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
/** Input buffers kept for reuse: at most this many, each at most {@link ARENA_MAX_KEPT_BYTES}. */
const ARENAS_KEPT = 4;
const ARENA_MAX_KEPT_BYTES = 16 * 1024 * 1024;
/** New input buffers are at least this large, so that a reused one fits most messages. */
const ARENA_MIN_BYTES = 1024 * 1024;

/** The pool cannot run the job (closed, or a worker died); the job itself may be fine. */
export class CodecPoolUnavailable extends Error {
  override readonly name = "CodecPoolUnavailable";
}

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
  #queued: { id: number; makeJob: (data: Uint8Array) => CodecJob; data: Uint8Array; pending: Pending }[] = [];
  /** Input buffers back from the workers, ready for the next messages. */
  #arenas: ArrayBuffer[] = [];
  #flushQueued = false;
  #nextId = 1;
  #failed: CodecPoolUnavailable | undefined;

  private constructor(workers: PooledWorker[]) {
    this.#workers = workers;
    for (const pooled of workers) {
      pooled.worker.on("message", (message: CodecResultsMessage) => this.#settle(pooled, message));
      pooled.worker.on("error", (error) => this.#fail(pooled, new CodecPoolUnavailable(`codec worker failed: ${error.message}`)));
      pooled.worker.on("exit", (code) => this.#fail(pooled, new CodecPoolUnavailable(`codec worker exited with code ${code}`)));
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
    return this.#enqueue((id, input) => ({ id, op: "compress", data: input, level }), data);
  }

  async decompress(data: Uint8Array, uncompressedLength: number): Promise<Uint8Array> {
    const out = await this.#enqueue((id, input) => ({ id, op: "decompress", data: input, uncompressedLength }), data);
    if (!out || out.length !== uncompressedLength) {
      throw new Error(`ZSTD data expands to ${out?.length ?? 0} bytes, expected ${uncompressedLength}`);
    }
    return out;
  }

  /** Stops the workers; queued and running jobs fail. */
  async close(): Promise<void> {
    this.#failed ??= new CodecPoolUnavailable("the codec worker pool is closed");
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  #enqueue(makeJob: (id: number, input: Uint8Array) => CodecJob, data: Uint8Array): Promise<Uint8Array | null> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      // The bytes are copied when this tick's message is assembled (in a microtask), into the
      // message's one transferred buffer. Callers hand over bytes nobody changes afterwards: a sealed
      // batch's buffers (Arrow data given to the writer is not to be changed, as in apache-arrow
      // generally) and views into a fetched response.
      const id = this.#nextId++;
      this.#queued.push({ id, makeJob: (input) => makeJob(id, input), data, pending: { resolve, reject } });
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
    if (this.#failed) {
      for (const entry of queued) entry.pending.reject(this.#failed);
      return;
    }
    const batches = new Map<PooledWorker, typeof queued>();
    // Largest first onto the least loaded worker: a simple, good-enough balance.
    queued.sort((a, b) => b.data.length - a.data.length);
    for (const entry of queued) {
      let target = this.#workers[0]!;
      for (const w of this.#workers) if (w.outstandingBytes < target.outstandingBytes) target = w;
      target.outstandingBytes += entry.data.length;
      // Busy workers keep the process alive (a script awaiting a flush must not exit early); idle ones do not.
      if (target.jobs.size === 0) target.worker.ref();
      target.jobs.set(entry.id, { pending: entry.pending, bytes: entry.data.length });
      const list = batches.get(target);
      if (list) list.push(entry);
      else batches.set(target, [entry]);
    }
    for (const [pooled, entries] of batches) {
      // Each input at an 8-byte boundary of the message's buffer.
      const total = entries.reduce((sum, e) => sum + align8(e.data.length), 0);
      const inputs = this.#arena(total);
      const bytes = new Uint8Array(inputs);
      let at = 0;
      const jobs = entries.map((e) => {
        bytes.set(e.data, at);
        const job = e.makeJob(bytes.subarray(at, at + e.data.length));
        at += align8(e.data.length);
        return job;
      });
      pooled.worker.postMessage({ jobs, inputs } satisfies CodecJobsMessage, [inputs]);
    }
  }

  /** A kept input buffer of at least `size` bytes, or a new one. */
  #arena(size: number): ArrayBuffer {
    const i = this.#arenas.findIndex((a) => a.byteLength >= size);
    if (i >= 0) return this.#arenas.splice(i, 1)[0]!;
    return new ArrayBuffer(Math.max(size, ARENA_MIN_BYTES));
  }

  #keepArena(buffer: ArrayBuffer): void {
    if (buffer.byteLength > ARENA_MAX_KEPT_BYTES) return;
    this.#arenas.push(buffer);
    // The smallest go first: the larger ones fit more messages.
    if (this.#arenas.length > ARENAS_KEPT) {
      this.#arenas.sort((a, b) => b.byteLength - a.byteLength);
      this.#arenas.length = ARENAS_KEPT;
    }
  }

  #settle(pooled: PooledWorker, { results, inputs }: CodecResultsMessage): void {
    this.#keepArena(inputs);
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
  #fail(pooled: PooledWorker, error: CodecPoolUnavailable): void {
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

/**
 * The in-thread codec with `compressAsync` / `decompressAsync` served by the
 * pool for buffers of at least {@link POOL_MIN_BYTES}; smaller ones and the
 * synchronous forms stay on the JS thread. When the pool is gone (a worker
 * died, or it was closed), calls run on the JS thread instead, including
 * those that were in flight on a dead worker: a worker failure never fails a
 * batch. Errors of the data itself (a malformed frame) are reported as such.
 */
export function pooledCodec(local: BufferCodec, pool: CodecWorkerPool): BufferCodec {
  const usable = (n: number): boolean => n >= POOL_MIN_BYTES && pool.healthy;
  const decompressLocally = (data: Uint8Array, n: number): Promise<Uint8Array> => {
    try {
      return Promise.resolve(local.decompress(data, n));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    name: local.name,
    compress: (data, level) => local.compress(data, level),
    decompress: (data, n) => local.decompress(data, n),
    compressAsync: (data, level) => {
      if (!usable(data.length)) return Promise.resolve(local.compress(data, level));
      return pool.compress(data, level).catch((error: unknown) => {
        if (error instanceof CodecPoolUnavailable) return local.compress(data, level);
        throw error;
      });
    },
    decompressAsync: (data, n) => {
      if (!usable(n)) return decompressLocally(data, n);
      return pool.decompress(data, n).catch((error: unknown) => {
        if (error instanceof CodecPoolUnavailable) return decompressLocally(data, n);
        throw error;
      });
    },
  };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
