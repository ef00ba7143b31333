import type { ClusterClient } from "../client/cluster-client.js";
import { fetchBucketLocations } from "../client/bucket-locations.js";
import { FlussError } from "../errors/index.js";
import {
  DatabaseDescriptor,
  DatabaseInfo,
  OffsetSpec,
  PartitionInfo,
  SchemaInfo,
  ServerNode,
  type TableChange,
  TableDescriptor,
  TableInfo,
  TablePath,
} from "../metadata/index.js";
import { ApiKey } from "../wire/api-keys.js";
import { listBucketOffsets } from "../client/list-offsets.js";
import { requestTableSchema } from "../client/table-schemas.js";
import { alterTableChanges } from "./alter-table.js";
import { checkBoolean, checkBucketIds, checkName, checkPartitionSpec, toPbPartitionSpec, toPbTablePath } from "./arguments.js";

/** Options of {@link FlussAdmin.createDatabase}. */
export interface CreateDatabaseOptions {
  comment?: string;
  customProperties?: Record<string, string>;
  /** A full descriptor instead of `comment`/`customProperties`. */
  descriptor?: DatabaseDescriptor;
  ignoreIfExists?: boolean;
}

/** Options of {@link FlussAdmin.dropDatabase}. */
export interface DropDatabaseOptions {
  ignoreIfNotExists?: boolean;
  /** Drop the tables inside too; defaults to true, as in the Python client. */
  cascade?: boolean;
}

/**
 * Cluster administration, named after the Python client's `FlussAdmin`
 * (camelCased). Every method rejects with a FlussError: the server's code for
 * server-side failures, CLIENT_ERROR for bad arguments (raised before
 * anything is sent).
 */
export class FlussAdmin {
  readonly #cluster: ClusterClient;

  /** @internal Obtained from {@link FlussConnection.getAdmin}. */
  constructor(cluster: ClusterClient) {
    this.#cluster = cluster;
  }

  async createDatabase(databaseName: string, options: CreateDatabaseOptions = {}): Promise<void> {
    checkName(databaseName, "database name");
    const descriptor =
      options.descriptor ??
      new DatabaseDescriptor({
        ...(options.comment !== undefined ? { comment: options.comment } : {}),
        ...(options.customProperties !== undefined ? { customProperties: options.customProperties } : {}),
      });
    await this.#cluster.callCoordinator(ApiKey.CREATE_DATABASE, {
      databaseName,
      ignoreIfExists: checkBoolean(options.ignoreIfExists ?? false, "ignoreIfExists"),
      databaseJson: descriptor.toJsonBytes(),
    });
  }

  async dropDatabase(databaseName: string, options: DropDatabaseOptions = {}): Promise<void> {
    checkName(databaseName, "database name");
    await this.#cluster.callCoordinator(ApiKey.DROP_DATABASE, {
      databaseName,
      ignoreIfNotExists: checkBoolean(options.ignoreIfNotExists ?? false, "ignoreIfNotExists"),
      cascade: checkBoolean(options.cascade ?? true, "cascade"),
    });
  }

  async listDatabases(): Promise<string[]> {
    const response = await this.#cluster.callCoordinator(ApiKey.LIST_DATABASES, {});
    return [...response.databaseName];
  }

  async databaseExists(databaseName: string): Promise<boolean> {
    checkName(databaseName, "database name");
    return (await this.#cluster.callCoordinator(ApiKey.DATABASE_EXISTS, { databaseName })).exists;
  }

  async getDatabaseInfo(databaseName: string): Promise<DatabaseInfo> {
    checkName(databaseName, "database name");
    const response = await this.#cluster.callCoordinator(ApiKey.GET_DATABASE_INFO, { databaseName });
    return DatabaseInfo.fromResponse(databaseName, response.databaseJson, response.createdTime, response.modifiedTime);
  }

  async createTable(tablePath: TablePath, descriptor: TableDescriptor, options: { ignoreIfExists?: boolean } = {}): Promise<void> {
    if (!(descriptor instanceof TableDescriptor)) throw FlussError.client("createTable expects a TableDescriptor");
    await this.#cluster.callCoordinator(ApiKey.CREATE_TABLE, {
      tablePath: toPbTablePath(tablePath),
      tableJson: descriptor.toJsonBytes(),
      ignoreIfExists: checkBoolean(options.ignoreIfExists ?? false, "ignoreIfExists"),
    });
  }

  async dropTable(tablePath: TablePath, options: { ignoreIfNotExists?: boolean } = {}): Promise<void> {
    await this.#cluster.callCoordinator(ApiKey.DROP_TABLE, {
      tablePath: toPbTablePath(tablePath),
      ignoreIfNotExists: checkBoolean(options.ignoreIfNotExists ?? false, "ignoreIfNotExists"),
    });
  }

  async getTableInfo(tablePath: TablePath): Promise<TableInfo> {
    const response = await this.#cluster.callCoordinator(ApiKey.GET_TABLE_INFO, { tablePath: toPbTablePath(tablePath) });
    return TableInfo.fromResponse(tablePath, response);
  }

  /**
   * Changes a table's properties or columns, made with {@link TableChange}
   * (as the Java client's `alterTable`). Fluss 0.9.1 adds nullable columns at
   * the end only, and refuses dropping, renaming or modifying columns: the
   * server's error then says so. Rows written before a column was added read
   * back with null in it.
   */
  async alterTable(tablePath: TablePath, changes: readonly TableChange[], options: { ignoreIfNotExists?: boolean } = {}): Promise<void> {
    const pbTablePath = toPbTablePath(tablePath);
    const lists = alterTableChanges(changes);
    await this.#cluster.callCoordinator(ApiKey.ALTER_TABLE, {
      tablePath: pbTablePath,
      ignoreIfNotExists: checkBoolean(options.ignoreIfNotExists ?? false, "ignoreIfNotExists"),
      ...lists,
    });
  }

  /** A table's schema with its id: the latest, or the one of `schemaId` (each log batch names the schema it was written with). */
  async getTableSchema(tablePath: TablePath, schemaId?: number): Promise<SchemaInfo> {
    if (schemaId !== undefined && (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff)) {
      throw FlussError.client(`schemaId must be a non-negative int32, got ${String(schemaId)}`);
    }
    toPbTablePath(tablePath); // a TablePath, or a CLIENT_ERROR before anything is sent
    const answer = await requestTableSchema(this.#cluster, tablePath, schemaId);
    return new SchemaInfo(answer.schema, answer.schemaId);
  }

  async listTables(databaseName: string): Promise<string[]> {
    checkName(databaseName, "database name");
    return [...(await this.#cluster.callCoordinator(ApiKey.LIST_TABLES, { databaseName })).tableName];
  }

  async tableExists(tablePath: TablePath): Promise<boolean> {
    const response = await this.#cluster.callCoordinator(ApiKey.TABLE_EXISTS, { tablePath: toPbTablePath(tablePath) });
    return response.exists;
  }

  /** Creates a partition from its spec, e.g. `{ region: "US" }`. */
  async createPartition(
    tablePath: TablePath,
    partitionSpec: Record<string, string>,
    options: { ignoreIfExists?: boolean } = {},
  ): Promise<void> {
    await this.#cluster.callCoordinator(ApiKey.CREATE_PARTITION, {
      tablePath: toPbTablePath(tablePath),
      partitionSpec: toPbPartitionSpec(checkPartitionSpec(partitionSpec)),
      // Fluss names this field ignore_if_not_exists; it means "ignore if it already exists".
      ignoreIfNotExists: checkBoolean(options.ignoreIfExists ?? false, "ignoreIfExists"),
    });
  }

  async dropPartition(
    tablePath: TablePath,
    partitionSpec: Record<string, string>,
    options: { ignoreIfNotExists?: boolean } = {},
  ): Promise<void> {
    await this.#cluster.callCoordinator(ApiKey.DROP_PARTITION, {
      tablePath: toPbTablePath(tablePath),
      partitionSpec: toPbPartitionSpec(checkPartitionSpec(partitionSpec)),
      ignoreIfNotExists: checkBoolean(options.ignoreIfNotExists ?? false, "ignoreIfNotExists"),
    });
  }

  /** Partitions of a table; a partial spec filters them. */
  async listPartitionInfos(tablePath: TablePath, partitionSpec?: Record<string, string>): Promise<PartitionInfo[]> {
    const response = await this.#cluster.callCoordinator(ApiKey.LIST_PARTITION_INFOS, {
      tablePath: toPbTablePath(tablePath),
      ...(partitionSpec === undefined
        ? {}
        : { partialPartitionSpec: toPbPartitionSpec(checkPartitionSpec(partitionSpec)) }),
    });
    return response.partitionsInfo.map((info) => PartitionInfo.fromResponse(info));
  }

  /**
   * Offsets of the given buckets of a non-partitioned table, as
   * bucket id → offset. Use {@link listPartitionOffsets} for partitioned tables.
   */
  async listOffsets(tablePath: TablePath, bucketIds: readonly number[], offsetSpec: OffsetSpec): Promise<Map<number, number>> {
    return this.#listOffsets(tablePath, undefined, bucketIds, offsetSpec);
  }

  /** Offsets of buckets of one partition, named by its value(s) as in `"US"` (not `region=US`). */
  async listPartitionOffsets(
    tablePath: TablePath,
    partitionName: string,
    bucketIds: readonly number[],
    offsetSpec: OffsetSpec,
  ): Promise<Map<number, number>> {
    if (typeof partitionName !== "string" || partitionName === "") {
      throw FlussError.client("partitionName must be a non-empty string");
    }
    return this.#listOffsets(tablePath, partitionName, bucketIds, offsetSpec);
  }

  /** Every coordinator and tablet server of the cluster. */
  async getServerNodes(): Promise<ServerNode[]> {
    const view = await this.#cluster.refreshCluster();
    const nodes: ServerNode[] = [];
    if (view.coordinator) nodes.push(new ServerNode(view.coordinator.id, view.coordinator.host, view.coordinator.port, "CoordinatorServer"));
    for (const server of view.tabletServers.values()) {
      nodes.push(new ServerNode(server.id, server.host, server.port, "TabletServer"));
    }
    return nodes;
  }

  async #listOffsets(
    tablePath: TablePath,
    partitionName: string | undefined,
    bucketIds: readonly number[],
    offsetSpec: OffsetSpec,
  ): Promise<Map<number, number>> {
    const buckets = checkBucketIds(bucketIds);
    if (!(offsetSpec instanceof OffsetSpec)) {
      throw FlussError.client("offsetSpec must be OffsetSpec.earliest(), OffsetSpec.latest() or OffsetSpec.timestamp(ms)");
    }
    const info = await this.getTableInfo(tablePath);
    if (partitionName === undefined && info.isPartitioned()) {
      throw FlussError.client(`table ${tablePath} is partitioned: use listPartitionOffsets with a partition name`);
    }
    const locations = await fetchBucketLocations(this.#cluster, toPbTablePath(tablePath), partitionName);
    return listBucketOffsets(this.#cluster, locations, buckets, offsetSpec, () =>
      fetchBucketLocations(this.#cluster, toPbTablePath(tablePath), partitionName),
    );
  }
}
