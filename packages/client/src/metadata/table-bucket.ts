import { toInt32, toSafeNumber } from "./numbers.js";

/**
 * One bucket of a table, or of one partition of a partitioned table.
 * JavaScript Maps compare objects by identity, so use {@link key} (or
 * {@link equals}) to look buckets up.
 *
 * @example
 * const b = TableBucket.withPartition(tableId, partitionId, 0);
 * offsets.set(b.key, 42);
 */
export class TableBucket {
  /** Table id (int64 on the wire, a safe integer here). */
  readonly tableId: number;
  /** Partition id, `undefined` for a non-partitioned table. */
  readonly partitionId: number | undefined;
  /** Bucket number within the table or partition. */
  readonly bucketId: number;

  constructor(tableId: number | bigint, bucketId: number, partitionId?: number | bigint) {
    this.tableId = toSafeNumber(tableId, "Table id");
    this.bucketId = toInt32(bucketId, "Bucket id");
    this.partitionId = partitionId === undefined ? undefined : toSafeNumber(partitionId, "Partition id");
  }

  /** A bucket of one partition (pyfluss's `TableBucket.with_partition(table_id, partition_id, bucket)`). */
  static withPartition(tableId: number | bigint, partitionId: number | bigint, bucketId: number): TableBucket {
    return new TableBucket(tableId, bucketId, partitionId);
  }

  /** A string unique per bucket, for use as a Map key: `tableId:partitionId:bucketId` (empty partition when none). */
  get key(): string {
    return `${this.tableId}:${this.partitionId ?? ""}:${this.bucketId}`;
  }

  /** Same table, partition and bucket. */
  equals(other: unknown): boolean {
    return (
      other instanceof TableBucket &&
      other.tableId === this.tableId &&
      other.partitionId === this.partitionId &&
      other.bucketId === this.bucketId
    );
  }

  toString(): string {
    return this.partitionId === undefined
      ? `TableBucket(tableId=${this.tableId}, bucket=${this.bucketId})`
      : `TableBucket(tableId=${this.tableId}, partitionId=${this.partitionId}, bucket=${this.bucketId})`;
  }
}
