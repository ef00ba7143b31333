import type { RecordBatch } from "apache-arrow";
import { WriteResult } from "../../api/write-result.js";
import { FlussError } from "../../errors/index.js";
import { RowBatchBuilder, type RowInput } from "../../row/index.js";
import {
  encodeArrowRecordBatchSync,
  encodeArrowRecordBatchWith,
  finishKvBatch,
  finishLogBatch,
  KvBatchBuilder,
  logBatchHeadroom,
  NO_BATCH_SEQUENCE,
  NO_WRITER_ID,
  type ArrowCompression,
  type BufferCodec,
} from "../../wire/records/index.js";
import type { ByteOutput } from "../../wire/rows/index.js";
import type { BucketQueue } from "./bucket-queue.js";
import type { RowLogEncoder } from "./row-log-encoder.js";

/** Where a batch is in its life. */
export type BatchState = "open" | "sealed" | "inflight" | "done";

/**
 * One batch of rows for one bucket: open while rows come in, then sealed,
 * encoded once into a Fluss log batch (Arrow payload), or for a primary-key
 * table into a KV batch (its records are encoded as they come in), sent,
 * perhaps retried, and finally done. A retry sends exactly the same bytes: the
 * header (writer id, batch sequence, CRC) is written when the batch is
 * first sent and only rewritten when its sequence had to move down after an
 * earlier batch of the bucket failed for good (see {@link BucketQueue}).
 */
export class WriteBatch {
  /** Creation order across the writer (flush and failure reports use it). */
  readonly ordinal: number;
  readonly queue: BucketQueue;
  readonly createdAt: number;
  state: BatchState = "open";
  recordCount = 0;
  /** Estimated uncompressed Arrow bytes (batch sizing). */
  estimatedBytes = 0;
  /** Bytes this batch holds in the writer's buffer memory. */
  accountedBytes = 0;
  /** The encoded log batch, once sealed and encoded. */
  bytes: Uint8Array | undefined;
  writerId = NO_WRITER_ID;
  sequence = NO_BATCH_SEQUENCE;
  /** The sequence moved since the bytes were last finished: rewrite the header before the next send. */
  sequenceReset = false;
  /** Sends so far. */
  attempts = 0;
  /** Not to be sent again before this time (retry backoff). */
  retryAt = 0;
  readonly result: WriteResult;
  #builder: RowBatchBuilder | undefined;
  #arrow: RecordBatch | undefined;
  #kv: KvBatchBuilder | undefined;
  /** A KV batch (PutKv), not a log batch (ProduceLog). */
  readonly isKv: boolean;
  /** An {@link encodeAsync} is under way. */
  #encoding = false;
  #resolve!: () => void;
  #reject!: (error: FlussError) => void;

  /** A batch that collects rows (`builder` validates them). */
  static forRows(ordinal: number, queue: BucketQueue, now: number, builder: RowBatchBuilder): WriteBatch {
    const batch = new WriteBatch(ordinal, queue, now);
    batch.#builder = builder;
    return batch;
  }

  /** A batch around Arrow data that already has the table's layout (from `writeArrowBatch`). */
  static forArrow(ordinal: number, queue: BucketQueue, now: number, records: RecordBatch, estimatedBytes: number): WriteBatch {
    const batch = new WriteBatch(ordinal, queue, now);
    batch.#arrow = records;
    batch.recordCount = records.numRows;
    batch.estimatedBytes = estimatedBytes;
    return batch;
  }

  /** A batch of KV records (upserts and deletes) of a primary-key table. */
  static forKv(ordinal: number, queue: BucketQueue, now: number): WriteBatch {
    const batch = new WriteBatch(ordinal, queue, now, true);
    batch.#kv = new KvBatchBuilder();
    return batch;
  }

  private constructor(ordinal: number, queue: BucketQueue, now: number, kv = false) {
    this.isKv = kv;
    this.ordinal = ordinal;
    this.queue = queue;
    this.createdAt = now;
    const done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.result = new WriteResult(done);
  }

  /** Validates and adds a row (all or nothing: a bad row leaves the batch as it was). */
  appendRow(row: RowInput): void {
    if (!this.#builder) throw FlussError.client("rows cannot join a batch of Arrow data");
    this.#builder.append(row);
    this.recordCount++;
  }

  /**
   * Adds one KV record (all or nothing, as {@link KvBatchBuilder.append}):
   * `row` as `writeRow` appends it, or none for a delete. Returns its encoded size.
   */
  appendKv<R>(key: Uint8Array, row: R | undefined, writeRow: (out: ByteOutput, row: R) => void): number {
    if (!this.#kv) throw FlussError.client("KV records cannot join a log batch");
    const size = this.#kv.append(key, row, writeRow);
    this.recordCount++;
    return size;
  }

  get isEncoded(): boolean {
    return this.bytes !== undefined;
  }

  /** Sealed, not encoded, and no encoding under way: {@link encode} or {@link encodeAsync} may start. */
  get needsEncoding(): boolean {
    return this.state === "sealed" && this.bytes === undefined && !this.#encoding;
  }

  /** Whether this batch was sent before (a retry must keep its sequence and bytes). */
  get wasSent(): boolean {
    return this.attempts > 0;
  }

  /**
   * Encodes the rows into the Arrow payload of a log batch (header left for
   * {@link finishHeader}), or, with `rowEncoder` (a table in INDEXED or
   * COMPACTED format), into its row records; then lets go of the rows.
   * Returns the encoded size.
   */
  encode(compression: ArrowCompression | null, codec: BufferCodec | undefined, rowEncoder?: RowLogEncoder): number {
    if (this.#kv) {
      this.bytes = this.#kv.build();
      this.#kv = undefined;
      return this.bytes.length;
    }
    const records = this.#takeRecords();
    const headroom = logBatchHeadroom(records.numRows);
    this.bytes = rowEncoder
      ? rowEncoder.encode(records, headroom)
      : encodeArrowRecordBatchSync(records, { compression, headroom }, codec).bytes;
    return this.bytes.length;
  }

  /**
   * {@link encode} with the compression off the JS thread (`codec` has
   * `compressAsync`); the Arrow body is laid out before this returns.
   * Resolves with the encoded size, or with `undefined` when the batch was
   * completed (failed) meanwhile: its bytes are then dropped.
   */
  async encodeAsync(compression: ArrowCompression | null, codec: BufferCodec): Promise<number | undefined> {
    this.#encoding = true;
    try {
      const records = this.#takeRecords();
      const { bytes } = await encodeArrowRecordBatchWith(records, { compression, headroom: logBatchHeadroom(records.numRows) }, codec);
      if (this.state === "done") return undefined;
      this.bytes = bytes;
      return bytes.length;
    } finally {
      this.#encoding = false;
    }
  }

  /** The rows as Arrow data, letting go of the builder (a batch is encoded once). */
  #takeRecords(): RecordBatch {
    const records = this.#arrow ?? this.#builder!.build();
    this.#arrow = undefined;
    this.#builder = undefined;
    return records;
  }

  /** Writes the batch header (schema id, writer id, sequence, CRC) into the encoded bytes. */
  finishHeader(schemaId: number): void {
    (this.isKv ? finishKvBatch : finishLogBatch)(this.bytes!, {
      schemaId,
      recordCount: this.recordCount,
      writerId: this.writerId,
      batchSequence: this.sequence,
    });
    this.sequenceReset = false;
  }

  /** Acknowledged: resolves the rows' results. */
  succeed(): void {
    this.#finish();
    this.#resolve();
  }

  /** Failed for good: rejects the rows' results. */
  fail(error: FlussError): void {
    this.#finish();
    this.#reject(error);
  }

  #finish(): void {
    this.state = "done";
    this.bytes = undefined;
    this.#builder = undefined;
    this.#arrow = undefined;
    this.#kv = undefined;
  }
}
