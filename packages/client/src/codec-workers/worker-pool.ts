import { decompressPartsLocally, type BufferCodec, type DecompressPart } from "../wire/records/compression/codec.js";
import { FifoRing } from "./fifo-ring.js";
import type { CodecJob, CodecJobResult, CodecResultsMessage, CodecWorkerInit, CodecWorkerReply, CodecWorkerRequest } from "./protocol.js";

/**
 * Runs ZSTD (the universal WebAssembly codec) on worker threads: Node's
 * worker threads (node/zstd-for-node.ts) or a page's Web Workers
 * (web/zstd-for-web.ts). The writer's compression and the scanner's
 * decompression then leave the JS thread, which goes on batching, sending,
 * parsing (and, in a page, drawing), and several batches (de)compress on
 * several cores at once.
 *
 * A decompress job is a whole Arrow body (every compressed buffer of one
 * batch, `decodeArrowRecordBatch`); a compress job is one buffer, and a
 * batch's buffers are queued together by `encodeArrowRecordBatch`. Jobs
 * queued within one tick travel to a worker together, in messages of about
 * {@link MESSAGE_INPUT_BYTES}, so a batch costs about one round trip,
 * not one per buffer, and a burst comes back as a stream. Each input is copied once: where memory can be shared, into the
 * worker's inbox, a SharedArrayBuffer of {@link INBOX_BYTES} handed out as a
 * ring; elsewhere into a buffer of its own that moves to the worker. Either
 * way the caller's bytes (e.g. a user's Arrow columns) are never detached.
 * The inbox serves every batch: copying into fresh buffers spent most of
 * its time in page faults (about 60 ms against 9 ms per 113 MB on Node), the
 * JS thread's largest cost when appending Arrow data. A job waits on the JS
 * thread while its worker has {@link INBOX_BYTES} in flight (the ring keeps
 * that count, inbox or not), which also keeps a burst of batches from piling
 * up in the workers. Outputs come back transferred, without a copy.
 */

/**
 * Jobs smaller than this stay on the JS thread: buffers to compress
 * (validity bitmaps, short batches), and Arrow bodies that decompress to
 * less. Larger ones ride in their batch's message, so even medium buffers
 * are worth sending: a batch of the Java client's default 2 MiB has most
 * columns below 64 KiB.
 */
export const POOL_MIN_BYTES = 4 * 1024;
/**
 * The input bytes each worker may have in flight: room for several batches
 * of the writer's default 2 MiB. With shared memory it is the size of the
 * worker's inbox, whose pages are only touched as the ring first goes round.
 * A buffer larger than this stays on the JS thread.
 */
export const INBOX_BYTES = 16 * 1024 * 1024;
/** At most this many workers, whatever the core count (each holds a WebAssembly codec of a few MiB). */
export const MAX_CODEC_WORKERS = 4;
/**
 * A message to a worker closes once its inputs reach this many bytes, and
 * the next jobs go in another: a worker answers per message, so a fetch
 * round's dozens of batches come back in a stream that the JS thread
 * assembles while the workers go on, rather than all at once at the end.
 * Measured on a fresh 1M-row Arrow scan of the log bench (6 interleaved
 * runs each, bench/edge-log-bench.ts): 0.190 s and 302 ms of CPU against
 * 0.206 s and 334 ms in one message per worker per tick; appends unchanged.
 */
export const MESSAGE_INPUT_BYTES = 256 * 1024;
/**
 * A worker that has work and answers nothing for this long is taken for
 * stuck: it is stopped and its jobs, like every later one, run on the JS
 * thread. Its normal answer time is milliseconds (a whole inbox of 16 MiB
 * compresses in well under a second even on a loaded core), so this only
 * turns a worker that will never answer (a runtime bug, a debugger, a
 * suspended thread) into a slow call rather than a writer or scanner that
 * waits forever.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 30_000;

/**
 * The JS thread's end of one worker, as its host runtime provides it. The
 * host calls `onMessage` with each reply and `onFailure` once if the worker
 * dies or cannot start.
 */
export interface CodecWorkerHandle {
  onMessage: ((message: CodecWorkerReply) => void) | undefined;
  onFailure: ((error: Error) => void) | undefined;
  post(message: CodecWorkerRequest, transfer: ArrayBuffer[]): void;
  /** Whether the worker has work; a Node host keeps the process alive only while it does. */
  setBusy(busy: boolean): void;
  terminate(): Promise<void>;
}

/** For hosts: reports the first failure of a worker to its handle, and ignores the rest. */
export function reportFailureOnce(handle: CodecWorkerHandle): (error: Error) => void {
  let failed = false;
  return (error) => {
    if (failed) return;
    failed = true;
    handle.onFailure?.(error);
  };
}

/** Starts one worker (its script begins to load; it waits for its init message). */
export type SpawnCodecWorker = () => CodecWorkerHandle;

export interface CodecWorkerPoolOptions {
  /** Worker count (at most {@link MAX_CODEC_WORKERS}). */
  size: number;
  /** Give each worker a SharedArrayBuffer inbox (only where the runtime has SharedArrayBuffer). */
  sharedInbox: boolean;
  /** See {@link DEFAULT_STALL_TIMEOUT_MS}. */
  stallTimeoutMs?: number;
  /** The compiled ZSTD module, posted to each worker so that it does not compile its own (about 10 ms of each). */
  zstdModule?: WebAssembly.Module;
}

/** The pool cannot run the job (closed, or a worker died); the job itself may be fine. */
export class CodecPoolUnavailable extends Error {
  override readonly name = "CodecPoolUnavailable";
}

interface Pending {
  resolve(result: CodecJobResult): void;
  reject(error: Error): void;
}

interface Queued {
  /** The message for the worker, its `offset` (and `input`) set when the input is placed. */
  job: CodecJob;
  data: Uint8Array;
  pending: Pending;
}

interface PooledWorker {
  worker: CodecWorkerHandle;
  /** Undefined: each job's input travels in its message. */
  inbox: Uint8Array | undefined;
  /** The inbox ranges (or, without an inbox, the in-flight byte budget) of the jobs sent and not answered yet. */
  ring: FifoRing;
  /** Jobs per message sent and not answered yet, oldest first (the worker answers in order). */
  messageSizes: number[];
  /** Bytes sent and not answered yet: new work goes to the least loaded worker. */
  outstandingBytes: number;
  jobs: Map<number, { pending: Pending; bytes: number }>;
  /** Runs while the worker has unanswered messages; restarted by each answer (see {@link DEFAULT_STALL_TIMEOUT_MS}). */
  stallTimer: ReturnType<typeof setTimeout> | undefined;
  /** Settles the worker's part of {@link CodecWorkerPool.prepareCompression} while it warms its encoder up. */
  preparing: (() => void) | undefined;
}

export class CodecWorkerPool {
  readonly #workers: PooledWorker[];
  /**
   * Jobs not sent yet, oldest first: queued in this tick, or waiting for inbox
   * room. Always this one array, emptied in place: a fresh empty array per
   * flush made V8 throw away the compiled code that queues a job (a fresh
   * scan recompiled the decompress path once for it).
   */
  readonly #queued: Queued[] = [];
  #flushQueued = false;
  #nextId = 1;
  #failed: CodecPoolUnavailable | undefined;
  readonly #stallTimeoutMs: number;
  #compressionPrepared: Promise<void> | undefined;

  private constructor(workers: PooledWorker[], stallTimeoutMs: number) {
    this.#workers = workers;
    this.#stallTimeoutMs = stallTimeoutMs;
    for (const pooled of workers) {
      pooled.worker.onMessage = (message) => {
        if ("results" in message) this.#settle(pooled, message);
        else if ("prepared" in message) this.#prepared(pooled);
      };
      pooled.worker.onFailure = (error) => this.#fail(pooled, new CodecPoolUnavailable(error.message));
    }
  }

  /**
   * Starts the workers and waits until each has loaded and warmed up its
   * codec. Rejects if a worker cannot start (e.g. its script cannot be
   * loaded); the caller then keeps the in-thread codec.
   */
  static async start(spawn: SpawnCodecWorker, options: CodecWorkerPoolOptions): Promise<CodecWorkerPool> {
    const size = Math.max(1, Math.min(MAX_CODEC_WORKERS, Math.floor(options.size)));
    const started = await Promise.allSettled(
      Array.from({ length: size }, async (): Promise<PooledWorker> => {
        const inbox = options.sharedInbox ? new SharedArrayBuffer(INBOX_BYTES) : undefined;
        const worker = await startWorker(spawn, inbox, options.zstdModule);
        return {
          worker,
          inbox: inbox && new Uint8Array(inbox),
          ring: new FifoRing(INBOX_BYTES),
          messageSizes: [],
          outstandingBytes: 0,
          jobs: new Map(),
          stallTimer: undefined,
          preparing: undefined,
        };
      }),
    );
    const failure = started.find((outcome) => outcome.status === "rejected");
    if (failure) {
      await Promise.all(started.map((outcome) => (outcome.status === "fulfilled" ? outcome.value.worker.terminate() : undefined)));
      throw failure.reason;
    }
    const workers = started.map((outcome) => (outcome as PromiseFulfilledResult<PooledWorker>).value);
    return new CodecWorkerPool(workers, options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS);
  }

  get size(): number {
    return this.#workers.length;
  }

  /** False once a worker failed or the pool was closed: callers should use the JS thread instead. */
  get healthy(): boolean {
    return this.#failed === undefined;
  }

  /**
   * Has every worker get its encoder ready (warmed up) now (a writer is about
   * to compress); resolves once all have, or have failed. Without it, a
   * worker does so with its first compress job, which then waits for it.
   */
  prepareCompression(): Promise<void> {
    return (this.#compressionPrepared ??= Promise.all(
      this.#workers.map(
        (pooled) =>
          new Promise<void>((resolve) => {
            if (this.#failed) return resolve();
            pooled.preparing = resolve;
            // A Node process must not exit while a writer waits for this.
            pooled.worker.setBusy(true);
            pooled.worker.post({ prepare: "compression" }, []);
          }),
      ),
    ).then(() => undefined));
  }

  async compress(data: Uint8Array, level: number): Promise<Uint8Array | null> {
    const result = await this.#enqueue({ id: this.#nextId++, op: "compress", offset: 0, length: data.length, level }, data);
    return "data" in result ? result.data : null;
  }

  /**
   * Decompresses the {@link DecompressPart}s of `input` in one job, on one
   * worker. Only the range of `input` that holds the parts travels (an Arrow
   * body's uncompressed buffers at its ends stay behind).
   */
  async decompressParts(input: Uint8Array, parts: readonly DecompressPart[]): Promise<Uint8Array[]> {
    let start = input.length;
    let end = 0;
    for (const part of parts) {
      start = Math.min(start, part.offset);
      end = Math.max(end, part.offset + part.length);
    }
    const triples: number[] = [];
    for (const part of parts) triples.push(part.offset - start, part.length, part.uncompressedLength);
    const span = input.subarray(start, Math.max(start, end));
    const result = await this.#enqueue({ id: this.#nextId++, op: "decompress", offset: 0, length: span.length, parts: triples }, span);
    const outputs = "outputs" in result ? result.outputs : [];
    if (outputs.length !== parts.length) throw new Error(`a codec worker returned ${outputs.length} buffers for ${parts.length}`);
    for (let i = 0; i < parts.length; i++) {
      if (outputs[i]!.length !== parts[i]!.uncompressedLength) {
        throw new Error(`ZSTD data expands to ${outputs[i]!.length} bytes, expected ${parts[i]!.uncompressedLength}`);
      }
    }
    return outputs;
  }

  /** Stops the workers; queued and running jobs fail. */
  async close(): Promise<void> {
    this.#failed ??= new CodecPoolUnavailable("the codec worker pool is closed");
    this.#rejectQueued();
    for (const pooled of this.#workers) {
      this.#stopStallTimer(pooled);
      this.#prepared(pooled);
    }
    await Promise.all(this.#workers.map((pooled) => pooled.worker.terminate()));
  }

  #enqueue(job: CodecJob, data: Uint8Array): Promise<CodecJobResult> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (data.length > INBOX_BYTES) return Promise.reject(new CodecPoolUnavailable(`${data.length} bytes do not fit a codec worker's inbox`));
    // No inbox range is ever free for zero bytes (a malformed batch can claim a large buffer with
    // an empty frame): such a job would wait forever. The JS thread reports what is wrong with it.
    if (data.length === 0) return Promise.reject(new CodecPoolUnavailable("an empty input is left to the JS thread"));
    return new Promise((resolve, reject) => {
      // The bytes are copied (into an inbox, or a buffer that moves to the worker) when this
      // tick's messages are assembled (in a microtask), or later if the workers are full. Callers hand over bytes nobody changes
      // afterwards: a sealed batch's buffers (Arrow data given to the writer is not to be changed,
      // as in apache-arrow generally) and views into a fetched response.
      this.#queued.push({ job, data, pending: { resolve, reject } });
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
    const messages = new Map<PooledWorker, { jobs: CodecJob[]; bytes: number }>();
    const queued = this.#queued;
    // Jobs no inbox has room for stay, in order, at the front.
    let waiting = 0;
    for (const entry of queued) {
      const placed = this.#place(entry.data.length);
      if (!placed) {
        queued[waiting++] = entry;
        continue;
      }
      const { target, offset } = placed;
      const job = entry.job;
      if (target.inbox) {
        target.inbox.set(entry.data, offset);
        job.offset = offset;
      } else {
        // A copy in an ArrayBuffer of its own (not `slice()`: on a Node Buffer that is a view, and
        // moving it would detach the caller's memory).
        job.input = new Uint8Array(entry.data);
      }
      target.outstandingBytes += entry.data.length;
      // Busy workers keep a Node process alive (a script awaiting a flush must not exit early); idle ones do not.
      if (target.jobs.size === 0) target.worker.setBusy(true);
      target.jobs.set(job.id, { pending: entry.pending, bytes: entry.data.length });
      let open = messages.get(target);
      if (!open) messages.set(target, (open = { jobs: [], bytes: 0 }));
      open.jobs.push(job);
      open.bytes += entry.data.length;
      if (open.bytes >= MESSAGE_INPUT_BYTES) {
        this.#post(target, open.jobs);
        messages.delete(target);
      }
    }
    queued.length = waiting;
    for (const [pooled, { jobs }] of messages) this.#post(pooled, jobs);
  }

  #post(pooled: PooledWorker, jobs: CodecJob[]): void {
    pooled.messageSizes.push(jobs.length);
    const transfer: ArrayBuffer[] = [];
    for (const job of jobs) if (job.input) transfer.push(job.input.buffer as ArrayBuffer);
    pooled.worker.post({ jobs }, transfer);
    if (pooled.stallTimer === undefined) this.#startStallTimer(pooled);
  }

  /** Fails the worker if it answers nothing for the stall timeout (one timer per worker, not per message). */
  #startStallTimer(pooled: PooledWorker): void {
    const timer = setTimeout(() => {
      pooled.stallTimer = undefined;
      if (pooled.messageSizes.length === 0) return;
      this.#fail(pooled, new CodecPoolUnavailable(`a codec worker answered nothing for ${this.#stallTimeoutMs} ms`));
      void pooled.worker.terminate().catch(() => undefined);
    }, this.#stallTimeoutMs);
    // Never what keeps a Node process alive: a busy worker does that.
    (timer as { unref?: () => void }).unref?.();
    pooled.stallTimer = timer;
  }

  #stopStallTimer(pooled: PooledWorker): void {
    if (pooled.stallTimer !== undefined) clearTimeout(pooled.stallTimer);
    pooled.stallTimer = undefined;
  }

  /**
   * An inbox range for `length` bytes in the least loaded worker that has
   * one. Runs once per buffer: workers are taken by rank (at most four)
   * rather than by sorting a copy of the list each time.
   */
  #place(length: number): { target: PooledWorker; offset: number } | undefined {
    // Each input at an 8-byte boundary, as Arrow buffers are.
    const size = align8(length);
    const workers = this.#workers;
    let tried = 0;
    for (let rank = 0; rank < workers.length; rank++) {
      let pick = -1;
      for (let i = 0; i < workers.length; i++) {
        if ((tried & (1 << i)) === 0 && (pick < 0 || workers[i]!.outstandingBytes < workers[pick]!.outstandingBytes)) pick = i;
      }
      tried |= 1 << pick;
      const target = workers[pick]!;
      const offset = target.ring.allocate(size);
      if (offset !== undefined) return { target, offset };
    }
    return undefined;
  }

  #settle(pooled: PooledWorker, { results }: CodecResultsMessage): void {
    pooled.ring.release(pooled.messageSizes.shift() ?? 0);
    // An answer is progress: the next one gets the whole stall timeout again.
    this.#stopStallTimer(pooled);
    if (pooled.messageSizes.length > 0) this.#startStallTimer(pooled);
    for (const result of results) {
      const job = pooled.jobs.get(result.id);
      if (!job) continue;
      pooled.jobs.delete(result.id);
      pooled.outstandingBytes -= job.bytes;
      if ("error" in result) job.pending.reject(new Error(result.error));
      else job.pending.resolve(result);
    }
    if (pooled.jobs.size === 0 && !pooled.preparing) pooled.worker.setBusy(false);
    if (this.#queued.length > 0) this.#scheduleFlush();
  }

  #prepared(pooled: PooledWorker): void {
    const resolve = pooled.preparing;
    pooled.preparing = undefined;
    if (pooled.jobs.size === 0) pooled.worker.setBusy(false);
    resolve?.();
  }

  /** A worker died: its jobs fail, and so does every later call (the codec falls back to the JS thread). */
  #fail(pooled: PooledWorker, error: CodecPoolUnavailable): void {
    this.#failed ??= error;
    this.#stopStallTimer(pooled);
    for (const { pending } of pooled.jobs.values()) pending.reject(error);
    pooled.jobs.clear();
    pooled.outstandingBytes = 0;
    // Nobody waits on a dead worker's encoder: compression falls back to the JS thread.
    for (const each of this.#workers) this.#prepared(each);
    this.#rejectQueued();
  }

  #rejectQueued(): void {
    for (const entry of this.#queued.splice(0)) entry.pending.reject(this.#failed!);
  }
}

/**
 * The in-thread codec with `compressAsync` / `decompressPartsAsync` served by
 * the pool for jobs of at least {@link POOL_MIN_BYTES} whose input fits an
 * inbox; other jobs and the synchronous forms stay on the JS thread. When
 * the pool is gone (a worker
 * died, or it was closed), calls run on the JS thread instead, including
 * those that were in flight on a dead worker: a worker failure never fails a
 * batch. Errors of the data itself (a malformed frame) are reported as such.
 *
 * Compression: `prepareCompression` readies the workers' encoders. The JS
 * thread's codec compresses buffers under POOL_MIN_BYTES (not worth a round
 * trip) and whatever the pool cannot take (the pool is gone, or a buffer
 * does not fit an inbox).
 */
export function pooledCodec(local: BufferCodec, pool: CodecWorkerPool): BufferCodec {
  /** `work`: the bytes the job produces or consumes, whichever is larger; `input`: what goes in the inbox. */
  const usable = (work: number, input: number): boolean => work >= POOL_MIN_BYTES && input <= INBOX_BYTES && pool.healthy;
  const decompressLocally = (input: Uint8Array, parts: readonly DecompressPart[]): Promise<Uint8Array[]> =>
    settled(() => decompressPartsLocally(local, input, parts));
  const compressLocally = (data: Uint8Array, level: number): Promise<Uint8Array | null> => settled(() => local.compress(data, level));
  return {
    name: local.name,
    compress: (data, level) => local.compress(data, level),
    decompress: (data, n) => local.decompress(data, n),
    prepareCompression: () => pool.prepareCompression(),
    compressAsync: (data, level) => {
      // Nothing to compress: stored as it is (the Arrow writer skips empty buffers anyway), without loading an encoder for it.
      if (data.length === 0) return Promise.resolve(null);
      if (!usable(data.length, data.length)) return compressLocally(data, level);
      return pool.compress(data, level).catch((error: unknown) => {
        if (error instanceof CodecPoolUnavailable) return compressLocally(data, level);
        throw error;
      });
    },
    decompressPartsAsync: (input, parts) => {
      let work = 0;
      for (const part of parts) work += part.uncompressedLength;
      if (!usable(work, input.length)) return decompressLocally(input, parts);
      return pool.decompressParts(input, parts).catch((error: unknown) => {
        if (error instanceof CodecPoolUnavailable) return decompressLocally(input, parts);
        throw error;
      });
    },
  };
}

/** `run()`'s value as a promise, its throw as a rejection (an async form of a synchronous call). */
function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Spawns a worker, sends its init and waits for its "ready". */
function startWorker(spawn: SpawnCodecWorker, inbox: SharedArrayBuffer | undefined, zstdModule: WebAssembly.Module | undefined): Promise<CodecWorkerHandle> {
  return new Promise((resolve, reject) => {
    let worker: CodecWorkerHandle;
    try {
      worker = spawn();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    worker.onFailure = (error) => {
      worker.onMessage = worker.onFailure = undefined;
      reject(error);
    };
    worker.onMessage = (message) => {
      worker.onMessage = worker.onFailure = undefined;
      if (!("ready" in message) || message.error !== undefined) {
        void worker.terminate();
        reject(new Error(`codec worker could not load ZSTD: ${"ready" in message ? message.error : "unexpected first message"}`));
        return;
      }
      worker.setBusy(false);
      resolve(worker);
    };
    const init: CodecWorkerInit["init"] = inbox ? { inbox } : {};
    try {
      worker.post({ init: zstdModule ? { ...init, zstdModule } : init }, []);
    } catch {
      // A runtime that cannot post a WebAssembly.Module to a worker (DataCloneError): the worker compiles its own.
      worker.post({ init }, []);
    }
  });
}
