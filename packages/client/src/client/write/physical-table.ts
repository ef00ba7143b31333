import type { BucketAssigner } from "../../bucketing/index.js";
import { TableBucket } from "../../metadata/index.js";
import { BucketQueue } from "./bucket-queue.js";

/** How far the partition id of a physical table is known. */
export type PartitionIdState = "known" | "unresolved" | "resolving";

/**
 * A table, or one partition of a partitioned table (Java's
 * `PhysicalTablePath`): its bucket queues and its own bucket assigner. The
 * partition id is looked up by name after the first row arrives; rows wait
 * in their batches meanwhile.
 */
export class PhysicalTable {
  readonly tableId: number;
  /** Partition name (`v1$v2`), undefined for a non-partitioned table. */
  readonly partitionName: string | undefined;
  partitionId: number | undefined;
  idState: PartitionIdState;
  readonly assigner: BucketAssigner;
  readonly #queues: (BucketQueue | undefined)[];
  readonly #buckets: (TableBucket | undefined)[];

  constructor(tableId: number, numBuckets: number, assigner: BucketAssigner, partitionName?: string) {
    this.tableId = tableId;
    this.partitionName = partitionName;
    this.idState = partitionName === undefined ? "known" : "unresolved";
    this.assigner = assigner;
    this.#queues = new Array<BucketQueue | undefined>(numBuckets);
    this.#buckets = new Array<TableBucket | undefined>(numBuckets);
  }

  /** The queue of bucket `bucketId`, made on first use. */
  queue(bucketId: number): BucketQueue {
    return (this.#queues[bucketId] ??= new BucketQueue(this, bucketId));
  }

  /** The queues made so far. */
  *queues(): IterableIterator<BucketQueue> {
    for (const queue of this.#queues) if (queue) yield queue;
  }

  /** The TableBucket of `bucketId` (needs the partition id for a partition). */
  bucket(bucketId: number): TableBucket {
    return (this.#buckets[bucketId] ??= new TableBucket(this.tableId, bucketId, this.partitionId));
  }

  /** Sets the partition id once it is known. */
  resolved(partitionId: number): void {
    this.partitionId = partitionId;
    this.idState = "known";
    this.#buckets.fill(undefined);
  }
}
