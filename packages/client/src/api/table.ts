import type { ClusterClient } from "../client/cluster-client.js";
import type { TableLeaders } from "../client/table-leaders.js";
import { TableSchemas } from "../client/table-schemas.js";
import type { ResolvedConfig } from "../config/index.js";
import type { TableInfo, TablePath } from "../metadata/index.js";
import { FlussError } from "../errors/index.js";
import { LookupClient } from "../client/lookup/lookup-client.js";
import { TableAppend } from "./table-append.js";
import { TableLookup } from "./table-lookup.js";
import { TableScan } from "./table-scan.js";
import { TableUpsert } from "./table-upsert.js";

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
  /** The lookups of every lookuper made here share requests: made on the first `newLookup`. */
  #lookupClient: LookupClient | undefined;

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

  /**
   * Starts writing to this primary-key table: `newUpsert().createWriter()`,
   * or `newUpsert().partialUpdateByName([...]).createWriter()`. Throws a
   * CLIENT_ERROR for a log table.
   */
  newUpsert(): TableUpsert {
    if (!this.#info.hasPrimaryKey()) {
      throw FlussError.client(`table ${this.#info.tablePath} has no primary key: newUpsert() is for primary-key tables (use newAppend())`);
    }
    return new TableUpsert(this.cluster, this.#info, this.config, this.#leaders);
  }

  /**
   * Starts looking this primary-key table up: `newLookup().createLookuper()`.
   * Throws a CLIENT_ERROR for a log table.
   */
  newLookup(): TableLookup {
    if (!this.#info.hasPrimaryKey()) {
      throw FlussError.client(`table ${this.#info.tablePath} has no primary key: lookups are for primary-key tables`);
    }
    this.#lookupClient ??= new LookupClient(this.cluster, this.#info.tableId, this.#leaders, {
      maxBatchSize: this.config.lookupMaxBatchSize,
      maxInflightRequests: this.config.lookupMaxInflightRequests,
      maxRetries: this.config.lookupMaxRetries,
      requestTimeoutMs: this.config.requestTimeoutMs,
    });
    return new TableLookup(this.cluster, this.#info, this.#lookupClient, this.#schemas);
  }

  /** Starts a scan: `newScan().project([...]).createLogScanner()`. */
  newScan(): TableScan {
    return new TableScan(this.cluster, this.#info, this.config, this.#leaders, this.#schemas);
  }
}
