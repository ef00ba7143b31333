import { ErrorCode, FlussError } from "../errors/index.js";
import { isFieldSet } from "@bufbuild/protobuf";
import { PbBucketMetadataSchema, type PbBucketMetadata } from "../gen/fluss/rpc_pb.js";
import { ApiKey } from "../wire/api-keys.js";
import type { ClusterClient } from "./cluster-client.js";

/** Where each bucket of a table (or of one partition) is led. */
export interface BucketLocations {
  tableId: bigint;
  partitionId: bigint | undefined;
  /** bucket id → leader node id (undefined while no leader is elected). */
  leaders: ReadonlyMap<number, number | undefined>;
}

/** Asks the cluster for the leaders of a table's buckets, or of one partition's buckets. */
export async function fetchBucketLocations(
  cluster: ClusterClient,
  table: { databaseName: string; tableName: string },
  partitionName?: string,
): Promise<BucketLocations> {
  if (partitionName === undefined) {
    const response = await cluster.callCoordinator(ApiKey.GET_METADATA, { tablePath: [table] });
    const metadata = response.tableMetadata[0];
    if (!metadata) throw notFound(`table ${table.databaseName}.${table.tableName}`, ErrorCode.TABLE_NOT_EXIST);
    return { tableId: metadata.tableId, partitionId: undefined, leaders: leadersOf(metadata.bucketMetadata) };
  }
  const response = await cluster.callCoordinator(ApiKey.GET_METADATA, {
    partitionsPath: [{ ...table, partitionName }],
  });
  const metadata = response.partitionMetadata[0];
  if (!metadata) {
    throw notFound(`partition ${partitionName} of ${table.databaseName}.${table.tableName}`, ErrorCode.PARTITION_NOT_EXISTS);
  }
  return { tableId: metadata.tableId, partitionId: metadata.partitionId, leaders: leadersOf(metadata.bucketMetadata) };
}

function leadersOf(buckets: readonly PbBucketMetadata[]): Map<number, number | undefined> {
  // An unset optional int64 reads as 0, which is also a valid node id: check presence.
  const leaderField = PbBucketMetadataSchema.field.leaderId;
  return new Map(
    buckets.map((bucket) => [bucket.bucketId, isFieldSet(bucket, leaderField) ? bucket.leaderId : undefined]),
  );
}

function notFound(what: string, code: number): FlussError {
  return new FlussError(`${what} does not exist`, code);
}
