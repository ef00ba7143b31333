import type { ClusterClient } from "../client/cluster-client.js";
import type { TableInfo, TablePath } from "../metadata/index.js";

/**
 * A handle on one table. Writers, scanners and lookups hang off it (they
 * arrive with the log-table and primary-key-table work).
 */
export class FlussTable {
  /** @internal */
  readonly cluster: ClusterClient;
  readonly #info: TableInfo;

  /** @internal Created by {@link FlussConnection.getTable}. */
  constructor(cluster: ClusterClient, info: TableInfo) {
    this.cluster = cluster;
    this.#info = info;
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
}
