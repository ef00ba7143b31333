import type { ClusterClient } from "../client/cluster-client.js";
import { LogFetcher } from "../client/scan/log-fetcher.js";
import { Projection } from "../client/scan/projection.js";
import type { TableLeaders } from "../client/table-leaders.js";
import type { TableSchemas } from "../client/table-schemas.js";
import type { ResolvedConfig } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/index.js";
import { LogScanner } from "./log-scanner.js";

/**
 * Configures a scan of one table (`table.newScan()`): optional projection,
 * then a log scanner.
 */
export class TableScan {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #config: ResolvedConfig;
  readonly #leaders: TableLeaders;
  readonly #schemas: TableSchemas;
  #projection: Projection;

  /** @internal */
  constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders: TableLeaders, schemas: TableSchemas) {
    this.#cluster = cluster;
    this.#info = info;
    this.#config = config;
    this.#leaders = leaders;
    this.#schemas = schemas;
    this.#projection = new Projection(info.schema);
  }

  /** Reads only these columns, by index, in this order. */
  project(indexes: readonly number[]): this {
    this.#projection = new Projection(this.#info.schema, indexes);
    return this;
  }

  /** Reads only these columns, by name, in this order. */
  projectByName(names: readonly string[]): this {
    this.#projection = Projection.byName(this.#info.schema, names);
    return this;
  }

  /** A scanner yielding records (rows as objects); on a primary-key table it reads the changelog. */
  createLogScanner(): LogScanner {
    return this.#scanner();
  }

  /** A scanner meant for Arrow batches (`pollArrow`, `pollRecordBatch`); log tables only. */
  createRecordBatchLogScanner(): LogScanner {
    if (this.#info.hasPrimaryKey()) {
      throw FlussError.client(`table ${this.#info.tablePath} has a primary key: use createLogScanner() to read its changelog`);
    }
    return this.#scanner();
  }

  #scanner(): LogScanner {
    const fetcher = new LogFetcher(this.#cluster, this.#info, this.#projection, {
      maxBytes: this.#config.scannerLogFetchMaxBytes,
      maxBytesForBucket: this.#config.scannerLogFetchMaxBytesForBucket,
      minBytes: this.#config.scannerLogFetchMinBytes,
      maxWaitMs: this.#config.scannerLogFetchWaitMaxTimeMs,
      checkCrc: this.#config.scannerLogCheckCrc,
    }, this.#leaders, this.#schemas);
    return new LogScanner(this.#info, fetcher, this.#projection, {
      maxPollRecords: this.#config.scannerLogMaxPollRecords,
      fetchWaitMs: this.#config.scannerLogFetchWaitMaxTimeMs,
    });
  }
}
