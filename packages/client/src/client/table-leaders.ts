import { isFieldSet } from "@bufbuild/protobuf";
import { ErrorCode, FlussError } from "../errors/index.js";
import { PbBucketMetadataSchema, type PbBucketMetadata } from "../gen/fluss/rpc_pb.js";
import type { TableBucket } from "../metadata/index.js";
import { ApiKey } from "../wire/api-keys.js";
import type { ClusterClient } from "./cluster-client.js";

/** Partition key of the leader map: `""` for a non-partitioned table. */
type PartitionKey = string;

/**
 * The leaders of one table's buckets (per partition for partitioned tables),
 * learned from GetMetadata and refreshed on demand — after a stale-metadata
 * error, or when a bucket has no known leader. Writers and scanners share
 * the shape: ask `leaderOf(bucket)`, call `invalidate()` when the server says
 * the leader moved.
 */
export class TableLeaders {
  readonly #cluster: ClusterClient;
  readonly #tablePath: { databaseName: string; tableName: string };
  readonly #leaders = new Map<PartitionKey, Map<number, number | undefined>>();
  #refreshing: Promise<void> | undefined;

  constructor(cluster: ClusterClient, tablePath: { databaseName: string; tableName: string }) {
    this.#cluster = cluster;
    this.#tablePath = tablePath;
  }

  /** Node id of the bucket's leader; refreshes once if unknown; LEADER_NOT_AVAILABLE (retriable) if still none. */
  async leaderOf(bucket: TableBucket): Promise<number> {
    const known = this.#lookup(bucket);
    if (known !== undefined) return known;
    await this.refresh(bucket.partitionId === undefined ? [] : [bucket.partitionId]);
    const leader = this.#lookup(bucket);
    if (leader === undefined) {
      const partitions = this.#leaders.get(partitionKey(bucket.partitionId));
      if (partitions && !partitions.has(bucket.bucketId)) {
        throw new FlussError(`${bucket} does not exist (the table has ${partitions.size} buckets)`, ErrorCode.UNKNOWN_TABLE_OR_BUCKET_EXCEPTION);
      }
      throw new FlussError(`${bucket} has no leader right now`, ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
    }
    return leader;
  }

  /** Forgets what is known, so that the next lookup asks the cluster again. */
  invalidate(): void {
    this.#leaders.clear();
  }

  /** Asks the cluster for the table's buckets (and those of the given partitions). */
  refresh(partitionIds: readonly number[]): Promise<void> {
    // Coalesce concurrent refreshes (many buckets failing at once).
    this.#refreshing ??= this.#refresh(partitionIds).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(partitionIds: readonly number[]): Promise<void> {
    const response = await this.#cluster.callCoordinator(ApiKey.GET_METADATA, {
      tablePath: [this.#tablePath],
      partitionsId: partitionIds.map((id) => BigInt(id)),
    });
    for (const table of response.tableMetadata) {
      this.#leaders.set(partitionKey(undefined), leadersOf(table.bucketMetadata));
    }
    for (const partition of response.partitionMetadata) {
      this.#leaders.set(partitionKey(Number(partition.partitionId)), leadersOf(partition.bucketMetadata));
    }
    for (const id of partitionIds) {
      if (!this.#leaders.has(partitionKey(id))) {
        throw new FlussError(`partition ${id} of ${this.#tablePath.databaseName}.${this.#tablePath.tableName} does not exist`, ErrorCode.PARTITION_NOT_EXISTS);
      }
    }
  }

  #lookup(bucket: TableBucket): number | undefined {
    return this.#leaders.get(partitionKey(bucket.partitionId))?.get(bucket.bucketId);
  }
}

function partitionKey(partitionId: number | undefined): PartitionKey {
  return partitionId === undefined ? "" : String(partitionId);
}

function leadersOf(buckets: readonly PbBucketMetadata[]): Map<number, number | undefined> {
  // An unset optional int reads as 0, which is also a valid node id: check presence.
  const leaderField = PbBucketMetadataSchema.field.leaderId;
  return new Map(buckets.map((b) => [b.bucketId, isFieldSet(b, leaderField) ? b.leaderId : undefined]));
}
