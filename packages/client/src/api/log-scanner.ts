import { RecordBatch as ArrowRecordBatch, Table as ArrowTable } from "apache-arrow";
import type { FetchedBatch, FetchRound, LogFetcher, RawBatch } from "../client/scan/log-fetcher.js";
import type { Projection } from "../client/scan/projection.js";
import { yieldToEventLoop } from "../client/event-loop.js";
import { FlussError } from "../errors/index.js";
import { TableBucket, type TableInfo } from "../metadata/index.js";
import { RowReader } from "../row/index.js";
import { changeTypeShortString, type ChangeType } from "../wire/records/index.js";
import { ScanRecords, type ChangeTypeName, type ScanRecord } from "./scan-records.js";

/** One Arrow batch of a bucket's log, as {@link LogScanner.pollRecordBatch} returns it. */
export interface ScanBatch {
  readonly bucket: TableBucket;
  readonly batch: ArrowRecordBatch;
  /** Offset of the first row of `batch`. */
  readonly baseOffset: number;
  /** Offset of the last row of `batch`. */
  readonly lastOffset: number;
}

/** A batch's decoding failure, naming the bucket and offset (the codec's own message does not). */
function decodeFailure(raw: RawBatch, reason: unknown): FlussError {
  const cause = FlussError.from(reason);
  return new FlussError(`cannot decode the log batch of ${raw.bucket} at offset ${raw.baseOffset}: ${cause.message}`, cause.errorCode, { cause });
}

/** Resolves with the promise's value, or with undefined once `ms` have passed (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A partially consumed fetched batch: rows from `next` on are still to be handed out. */
interface Pending {
  fetched: FetchedBatch;
  next: number;
  reader: RowReader | undefined;
}

/**
 * Reads a table's log from subscribed buckets. Poll in a loop, or iterate:
 *
 * @example
 * const scanner = table.newScan().createLogScanner();
 * scanner.subscribe(0, EARLIEST_OFFSET);
 * for await (const records of scanner) for (const r of records) console.log(r.offset, r.row);
 *
 * One consumer at a time: polls must not overlap.
 */
export class LogScanner implements AsyncIterable<ScanRecords> {
  readonly #info: TableInfo;
  readonly #fetcher: LogFetcher;
  readonly #projection: Projection;
  readonly #maxPollRecords: number;
  readonly #defaultWaitMs: number;
  readonly #pending: Pending[] = [];
  /**
   * The next fetch, started as soon as the previous one returned, so that
   * the server's work and the network overlap with the caller's processing.
   */
  #prefetch: Promise<FetchRound> | undefined;
  /**
   * A bucket's failure from a round that also brought other buckets' rows:
   * those are handed out first, and the poll after them reports it.
   */
  #failure: FlussError | undefined;
  #polling = false;
  #closed = false;

  /** @internal Created by `table.newScan().createLogScanner()`. */
  constructor(info: TableInfo, fetcher: LogFetcher, projection: Projection, options: { maxPollRecords: number; fetchWaitMs: number }) {
    this.#info = info;
    this.#fetcher = fetcher;
    this.#projection = projection;
    this.#maxPollRecords = options.maxPollRecords;
    this.#defaultWaitMs = options.fetchWaitMs;
  }

  /** Reads bucket `bucketId` of a non-partitioned table from `offset` (or `EARLIEST_OFFSET`). */
  subscribe(bucketId: number, offset: number): void {
    this.#requirePartitioned(false);
    const bucket = this.#bucket(bucketId);
    this.#fetcher.subscribe(bucket, offset);
    this.#dropPending(bucket);
  }

  /** Several buckets at once: `{ bucketId: offset }` or a Map. */
  subscribeBuckets(offsets: Readonly<Record<number, number>> | ReadonlyMap<number, number>): void {
    const entries = offsets instanceof Map ? [...offsets] : Object.entries(offsets).map(([b, o]) => [Number(b), o] as const);
    for (const [bucketId, offset] of entries) this.subscribe(bucketId, offset);
  }

  /** Reads one bucket of one partition (ids from `admin.listPartitionInfos`). */
  subscribePartition(partitionId: number, bucketId: number, offset: number): void {
    this.#requirePartitioned(true);
    const bucket = this.#bucket(bucketId, partitionId);
    this.#fetcher.subscribe(bucket, offset);
    this.#dropPending(bucket);
  }

  /** Several partition buckets: a Map keyed by `[partitionId, bucketId]` pairs, or a list of triples. */
  subscribePartitionBuckets(
    offsets: ReadonlyMap<readonly [number, number], number> | Iterable<readonly [partitionId: number, bucketId: number, offset: number]>,
  ): void {
    if (offsets instanceof Map) {
      for (const [[partitionId, bucketId], offset] of offsets) this.subscribePartition(partitionId, bucketId, offset);
    } else {
      for (const [partitionId, bucketId, offset] of offsets as Iterable<readonly [number, number, number]>) {
        this.subscribePartition(partitionId, bucketId, offset);
      }
    }
  }

  unsubscribe(bucketId: number): void {
    this.#fetcher.unsubscribe(this.#bucket(bucketId));
    this.#dropPending(this.#bucket(bucketId));
  }

  unsubscribePartition(partitionId: number, bucketId: number): void {
    const bucket = this.#bucket(bucketId, partitionId);
    this.#fetcher.unsubscribe(bucket);
    this.#dropPending(bucket);
  }

  /**
   * Waits up to `timeoutMs` for records and returns them (at most
   * `scanner.log.max-poll-records`; the rest stay for the next poll). An
   * empty result means nothing arrived in time.
   */
  async poll(timeoutMs: number): Promise<ScanRecords> {
    return this.#exclusive(async () => {
      if (this.#pending.length === 0) await this.#fill(timeoutMs);
      return this.#takeRecords();
    });
  }

  /** Like {@link poll}, as one Arrow table (empty, with the projected schema, when nothing arrived). */
  async pollArrow(timeoutMs: number): Promise<ArrowTable> {
    const batches = await this.pollRecordBatch(timeoutMs);
    return batches.length === 0 ? new ArrowTable(this.#projection.outputSchema) : new ArrowTable(batches.map((b) => b.batch));
  }

  /** Like {@link poll}, as Arrow record batches with their bucket and offsets (no per-row objects). */
  async pollRecordBatch(timeoutMs: number): Promise<ScanBatch[]> {
    return this.#exclusive(async () => {
      if (this.#pending.length === 0) await this.#fill(timeoutMs);
      const out: ScanBatch[] = [];
      for (const pending of this.#pending.splice(0)) {
        const { fetched } = pending;
        const batch = pending.next === 0 ? fetched.records : fetched.records.slice(pending.next);
        out.push({
          bucket: fetched.bucket,
          batch,
          baseOffset: fetched.baseOffset + pending.next,
          lastOffset: fetched.baseOffset + fetched.records.numRows - 1,
        });
      }
      return out;
    });
  }

  /** Polls forever (until {@link close}), yielding each non-empty result. */
  async *[Symbol.asyncIterator](): AsyncIterator<ScanRecords> {
    while (!this.#closed) {
      const records = await this.poll(this.#defaultWaitMs);
      if (!records.isEmpty()) yield records;
    }
  }

  /** Stops the scanner; a running iteration ends after its current poll. */
  close(): void {
    this.#closed = true;
    this.#pending.length = 0;
    this.#prefetch = undefined;
    this.#failure = undefined;
  }

  async #fill(timeoutMs: number): Promise<void> {
    if (this.#closed) throw FlussError.client("the scanner is closed");
    if (this.#fetcher.subscriptionCount === 0) throw FlussError.client("the scanner has no subscriptions: call subscribe() first");
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw FlussError.client(`invalid poll timeout ${String(timeoutMs)}`);
    const failure = this.#failure;
    if (failure) {
      this.#failure = undefined;
      throw failure;
    }
    const deadline = Date.now() + timeoutMs;
    do {
      const fetching = this.#prefetch ?? this.#fetcher.fetchRaw(Math.min(this.#defaultWaitMs, Math.max(0, deadline - Date.now())));
      this.#prefetch = fetching;
      let round: FetchRound | undefined;
      try {
        round = await within(fetching, deadline - Date.now());
      } catch (error) {
        // This poll reports the failure; the next one fetches afresh rather than meeting it again.
        if (this.#prefetch === fetching) this.#prefetch = undefined;
        throw error;
      }
      if (round === undefined) return; // the poll's time is up; the fetch stays in flight for the next poll
      this.#prefetch = undefined;
      // Offsets already advanced from the headers: put the next round on the wire, then decode this one.
      if (!this.#closed && this.#fetcher.subscriptionCount > 0) {
        this.#startPrefetch();
        // The request goes out through a chain of promise callbacks; decoding (synchronous where
        // the codec is) would otherwise run first and leave the server idle meanwhile.
        await yieldToEventLoop();
      }
      const decodeFailure = await this.#decode(round.batches);
      // A bucket's failure fetched ahead of an unsubscribe (or a new start offset) no longer applies.
      const fetchFailure = round.failedAt && !this.#fetcher.isCurrent(round.failedAt) ? undefined : round.failure;
      const failure = fetchFailure ?? decodeFailure;
      if (failure) {
        // Rows that did arrive go out first; the poll after them reports the failure.
        if (this.#pending.length === 0) throw failure;
        this.#failure = failure;
      }
      if (this.#closed || this.#pending.length > 0) return;
    } while (Date.now() < deadline);
  }

  /**
   * Decodes a round's batches into {@link #pending}, in order. A batch that
   * cannot be decoded (its offsets have advanced already) sends its bucket
   * back to it ({@link LogFetcher.rewindTo}), so that it is neither skipped
   * nor overtaken by the bucket's later batches; the first such failure is
   * returned. The other buckets' batches are kept.
   */
  async #decode(batches: readonly RawBatch[]): Promise<FlussError | undefined> {
    const current = batches.filter((b) => this.#fetcher.isCurrent(b));
    const decoded = await Promise.allSettled(current.map((b) => this.#fetcher.decode(b)));
    let failure: FlussError | undefined;
    const failed = new Set<string>();
    for (let i = 0; i < current.length; i++) {
      const raw = current[i]!;
      const outcome = decoded[i]!;
      if (failed.has(raw.bucket.key)) continue; // after a failed batch of its bucket: fetched again later
      if (outcome.status === "rejected") {
        failed.add(raw.bucket.key);
        failure ??= decodeFailure(raw, outcome.reason);
        this.#fetcher.rewindTo(raw);
        continue;
      }
      const batch = outcome.value;
      // A prefetch may predate an unsubscribe or a new start offset: drop what no longer applies.
      if (batch.skip < batch.records.numRows && this.#fetcher.isCurrent(batch)) {
        this.#pending.push({ fetched: batch, next: batch.skip, reader: undefined });
      }
    }
    return failure;
  }

  #startPrefetch(): void {
    const prefetch = this.#fetcher.fetchRaw(this.#defaultWaitMs);
    // A failure surfaces at the next poll, which awaits this promise; never as an unhandled rejection.
    prefetch.catch(() => undefined);
    this.#prefetch = prefetch;
  }

  #takeRecords(): ScanRecords {
    const byBucket = new Map<string, { bucket: TableBucket; records: ScanRecord[] }>();
    let budget = this.#maxPollRecords;
    while (budget > 0 && this.#pending.length > 0) {
      const pending = this.#pending[0]!;
      const { fetched } = pending;
      pending.reader ??= new RowReader(fetched.records, this.#projection.columns);
      let entry = byBucket.get(fetched.bucket.key);
      if (!entry) byBucket.set(fetched.bucket.key, (entry = { bucket: fetched.bucket, records: [] }));
      const end = Math.min(fetched.records.numRows, pending.next + budget);
      for (let i = pending.next; i < end; i++) {
        entry.records.push({
          offset: fetched.baseOffset + i,
          timestamp: fetched.commitTimestamp,
          changeType: changeTypeShortString(fetched.changeTypes ? (fetched.changeTypes[i]! as ChangeType) : fetched.log.changeType(i)) as ChangeTypeName,
          row: pending.reader.row(i),
        });
      }
      budget -= end - pending.next;
      pending.next = end;
      if (pending.next >= fetched.records.numRows) this.#pending.shift();
    }
    return byBucket.size === 0 ? ScanRecords.EMPTY : new ScanRecords(byBucket);
  }

  async #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#polling) throw FlussError.client("polls of one scanner must not overlap");
    this.#polling = true;
    try {
      return await operation();
    } finally {
      this.#polling = false;
    }
  }

  #bucket(bucketId: number, partitionId?: number): TableBucket {
    if (!Number.isInteger(bucketId) || bucketId < 0 || (partitionId === undefined && bucketId >= this.#info.numBuckets)) {
      throw FlussError.client(`invalid bucket ${String(bucketId)}: the table has ${this.#info.numBuckets} buckets`);
    }
    return new TableBucket(this.#info.tableId, bucketId, partitionId);
  }

  #requirePartitioned(partitioned: boolean): void {
    if (this.#info.isPartitioned() !== partitioned) {
      throw FlussError.client(
        partitioned
          ? `table ${this.#info.tablePath} is not partitioned: use subscribe()`
          : `table ${this.#info.tablePath} is partitioned: use subscribePartition()`,
      );
    }
  }

  #dropPending(bucket: TableBucket): void {
    // A failure held back for the next poll may concern this bucket: forget it. A bucket that still
    // fails meets its failure again at the next fetch (its offset stays at the bad batch).
    this.#failure = undefined;
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      if (this.#pending[i]!.fetched.bucket.key === bucket.key) this.#pending.splice(i, 1);
    }
  }
}
