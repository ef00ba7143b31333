import type { TableBucket } from "../metadata/index.js";
import type { Row } from "../row/index.js";

/** How a record changed the table: `+A` appended (log tables), `+I` insert, `-U`/`+U` update before/after, `-D` delete. */
export type ChangeTypeName = "+A" | "+I" | "-U" | "+U" | "-D";

/** One record read by a log scanner. */
export interface ScanRecord {
  /** Offset of the record in its bucket's log. */
  readonly offset: number;
  /** Epoch milliseconds at which the server committed the record's batch. */
  readonly timestamp: number;
  readonly changeType: ChangeTypeName;
  /** The row: column name → value (see docs/data-types.md for the JS types). */
  readonly row: Row;
}

/**
 * The records of one poll, grouped by bucket; iterating yields them all,
 * bucket by bucket, in offset order within each bucket.
 */
export class ScanRecords implements Iterable<ScanRecord> {
  readonly #byBucket: ReadonlyMap<string, { bucket: TableBucket; records: ScanRecord[] }>;
  readonly #count: number;

  /** @internal */
  constructor(byBucket: ReadonlyMap<string, { bucket: TableBucket; records: ScanRecord[] }>) {
    this.#byBucket = byBucket;
    let count = 0;
    for (const entry of byBucket.values()) count += entry.records.length;
    this.#count = count;
  }

  static readonly EMPTY = new ScanRecords(new Map());

  /** The buckets that have records in this poll. */
  buckets(): TableBucket[] {
    return [...this.#byBucket.values()].map((entry) => entry.bucket);
  }

  /** The records of one bucket (empty when it has none). */
  records(bucket: TableBucket): readonly ScanRecord[] {
    return this.#byBucket.get(bucket.key)?.records ?? [];
  }

  count(): number {
    return this.#count;
  }

  get size(): number {
    return this.#count;
  }

  isEmpty(): boolean {
    return this.#count === 0;
  }

  *[Symbol.iterator](): Iterator<ScanRecord> {
    for (const entry of this.#byBucket.values()) yield* entry.records;
  }
}
