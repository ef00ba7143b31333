import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/table-info.js";
import type { KeyEncoder } from "../wire/rows/compacted-key-encoder.js";
import type { RowInput } from "../wire/rows/row-values.js";
import { type BucketingFunction, bucketingFunctionOf } from "./bucketing-function.js";
import { bucketKeyEncoderOf, dataLakeFormatOf } from "./table-keys.js";

/**
 * Bucket choice for rows being written, as the Java client's `WriterClient` does it: tables
 * with bucket keys hash the encoded bucket key ({@link HashBucketAssigner}); tables without
 * spread rows by `writer.bucket.no-key-assigner` — {@link StickyBucketAssigner} (default) or
 * {@link RoundRobinBucketAssigner}. One assigner serves one physical table (a table, or one
 * partition of it), as Java keeps one per `PhysicalTablePath`.
 *
 * The protocol a writer follows (Java's `doSend`):
 * 1. `bucket = assigner.assignBucket(bucketKey, available)`;
 * 2. append to that bucket's open batch; if the batch is full and `abortIfBatchFull`, call
 *    `assigner.onNewBatch(bucket, available)`, assign again and append there instead.
 *
 * `available` lists the bucket ids that currently have a leader (Java's
 * `Cluster#getAvailableBucketsForPhysicalTablePath`); omitted or empty means "not known", and
 * then any bucket may be chosen.
 */
export interface BucketAssigner {
  /** Whether a full batch should move the writer to another bucket (sticky) rather than open a new batch there. */
  readonly abortIfBatchFull: boolean;
  /** The bucket for the next row; `bucketKey` is required for hash assigners and ignored by the others. */
  assignBucket(bucketKey: Uint8Array | undefined, available?: readonly number[]): number;
  /** Called when the batch of `prevBucketId` filled up (sticky moves on; others ignore it). */
  onNewBatch(prevBucketId: number, available?: readonly number[]): void;
}

/** Random source returning numbers in [0, 1) (default `Math.random`); injectable for tests. */
export type RandomSource = () => number;

/** `ThreadLocalRandom.nextInt()` then `MathUtils.toPositive`: a non-negative int32. */
function positiveRandomInt(random: RandomSource): number {
  return Math.floor(random() * 0x100000000) & 0x7fffffff;
}

function checkBuckets(numBuckets: number): void {
  if (!Number.isInteger(numBuckets) || numBuckets <= 0) {
    throw FlussError.client(`The number of buckets must be a positive integer, got ${String(numBuckets)}.`);
  }
}

/** Buckets by the hash of the encoded bucket key (Java's `HashBucketAssigner`). */
export class HashBucketAssigner implements BucketAssigner {
  readonly abortIfBatchFull = false;
  readonly numBuckets: number;
  readonly #fn: BucketingFunction;

  constructor(numBuckets: number, fn: BucketingFunction = bucketingFunctionOf(undefined)) {
    checkBuckets(numBuckets);
    this.numBuckets = numBuckets;
    this.#fn = fn;
  }

  assignBucket(bucketKey: Uint8Array | undefined): number {
    if (bucketKey === undefined) throw FlussError.client("A table with bucket keys needs the bucket key of every row.");
    return this.#fn.bucketing(bucketKey, this.numBuckets);
  }

  onNewBatch(): void {}
}

/**
 * Stays on one bucket until its batch is full, then moves to another, randomly chosen,
 * available bucket (Java's `StickyBucketAssigner`): fewer, fuller batches.
 */
export class StickyBucketAssigner implements BucketAssigner {
  readonly abortIfBatchFull = true;
  readonly numBuckets: number;
  readonly #random: RandomSource;
  #current = -1;

  constructor(numBuckets: number, random: RandomSource = Math.random) {
    checkBuckets(numBuckets);
    this.numBuckets = numBuckets;
    this.#random = random;
  }

  assignBucket(_bucketKey?: Uint8Array, available?: readonly number[]): number {
    return this.#current < 0 ? this.#next(this.#current, available) : this.#current;
  }

  onNewBatch(prevBucketId: number, available?: readonly number[]): void {
    this.#next(prevBucketId, available);
  }

  #next(prevBucketId: number, available: readonly number[] | undefined): number {
    const old = this.#current;
    // Only move when unset or when the bucket that filled up is still the sticky one.
    if (old >= 0 && old !== prevBucketId) return old;
    let next = old;
    if (available === undefined || available.length === 0) {
      next = positiveRandomInt(this.#random) % this.numBuckets;
    } else if (available.length === 1) {
      next = available[0]!;
    } else {
      while (next < 0 || next === old) next = available[positiveRandomInt(this.#random) % available.length]!;
    }
    this.#current = next;
    return next;
  }
}

/** Cycles through the available buckets row by row (Java's `RoundRobinBucketAssigner`). */
export class RoundRobinBucketAssigner implements BucketAssigner {
  readonly abortIfBatchFull = false;
  readonly numBuckets: number;
  #counter: number;

  constructor(numBuckets: number, random: RandomSource = Math.random) {
    checkBuckets(numBuckets);
    this.numBuckets = numBuckets;
    // Java starts from `new Random().nextInt()`, so that writers do not all begin at bucket 0.
    this.#counter = Math.floor(random() * 0x100000000) | 0;
  }

  assignBucket(_bucketKey?: Uint8Array, available?: readonly number[]): number {
    const value = this.#counter;
    this.#counter = (this.#counter + 1) | 0;
    const positive = value & 0x7fffffff;
    if (available !== undefined && available.length > 0) return available[positive % available.length]!;
    return positive % this.numBuckets;
  }

  onNewBatch(): void {}
}

/** `writer.bucket.no-key-assigner`. */
export type NoKeyAssigner = "sticky" | "round_robin";

/**
 * The assigner Java's `WriterClient.createBucketAssigner` makes for one physical table: hash
 * (with the table's lake bucketing function) when the table has bucket keys, otherwise the
 * configured no-key assigner.
 */
export function createBucketAssigner(
  tableInfo: TableInfo,
  noKeyAssigner: NoKeyAssigner = "sticky",
  random: RandomSource = Math.random,
): BucketAssigner {
  if (tableInfo.hasBucketKey()) {
    return new HashBucketAssigner(tableInfo.numBuckets, bucketingFunctionOf(dataLakeFormatOf(tableInfo)));
  }
  switch (noKeyAssigner) {
    case "sticky":
      return new StickyBucketAssigner(tableInfo.numBuckets, random);
    case "round_robin":
      return new RoundRobinBucketAssigner(tableInfo.numBuckets, random);
    default:
      throw FlussError.client(`Unsupported append only row bucket assigner: ${String(noKeyAssigner)}.`);
  }
}

/**
 * The bucket of a row of a table with bucket keys: its bucket-key bytes (the table's key
 * encoder) through the table's bucketing function. What the Java client computes for
 * `append`/`upsert`/`delete`/`lookup`.
 *
 * @example
 * const bucketer = new KeyBucketer(tableInfo);
 * bucketer.bucketOf([200, "x"]); // 6 with 16 buckets and bucket key INT column 0
 */
export class KeyBucketer {
  readonly numBuckets: number;
  readonly encoder: KeyEncoder;
  readonly #fn: BucketingFunction;

  constructor(tableInfo: TableInfo) {
    const encoder = bucketKeyEncoderOf(tableInfo);
    if (encoder === undefined) {
      throw FlussError.client(`Table ${tableInfo.tablePath.toString()} has no bucket keys; its rows are spread by the no-key assigner.`);
    }
    this.encoder = encoder;
    this.numBuckets = tableInfo.numBuckets;
    this.#fn = bucketingFunctionOf(dataLakeFormatOf(tableInfo));
  }

  /** The bucket-key bytes of `row` (a view, valid until the next call). */
  bucketKey(row: RowInput): Uint8Array {
    return this.encoder.encodeKey(row);
  }

  /** The bucket of `row` (an array of all columns in schema order, or an object keyed by column name). */
  bucketOf(row: RowInput): number {
    return this.#fn.bucketing(this.encoder.encodeKey(row), this.numBuckets);
  }
}
