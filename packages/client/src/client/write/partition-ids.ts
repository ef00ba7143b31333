import { ErrorCode, FlussError } from "../../errors/index.js";
import type { TablePath } from "../../metadata/index.js";
import { ApiKey } from "../../wire/api-keys.js";
import type { ClusterClient } from "../cluster-client.js";

/**
 * The id of partition `partitionName` of a table, from GetMetadata
 * (`partitions_path`). A partition that does not exist is a
 * PARTITION_NOT_EXISTS FlussError: writers do not create partitions (as
 * pyfluss; create them with `admin.createPartition`).
 */
export async function lookUpPartitionId(cluster: ClusterClient, tablePath: TablePath, partitionName: string): Promise<number> {
  const { databaseName, tableName } = tablePath;
  const response = await cluster.callCoordinator(ApiKey.GET_METADATA, {
    partitionsPath: [{ databaseName, tableName, partitionName }],
  });
  const metadata = response.partitionMetadata.find((p) => p.partitionName === partitionName) ?? response.partitionMetadata[0];
  if (!metadata) {
    throw new FlussError(`Table partition '${tablePath.toString()}' with name '${partitionName}' does not exist.`, ErrorCode.PARTITION_NOT_EXISTS);
  }
  return Number(metadata.partitionId);
}
