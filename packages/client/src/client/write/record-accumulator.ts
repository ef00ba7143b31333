import type { RecordBatch } from "apache-arrow";
import {
  bucketKeyEncoderOf,
  createBucketAssigner,
  PartitionNameGetter,
  type BucketAssigner,
  type RandomSource,
} from "../../bucketing/index.js";
import { FlussError } from "../../errors/index.js";
import type { TableInfo } from "../../metadata/index.js";
import { RowBatchBuilder, type RowInput } from "../../row/index.js";
import type { KeyEncoder } from "../../wire/rows/compacted-key-encoder.js";
import type { RowLogEncoder } from "./row-log-encoder.js";
import type { KvRecordEncoder } from "./kv-encoder.js";
import { KV_BATCH_HEADER_SIZE, loadedCodec, type ArrowCompression, type BufferCodec, type CompressionCodecName } from "../../wire/records/index.js";
import type { BufferMemory } from "./buffer-memory.js";
import type { BucketQueue } from "./bucket-queue.js";
import { PhysicalTable } from "./physical-table.js";
import { RowSizeEstimator } from "./row-size.js";
import { WriteBatch } from "./write-batch.js";

/** What the accumulator needs from the writer around it. */
export interface AccumulatorSettings {
  info: TableInfo;
  batchSize: number;
  batchTimeoutMs: number;
  noKeyAssigner: "sticky" | "round_robin";
  compression: ArrowCompression | null;
  /** For a table whose log batches carry rows (INDEXED, COMPACTED): how they are written; none for ARROW. */
  rowEncoder?: RowLogEncoder;
  memory: BufferMemory;
  /** Clock in epoch milliseconds (injectable for tests). */
  now?: () => number;
  /** Random source of the no-key bucket assigners (injectable for tests). */
  random?: RandomSource;
  /** A batch was sealed (it can be sent once encoded). */
  onSealed?: () => void;
  /**
   * An encoding off the JS thread finished (or failed): the bucket's head
   * batch may be sendable now.
   */
  onEncoded?: () => void;
  /** A batch was opened that must be sealed by `deadline` at the latest. */
  onOpened?: (deadline: number) => void;
  /** Rows arrived for a partition whose id is not known yet. */
  onNewPartition?: (table: PhysicalTable) => void;
}

/** How many failures the writer remembers for `flush()` until one reports them. */
const MAX_REMEMBERED_FAILURES = 64;

/**
 * Batches estimated below this many (uncompressed) bytes are encoded on the
 * JS thread even when the codec can compress off it: compressing a few
 * small buffers takes less than the worker round trip (a message with copies
 * of the buffers) and the promise hops around it, and such batches are those
 * sealed by the batch timeout under light load, where the JS thread is not
 * busy anyway.
 */
export const ASYNC_ENCODE_MIN_BYTES = 64 * 1024;

/**
 * While the codec is still being prepared for compression (a new writer's
 * first moments: the codec workers warm ZSTD's encoder up, a few tens of
 * ms), batches estimated below this many bytes do not wait for it. They are
 * encoded at once with the loaded codec's synchronous `compress`, which
 * ZSTD's WebAssembly codec has on this thread from the moment it is loaded
 * (`getTable` loads it): such batches go out compressed. Where that
 * `compress` returns null (ZSTD in a runtime that may not compile
 * WebAssembly and was given no module), or the codec is not loaded yet,
 * their buffers are stored uncompressed. Such batches are what a
 * short-lived writer sends (an edge function's one event, a flush right
 * after the first rows). Larger batches (a bulk load's full
 * `writer.batch-size` batches) wait and are compressed off the JS thread.
 *
 * A batch stored uncompressed keeps the table's compression in its Arrow
 * metadata, each buffer marked as stored uncompressed (Arrow's uncompressed
 * length -1), which every Arrow reader takes: it must, because Fluss 0.9.1's
 * server-side projection rewrites a batch's metadata with the table's
 * compression, not the batch's own (FileLogProjection), so a batch written
 * without any compression would be misread once projected.
 */
export const UNCOMPRESSED_WHILE_LOADING_MAX_BYTES = 64 * 1024;

/** A codec that leaves every buffer as it is (Arrow's "stored uncompressed"), for a table whose codec is not loaded yet: see {@link UNCOMPRESSED_WHILE_LOADING_MAX_BYTES}. */
function storingUncompressed(name: CompressionCodecName): BufferCodec {
  return {
    name,
    compress: () => null,
    decompress: () => {
      throw new Error("a codec that stores buffers uncompressed does not decompress");
    },
  };
}

/**
 * Collects rows into per-bucket batches (per partition for partitioned
 * tables), as Java's `RecordAccumulator`: it routes each row (partition
 * name from the partition columns, bucket from the bucket key or the no-key
 * assigner), seals a bucket's batch when its estimated size reaches
 * `writer.batch-size` or it is `writer.batch-timeout-ms` old, encodes
 * sealed batches, and counts every byte it holds in the buffer memory.
 *
 * Encoding: when the codec compresses off the JS thread (`compressAsync`)
 * and the batch is not small, the sealed batch stays in its bucket's
 * `pending` queue, unencoded, while its buffers are compressed; several
 * batches (of several buckets, and one after the other of one bucket) may
 * be under way at once. The sender only ever takes a bucket's head batch,
 * and only once it is encoded, so a later batch that finishes first waits
 * behind it and a bucket's order does not depend on which encode ends first.
 *
 * It never talks to the network: the sender drains what it seals.
 */
export class RecordAccumulator {
  readonly info: TableInfo;
  readonly memory: BufferMemory;
  readonly compression: ArrowCompression | null;
  readonly #settings: AccumulatorSettings;
  readonly #now: () => number;
  readonly #estimator: RowSizeEstimator;
  readonly #keyEncoder: KeyEncoder | undefined;
  readonly #partitionGetter: PartitionNameGetter | undefined;
  readonly #root: PhysicalTable | undefined;
  readonly #partitions = new Map<string, PhysicalTable>();
  /** Batches not done yet, in creation order. */
  readonly #incomplete = new Set<WriteBatch>();
  #failures: { ordinal: number; error: FlussError }[] = [];
  #codec: BufferCodec | undefined;
  #ordinal = 0;

  constructor(settings: AccumulatorSettings) {
    const { info } = settings;
    this.info = info;
    this.memory = settings.memory;
    this.compression = settings.compression;
    this.#settings = settings;
    this.#now = settings.now ?? Date.now;
    this.#estimator = new RowSizeEstimator(info.schema);
    this.#keyEncoder = bucketKeyEncoderOf(info);
    if (info.isPartitioned()) {
      this.#partitionGetter = new PartitionNameGetter(info.getRowType(), info.getPartitionKeys());
    } else {
      this.#root = new PhysicalTable(info.tableId, info.numBuckets, this.#newAssigner());
    }
  }

  /** Whether sealed batches can be encoded now (no compression, or its codec is loaded). */
  get codecReady(): boolean {
    return this.compression === null || this.#codec !== undefined;
  }

  /** Hands over the loaded codec and encodes what waited for it. */
  setCodec(codec: BufferCodec): void {
    this.#codec = codec;
    this.encodePending();
  }

  /** Rows and batches not yet acknowledged. */
  get incompleteCount(): number {
    return this.#incomplete.size;
  }

  /** The ordinal the next batch will get (flush waits for everything before it). */
  get nextOrdinal(): number {
    return this.#ordinal;
  }

  /**
   * Routes, validates and adds one row; returns the batch it joined. Throws
   * a CLIENT_ERROR naming the column for a row that does not fit the schema,
   * and leaves every batch as it was then. Throws a CLIENT_ERROR when the
   * buffer is full (await `memory.ready()` first).
   */
  append(row: RowInput): WriteBatch {
    if (!this.memory.hasRoom()) throw bufferFull(this.memory);
    if (row === null || typeof row !== "object") {
      throw FlussError.client(`a row must be an object keyed by column name or an array in column order, got ${row === null ? "null" : typeof row}`);
    }
    this.#settings.rowEncoder?.check(row);
    const table = this.#partitionGetter ? this.#partition(this.#partitionGetter.partitionName(row)) : this.#root!;
    const key = this.#keyEncoder?.encodeKey(row);
    const bucketId = table.assigner.assignBucket(key);
    const queue = table.queue(bucketId);
    let batch = queue.open;
    if (batch) {
      batch.appendRow(row);
    } else {
      batch = WriteBatch.forRows(this.#ordinal, queue, this.#now(), new RowBatchBuilder(this.info.schema));
      batch.appendRow(row); // throws before the batch is kept anywhere
      this.#ordinal++;
      this.#track(batch, this.#estimator.batchOverhead);
      queue.open = batch;
      this.#settings.onOpened?.(batch.createdAt + this.#settings.batchTimeoutMs);
    }
    const bytes = this.#estimator.estimate(row);
    // A row may open a new batch, which costs the batch overhead too: ready() waits for room for both.
    this.memory.noteRowSize(bytes + this.#estimator.batchOverhead);
    this.memory.reserve(bytes);
    batch.accountedBytes += bytes;
    batch.estimatedBytes += bytes;
    if (batch.estimatedBytes >= this.#settings.batchSize) this.#sealFull(queue, bucketId);
    return batch;
  }

  /**
   * Routes and adds one KV record of a primary-key table (an upsert's row
   * as `kv.writeRow` writes it, a delete without a row) to its bucket's batch; returns the
   * batch. Like {@link append}: a CLIENT_ERROR naming the column for a row
   * or key that does not fit, with every batch left as it was, and one when
   * the buffer is full.
   */
  appendKv(row: RowInput, kv: KvRecordEncoder, op: "upsert" | "delete"): WriteBatch {
    if (!this.memory.hasRoom()) throw bufferFull(this.memory);
    if (row === null || typeof row !== "object") {
      throw FlussError.client(`a row must be an object keyed by column name or an array in column order, got ${row === null ? "null" : typeof row}`);
    }
    const table = this.#partitionGetter ? this.#partition(this.#partitionGetter.partitionName(row)) : this.#root!;
    const key = kv.key(row);
    // The default bucket key is the primary key: its bytes are the key's (as Java's UpsertWriterImpl reuses them).
    const bucketId = table.assigner.assignBucket(kv.keyIsBucketKey ? key : this.#keyEncoder?.encodeKey(row));
    const value = op === "upsert" ? row : undefined;
    const queue = table.queue(bucketId);
    let batch = queue.open;
    let bytes: number;
    if (batch) {
      bytes = batch.appendKv(key, value, kv.writeRow);
    } else {
      batch = WriteBatch.forKv(this.#ordinal, queue, this.#now());
      bytes = batch.appendKv(key, value, kv.writeRow); // throws before the batch is kept anywhere
      this.#ordinal++;
      this.#track(batch, KV_BATCH_HEADER_SIZE);
      queue.open = batch;
      this.#settings.onOpened?.(batch.createdAt + this.#settings.batchTimeoutMs);
    }
    this.memory.noteRowSize(bytes + KV_BATCH_HEADER_SIZE);
    this.memory.reserve(bytes);
    batch.accountedBytes += bytes;
    batch.estimatedBytes += bytes;
    if (batch.estimatedBytes >= this.#settings.batchSize) this.#sealFull(queue, bucketId);
    return batch;
  }

  /**
   * Adds Arrow rows (already checked against the table's Arrow layout) as
   * one batch of a bucket chosen by the no-key assigner. Only for tables
   * without bucket keys and partitions; the caller sizes `records`.
   */
  appendArrow(records: RecordBatch, estimatedBytes: number): WriteBatch {
    const table = this.#root;
    if (!table || this.#keyEncoder) throw FlussError.client("Arrow data goes in whole only to tables without bucket keys and partitions");
    const bucketId = table.assigner.assignBucket(undefined);
    const queue = table.queue(bucketId);
    // Rows appended before these go first.
    if (queue.open) this.#seal(queue);
    const batch = WriteBatch.forArrow(this.#ordinal++, queue, this.#now(), records, estimatedBytes);
    this.#track(batch, estimatedBytes + this.#estimator.batchOverhead);
    queue.open = batch;
    this.#sealFull(queue, bucketId);
    return batch;
  }

  /**
   * Seals open batches older than `writer.batch-timeout-ms` (all of them
   * when `force`). Returns the time the oldest remaining open batch is due.
   */
  sealExpired(force = false): number {
    const now = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const queue of this.queues()) {
      const open = queue.open;
      if (!open) continue;
      const due = open.createdAt + this.#settings.batchTimeoutMs;
      if (force || due <= now) this.#seal(queue);
      else next = Math.min(next, due);
    }
    return next;
  }

  /** Every bucket queue of every physical table. */
  *queues(): IterableIterator<BucketQueue> {
    if (this.#root) yield* this.#root.queues();
    for (const table of this.#partitions.values()) yield* table.queues();
  }

  /** Partitions (physical tables) whose id is not known. */
  *unresolvedPartitions(): IterableIterator<PhysicalTable> {
    for (const table of this.#partitions.values()) if (table.idState === "unresolved") yield table;
  }

  /** Completes a batch: resolves or rejects its result, frees its memory. */
  complete(batch: WriteBatch, error?: FlussError): void {
    if (batch.state === "done") return;
    batch.queue.remove(batch);
    this.#incomplete.delete(batch);
    const bytes = batch.accountedBytes;
    batch.accountedBytes = 0;
    if (error) {
      batch.fail(error);
      if (this.#failures.length < MAX_REMEMBERED_FAILURES) this.#failures.push({ ordinal: batch.ordinal, error });
    } else {
      batch.succeed();
    }
    this.memory.release(bytes);
  }

  /** Fails every batch of a partition that cannot be written (e.g. it does not exist) and forgets it. */
  failPartition(table: PhysicalTable, error: FlussError): void {
    if (this.#partitions.get(table.partitionName!) === table) this.#partitions.delete(table.partitionName!);
    for (const queue of table.queues()) {
      for (const batch of [...queue.inflight, ...queue.pending]) this.complete(batch, error);
      if (queue.open) this.complete(queue.open, error);
    }
  }

  /** Fails every incomplete batch (closing without waiting, or a fatal error). */
  failAll(error: FlussError): void {
    for (const batch of [...this.#incomplete]) this.complete(batch, error);
  }

  /** The incomplete batches created before `ordinal`. */
  incompleteBefore(ordinal: number): WriteBatch[] {
    const out: WriteBatch[] = [];
    for (const batch of this.#incomplete) if (batch.ordinal < ordinal) out.push(batch);
    return out;
  }

  /** The first unreported failure of a batch created before `ordinal`; forgets those failures. */
  takeFailure(ordinal: number): FlussError | undefined {
    let first: { ordinal: number; error: FlussError } | undefined;
    for (const failure of this.#failures) if (failure.ordinal < ordinal && (!first || failure.ordinal < first.ordinal)) first = failure;
    this.#failures = this.#failures.filter((f) => f.ordinal >= ordinal);
    return first?.error;
  }

  /** Encodes every sealed batch that is not encoded yet (after the codec loaded). */
  encodePending(): void {
    if (!this.codecReady) return;
    for (const queue of this.queues()) {
      for (const batch of [...queue.pending]) if (batch.needsEncoding) this.#encode(batch);
    }
  }

  #track(batch: WriteBatch, overhead: number): void {
    this.#incomplete.add(batch);
    this.memory.reserve(overhead);
    batch.accountedBytes += overhead;
  }

  #partition(name: string): PhysicalTable {
    let table = this.#partitions.get(name);
    if (!table) {
      table = new PhysicalTable(this.info.tableId, this.info.numBuckets, this.#newAssigner(), name);
      this.#partitions.set(name, table);
      this.#settings.onNewPartition?.(table);
    }
    return table;
  }

  #newAssigner(): BucketAssigner {
    return createBucketAssigner(this.info, this.#settings.noKeyAssigner, this.#settings.random);
  }

  /** Seals a full batch; a sticky assigner moves on to another bucket (Java's `onNewBatch`). */
  #sealFull(queue: BucketQueue, bucketId: number): void {
    this.#seal(queue);
    if (queue.table.assigner.abortIfBatchFull) queue.table.assigner.onNewBatch(bucketId);
  }

  #seal(queue: BucketQueue): void {
    const batch = queue.open;
    if (!batch) return;
    queue.open = undefined;
    batch.state = "sealed";
    queue.pending.push(batch);
    if (this.codecReady) this.#encode(batch);
    else if (this.compression && batch.estimatedBytes < UNCOMPRESSED_WHILE_LOADING_MAX_BYTES) this.#encodeWhilePreparing(batch, this.compression);
    this.#settings.onSealed?.();
  }

  /** A small batch sealed while the codec is prepared: see {@link UNCOMPRESSED_WHILE_LOADING_MAX_BYTES}. */
  #encodeWhilePreparing(batch: WriteBatch, compression: ArrowCompression): void {
    let size: number;
    try {
      size = batch.encode(compression, loadedCodec(compression.codec) ?? storingUncompressed(compression.codec));
    } catch (error) {
      this.complete(batch, encodeError(error));
      return;
    }
    this.#encoded(batch, size);
  }

  #encode(batch: WriteBatch): void {
    const codec = this.#codec;
    if (this.compression && codec?.compressAsync && batch.estimatedBytes >= ASYNC_ENCODE_MIN_BYTES) {
      void this.#encodeOffThread(batch, codec);
      return;
    }
    let size: number;
    try {
      size = batch.encode(this.compression, codec, this.#settings.rowEncoder);
    } catch (error) {
      this.complete(batch, encodeError(error));
      return;
    }
    this.#encoded(batch, size);
  }

  /**
   * Encodes with the compression off the JS thread. Never rejects: a
   * failure fails this batch only (it leaves the queue, so the bucket's
   * later batches go on), and a batch completed meanwhile (the writer
   * closed or failed) just drops its bytes.
   */
  async #encodeOffThread(batch: WriteBatch, codec: BufferCodec): Promise<void> {
    try {
      const size = await batch.encodeAsync(this.compression, codec);
      if (size !== undefined) this.#encoded(batch, size); // undefined: the batch was completed meanwhile
    } catch (error) {
      this.complete(batch, encodeError(error));
    }
    this.#settings.onEncoded?.();
  }

  #encoded(batch: WriteBatch, size: number): void {
    // From here on the batch holds its encoded bytes, not the rows.
    const delta = size - batch.accountedBytes;
    batch.accountedBytes = size;
    if (delta > 0) this.memory.reserve(delta);
    else this.memory.release(-delta);
  }
}

function encodeError(error: unknown): FlussError {
  return FlussError.from(error, "cannot encode the batch");
}

function bufferFull(memory: BufferMemory): FlussError {
  return FlussError.client(
    `the writer buffer is full (${memory.used} bytes buffered, writer.buffer.memory-size = ${memory.capacity}): ` +
      "await writer.ready() before appending more rows",
  );
}
