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
  /** The GetMetadata requests under way, each with the partitions it asks for. */
  readonly #inFlight: { done: Promise<void>; partitionIds: ReadonlySet<number> }[] = [];

  constructor(cluster: ClusterClient, tablePath: { databaseName: string; tableName: string }) {
    this.#cluster = cluster;
    // A plain copy: it goes into request messages as it is.
    this.#tablePath = { databaseName: tablePath.databaseName, tableName: tablePath.tableName };
  }

  /** Node id of the bucket's leader; refreshes once if unknown; LEADER_NOT_AVAILABLE (retriable) if still none. */
  async leaderOf(bucket: TableBucket): Promise<number> {
    const known = this.#lookup(bucket);
    if (known !== undefined && known >= 0) return known;
    const { partitionId } = bucket;
    await this.refresh(partitionId === undefined ? [] : [partitionId]);
    const leader = this.#lookup(bucket);
    // −1: the metadata names no leader (one is being elected).
    if (leader === undefined || leader < 0) {
      // No entry at all: forgotten by an invalidate() since the answer; a missing partition fails in #refresh.
      const buckets = this.#leaders.get(partitionKey(partitionId));
      if (buckets && !buckets.has(bucket.bucketId)) {
        throw new FlussError(`${bucket} does not exist (the table has ${buckets.size} buckets)`, ErrorCode.UNKNOWN_TABLE_OR_BUCKET_EXCEPTION);
      }
      throw new FlussError(`${bucket} has no leader right now`, ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
    }
    return leader;
  }

  /** The leader known now, without asking the cluster, or undefined. */
  knownLeaderOf(bucket: TableBucket): number | undefined {
    const leader = this.#lookup(bucket);
    return leader !== undefined && leader >= 0 ? leader : undefined;
  }

  /** Forgets what is known, so that the next lookup asks the cluster again. */
  invalidate(): void {
    this.#leaders.clear();
  }

  /**
   * {@link refresh}, unless the table's leaders (and those of the given
   * partitions) are known already: for warming up ahead of the first use
   * (`getTable` learns a table's leaders; a writer made from it then asks
   * nothing more).
   */
  learn(partitionIds: readonly number[]): Promise<void> {
    const known = [undefined, ...partitionIds].every((id) => this.#leaders.has(partitionKey(id)));
    return known ? Promise.resolve() : this.refresh(partitionIds);
  }

  /**
   * Asks the cluster for the table's buckets and those of the given
   * partitions. A call joins a GetMetadata under way that asks for all of
   * its partitions (many buckets failing at once share one); otherwise it
   * sends its own, for its own partitions only: the coordinator fails a
   * whole request for one unknown partition id, and one caller's dropped
   * partition must not fail another's lookups.
   */
  refresh(partitionIds: readonly number[]): Promise<void> {
    const joined = this.#inFlight.find((request) => partitionIds.every((id) => request.partitionIds.has(id)));
    if (joined) return joined.done;
    const request = { done: this.#refresh(partitionIds), partitionIds: new Set(partitionIds) };
    this.#inFlight.push(request);
    const forget = (): void => {
      this.#inFlight.splice(this.#inFlight.indexOf(request), 1);
    };
    request.done.then(forget, forget);
    return request.done;
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
    // The coordinator fails the request for an unknown partition id; should it leave one out instead, say the same.
    const answered = new Set(response.partitionMetadata.map((partition) => Number(partition.partitionId)));
    for (const id of partitionIds) {
      if (!answered.has(id)) {
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
