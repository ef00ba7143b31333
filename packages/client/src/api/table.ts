import type { ClusterClient } from "../client/cluster-client.js";
import type { TableLeaders } from "../client/table-leaders.js";
import { TableSchemas } from "../client/table-schemas.js";
import type { ResolvedConfig } from "../config/index.js";
import type { TableInfo, TablePath } from "../metadata/index.js";
import { FlussError } from "../errors/index.js";
import { TableAppend } from "./table-append.js";
import { TableScan } from "./table-scan.js";

/**
 * A handle on one table (`conn.getTable(path)`): scans, writers and lookups
 * start here.
 */
export class FlussTable {
  /** @internal */
  readonly cluster: ClusterClient;
  /** @internal */
  readonly config: ResolvedConfig;
  readonly #info: TableInfo;
  /**
   * Where the table's buckets lead, shared by every scanner and writer made
   * here (as the Java client keeps its metadata per connection): learned by
   * `getTable`, asked again when a server says it moved.
   */
  readonly #leaders: TableLeaders;
  /**
   * The table's schemas by id, shared by its scanners: batches written with
   * another schema than this handle's are read with theirs (asked for once).
   */
  readonly #schemas: TableSchemas;

  /** @internal Created by {@link FlussConnection.getTable}. */
  constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders: TableLeaders) {
    this.cluster = cluster;
    this.#info = info;
    this.config = config;
    this.#leaders = leaders;
    this.#schemas = new TableSchemas(cluster, info);
  }

  getTableInfo(): TableInfo {
    return this.#info;
  }

  getTablePath(): TablePath {
    return this.#info.tablePath;
  }

  hasPrimaryKey(): boolean {
    return this.#info.hasPrimaryKey();
  }

  /**
   * Starts appending to this log table: `newAppend().createWriter()`.
   * Throws a CLIENT_ERROR for a primary-key table.
   */
  newAppend(): TableAppend {
    if (this.#info.hasPrimaryKey()) {
      throw FlussError.client(`table ${this.#info.tablePath} has a primary key: newAppend() is for log tables (use newUpsert())`);
    }
    return new TableAppend(this.cluster, this.#info, this.config, this.#leaders);
  }

  /** Starts a scan: `newScan().project([...]).createLogScanner()`. */
  newScan(): TableScan {
    return new TableScan(this.cluster, this.#info, this.config, this.#leaders, this.#schemas);
  }
}
