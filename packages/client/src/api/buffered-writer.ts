import type { ClusterClient } from "../client/cluster-client.js";
import { EventLoopTurns } from "../client/event-loop.js";
import type { TableLeaders } from "../client/table-leaders.js";
import { BufferMemory } from "../client/write/buffer-memory.js";
import type { KvRecordEncoder } from "../client/write/kv-encoder.js";
import { RecordAccumulator } from "../client/write/record-accumulator.js";
import { rowLogEncoderOf } from "../client/write/row-log-encoder.js";
import { Sender } from "../client/write/sender.js";
import { logCompressionOf, writerOptionsFrom, type WriterOptions } from "../client/write/write-options.js";
import type { ResolvedConfig } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/index.js";

/** Options of a writer's `close`. */
export interface CloseOptions {
  /**
   * How long to wait for unacknowledged rows (default: as long as it takes,
   * like the official clients). When it runs out, the rows still waiting
   * fail with a CLIENT_ERROR and `close` rejects with it.
   */
  timeoutMs?: number;
}

/**
 * What the append and upsert writers share: the buffer memory and its
 * backpressure, the accumulator that batches rows per bucket, the sender
 * that ships the batches (ProduceLog, or PutKv with `kv`), `flush` and
 * `close`.
 */
export abstract class BufferedWriter implements AsyncDisposable {
  /** @internal */
  protected readonly info: TableInfo;
  /** @internal */
  protected readonly options: WriterOptions;
  /** @internal */
  protected readonly memory: BufferMemory;
  /** @internal */
  protected readonly acc: RecordAccumulator;
  /** @internal Time slices of the caller's producer loop (ready(), the Arrow methods). */
  protected readonly turns = new EventLoopTurns();
  readonly #sender: Sender;
  #closed = false;
  #closing: Promise<void> | undefined;
  #closeDone = false;
  #closeDeadline = Number.POSITIVE_INFINITY;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal `kv`: a primary-key table's record encoder (its batches are KV batches, sent as PutKv). */
  protected constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders: TableLeaders | undefined, kv?: KvRecordEncoder) {
    this.info = info;
    this.options = writerOptionsFrom(config);
    const rowEncoder = kv ? undefined : rowLogEncoderOf(info);
    this.memory = new BufferMemory(this.options.bufferMemory, this.options.bufferWaitTimeoutMs);
    // The accumulator and the sender know each other through these callbacks only.
    let sender: Sender | undefined;
    this.acc = new RecordAccumulator({
      info,
      batchSize: this.options.batchSize,
      batchTimeoutMs: this.options.batchTimeoutMs,
      noKeyAssigner: this.options.noKeyAssigner,
      // KV batches are never compressed.
      compression: kv ? null : logCompressionOf(info),
      ...(rowEncoder ? { rowEncoder } : {}),
      memory: this.memory,
      onSealed: () => sender?.wake(),
      onEncoded: () => sender?.wake(),
      onOpened: (deadline) => sender?.wakeAt(deadline),
      onNewPartition: () => sender?.wake(),
    });
    sender = new Sender(cluster, info, this.options, this.acc, leaders, kv && { targetColumns: kv.targetColumns });
    this.#sender = sender;
    sender.prepare();
  }

  /** Bytes the writer holds now: rows not yet sent, batches waiting for an answer or a retry. */
  get bufferedBytes(): number {
    return this.memory.used;
  }

  /**
   * Resolves when the buffer has room for more rows: await it before each
   * write in a producer loop. Rejects with a CLIENT_ERROR after
   * `writer.buffer.wait-timeout-ms`, or when the writer is closed.
   */
  ready(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    // Every few ms of a producer loop, a turn of the event loop: sends and acknowledgements flow
    // while it runs (see client/event-loop.ts).
    const turn = this.memory.hasRoom() ? this.turns.turn() : undefined;
    return turn ? turn.then(() => this.memory.ready()) : this.memory.ready();
  }

  /**
   * Sends everything written so far at once (without waiting for the batch
   * timeout) and waits until all of it is acknowledged or failed. Rejects
   * with the first failure among those rows (also failures that happened
   * before the call and were not reported by an earlier flush).
   */
  async flush(): Promise<void> {
    const upTo = this.acc.nextOrdinal;
    this.#sender.beginFlush();
    try {
      await Promise.allSettled(this.acc.incompleteBefore(upTo).map((batch) => batch.result.wait()));
    } finally {
      this.#sender.endFlush();
    }
    const failure = this.acc.takeFailure(upTo);
    if (failure) throw failure;
  }

  /**
   * Flushes, then stops the writer: later writes throw. Rejects like
   * {@link flush}. With no `timeoutMs` it waits as long as the rows need,
   * retrying as `writer.retries` allows.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs < 0)) {
      return Promise.reject(FlussError.client(`invalid close timeout ${String(timeoutMs)}`));
    }
    // A later call may bound a close already under way (e.g. a shutdown handler after a plain
    // `await writer.close()`): the earliest limit of any call applies.
    if (timeoutMs !== undefined && !this.#closeDone) this.#limitClose(timeoutMs);
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal Throws the CLIENT_ERROR of a closed writer. */
  protected checkOpen(): void {
    if (this.#closed) throw closedError();
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.memory.rejectWaiters(closedError());
    try {
      await this.flush();
    } finally {
      this.#closeDone = true;
      if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
      this.#sender.stop();
    }
  }

  /** Fails the rows still unacknowledged `timeoutMs` from now, unless an earlier limit is set already. */
  #limitClose(timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    if (deadline >= this.#closeDeadline) return;
    this.#closeDeadline = deadline;
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => {
      const pending = this.acc.incompleteCount;
      this.acc.failAll(FlussError.client(`the writer was closed with ${pending} batch(es) not acknowledged within ${timeoutMs} ms`));
    }, timeoutMs);
  }
}

function closedError(): FlussError {
  return FlussError.client("the writer is closed");
}
