import type { ClusterClient } from "../client/cluster-client.js";
import type { TableLeaders } from "../client/table-leaders.js";
import type { ResolvedConfig } from "../config/index.js";
import type { TableInfo } from "../metadata/index.js";
import { AppendWriter } from "./append-writer.js";

/** Appends to a log table (`table.newAppend()`): `createWriter()` makes the writer. */
export class TableAppend {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #config: ResolvedConfig;
  readonly #leaders: TableLeaders;

  /** @internal Made by {@link FlussTable.newAppend}. */
  constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders: TableLeaders) {
    this.#cluster = cluster;
    this.#info = info;
    this.#config = config;
    this.#leaders = leaders;
  }

  /**
   * A writer with the connection's `writer.*` settings. Throws a
   * CLIENT_ERROR naming the keys when they do not go together (e.g.
   * idempotence with `writer.acks` other than all), or when the table's log
   * format or compression is one fluss-edge cannot write.
   */
  createWriter(): AppendWriter {
    return new AppendWriter(this.#cluster, this.#info, this.#config, this.#leaders);
  }
}
