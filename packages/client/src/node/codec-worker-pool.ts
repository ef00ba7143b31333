import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import type { CodecJob, CodecJobsMessage, CodecReadyMessage, CodecResultsMessage, CodecWorkerData } from "./codec-worker-protocol.js";
import { FifoRing } from "./fifo-ring.js";

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
 * buffer. Each input is copied once into the worker's inbox, a
 * SharedArrayBuffer of {@link INBOX_BYTES} handed out as a ring (the
 * caller's bytes, e.g. a user's Arrow columns, are never detached). The same
 * memory serves every batch: copying into fresh buffers spent most of its
 * time in page faults (about 60 ms against 9 ms per 113 MB here), the main
 * thread's largest cost when appending Arrow data. A job waits on the main
 * thread while its worker's inbox is full, which also keeps a burst of
 * batches from piling up in the workers. Outputs come back transferred,
 * without a copy. Workers are unref'd: an idle pool never keeps the process
 * alive.
 */

/**
 * Buffers smaller than this stay on the JS thread (validity bitmaps, short
 * batches). Larger ones ride in their batch's single message, so even
 * medium buffers are worth sending: a batch of the Java client's default
 * 2 MiB has most columns below 64 KiB.
 */
export const POOL_MIN_BYTES = 4 * 1024;
/**
 * Each worker's inbox: room for several batches of the writer's default
 * 2 MiB in flight at once. Pages are only touched as the ring first goes
 * round; a buffer larger than this stays on the JS thread.
 */
export const INBOX_BYTES = 16 * 1024 * 1024;
/** At most this many workers, whatever the core count (each holds a WebAssembly codec of a few MiB). */
const MAX_WORKERS = 4;

/** The pool cannot run the job (closed, or a worker died); the job itself may be fine. */
export class CodecPoolUnavailable extends Error {
  override readonly name = "CodecPoolUnavailable";
}

interface Pending {
  resolve(data: Uint8Array | null): void;
  reject(error: Error): void;
}

interface Queued {
  id: number;
  makeJob: (offset: number, length: number) => CodecJob;
  data: Uint8Array;
  pending: Pending;
}

interface PooledWorker {
  worker: Worker;
  inbox: Uint8Array;
  /** The inbox ranges of the jobs sent and not answered yet. */
  ring: FifoRing;
  /** Jobs per message sent and not answered yet, oldest first (the worker answers in order). */
  messageSizes: number[];
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
  /** Jobs not sent yet, oldest first: queued in this tick, or waiting for inbox room. */
  #queued: Queued[] = [];
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
    const workers = await Promise.all(
      Array.from({ length: size }, async (): Promise<PooledWorker> => {
        const inbox = new SharedArrayBuffer(INBOX_BYTES);
        const worker = await startWorker({ inbox });
        return { worker, inbox: new Uint8Array(inbox), ring: new FifoRing(INBOX_BYTES), messageSizes: [], outstandingBytes: 0, jobs: new Map() };
      }),
    );
    return new CodecWorkerPool(workers);
  }

  get size(): number {
    return this.#workers.length;
  }

  /** False once a worker failed or the pool was closed: callers should use the JS thread instead. */
  get healthy(): boolean {
    return this.#failed === undefined;
  }

  compress(data: Uint8Array, level: number): Promise<Uint8Array | null> {
    return this.#enqueue((id, offset, length) => ({ id, op: "compress", offset, length, level }), data);
  }

  async decompress(data: Uint8Array, uncompressedLength: number): Promise<Uint8Array> {
    const out = await this.#enqueue((id, offset, length) => ({ id, op: "decompress", offset, length, uncompressedLength }), data);
    if (!out || out.length !== uncompressedLength) {
      throw new Error(`ZSTD data expands to ${out?.length ?? 0} bytes, expected ${uncompressedLength}`);
    }
    return out;
  }

  /** Stops the workers; queued and running jobs fail. */
  async close(): Promise<void> {
    this.#failed ??= new CodecPoolUnavailable("the codec worker pool is closed");
    this.#rejectQueued();
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  #enqueue(makeJob: (id: number, offset: number, length: number) => CodecJob, data: Uint8Array): Promise<Uint8Array | null> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (data.length > INBOX_BYTES) return Promise.reject(new CodecPoolUnavailable(`${data.length} bytes do not fit a codec worker's inbox`));
    return new Promise((resolve, reject) => {
      // The bytes are copied into an inbox when this tick's messages are assembled (in a
      // microtask), or later if the inboxes are full. Callers hand over bytes nobody changes
      // afterwards: a sealed batch's buffers (Arrow data given to the writer is not to be changed,
      // as in apache-arrow generally) and views into a fetched response.
      const id = this.#nextId++;
      this.#queued.push({ id, makeJob: (offset, length) => makeJob(id, offset, length), data, pending: { resolve, reject } });
      this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => this.#flush());
  }

  /**
   * Sends what is queued, oldest first, each job to the least loaded worker
   * with inbox room for it: one message per worker. Jobs no inbox has room
   * for wait for the next answer.
   */
  #flush(): void {
    this.#flushQueued = false;
    if (this.#failed) return this.#rejectQueued();
    const messages = new Map<PooledWorker, CodecJob[]>();
    const waiting: Queued[] = [];
    for (const entry of this.#queued) {
      const placed = this.#place(entry.data.length);
      if (!placed) {
        waiting.push(entry);
        continue;
      }
      const { target, offset } = placed;
      target.inbox.set(entry.data, offset);
      target.outstandingBytes += entry.data.length;
      // Busy workers keep the process alive (a script awaiting a flush must not exit early); idle ones do not.
      if (target.jobs.size === 0) target.worker.ref();
      target.jobs.set(entry.id, { pending: entry.pending, bytes: entry.data.length });
      const jobs = messages.get(target);
      const job = entry.makeJob(offset, entry.data.length);
      if (jobs) jobs.push(job);
      else messages.set(target, [job]);
    }
    this.#queued = waiting;
    for (const [pooled, jobs] of messages) {
      pooled.messageSizes.push(jobs.length);
      pooled.worker.postMessage({ jobs } satisfies CodecJobsMessage);
    }
  }

  /** An inbox range for `length` bytes in the least loaded worker that has one. */
  #place(length: number): { target: PooledWorker; offset: number } | undefined {
    const byLoad = this.#workers.length === 1 ? this.#workers : [...this.#workers].sort((a, b) => a.outstandingBytes - b.outstandingBytes);
    for (const target of byLoad) {
      // Each input at an 8-byte boundary, as Arrow buffers are.
      const offset = target.ring.allocate(align8(length));
      if (offset !== undefined) return { target, offset };
    }
    return undefined;
  }

  #settle(pooled: PooledWorker, { results }: CodecResultsMessage): void {
    pooled.ring.release(pooled.messageSizes.shift() ?? 0);
    for (const result of results) {
      const job = pooled.jobs.get(result.id);
      if (!job) continue;
      pooled.jobs.delete(result.id);
      pooled.outstandingBytes -= job.bytes;
      if ("error" in result) job.pending.reject(new Error(result.error));
      else job.pending.resolve(result.data);
    }
    if (pooled.jobs.size === 0) pooled.worker.unref();
    if (this.#queued.length > 0) this.#scheduleFlush();
  }

  /** A worker died: its jobs fail, and so does every later call (the codec falls back to the JS thread). */
  #fail(pooled: PooledWorker, error: CodecPoolUnavailable): void {
    this.#failed ??= error;
    for (const { pending } of pooled.jobs.values()) pending.reject(error);
    pooled.jobs.clear();
    pooled.outstandingBytes = 0;
    this.#rejectQueued();
  }

  #rejectQueued(): void {
    const queued = this.#queued;
    this.#queued = [];
    for (const entry of queued) entry.pending.reject(this.#failed!);
  }
}

/**
 * The worker: the compiled JS next to this file, or, when this module runs
 * from its TypeScript source (tests, tsx), that source loaded through tsx's
 * loader registered inside the worker (a dev-only path).
 */
function createWorker(workerData: CodecWorkerData): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./codec-worker.js", import.meta.url), { workerData });
  const source = new URL("./codec-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

function startWorker(workerData: CodecWorkerData): Promise<Worker> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = createWorker(workerData);
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
 * pool for buffers of at least {@link POOL_MIN_BYTES} whose input fits an
 * inbox; other buffers and the synchronous forms stay on the JS thread. When the pool is gone (a worker
 * died, or it was closed), calls run on the JS thread instead, including
 * those that were in flight on a dead worker: a worker failure never fails a
 * batch. Errors of the data itself (a malformed frame) are reported as such.
 */
export function pooledCodec(local: BufferCodec, pool: CodecWorkerPool): BufferCodec {
  /** `work`: the bytes the job produces or consumes, whichever is larger; `input`: what goes in the inbox. */
  const usable = (work: number, input: number): boolean => work >= POOL_MIN_BYTES && input <= INBOX_BYTES && pool.healthy;
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
      if (!usable(data.length, data.length)) return Promise.resolve(local.compress(data, level));
      return pool.compress(data, level).catch((error: unknown) => {
        if (error instanceof CodecPoolUnavailable) return local.compress(data, level);
        throw error;
      });
    },
    decompressAsync: (data, n) => {
      if (!usable(n, data.length)) return decompressLocally(data, n);
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
