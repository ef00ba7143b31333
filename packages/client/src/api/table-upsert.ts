import type { ClusterClient } from "../client/cluster-client.js";
import type { TableLeaders } from "../client/table-leaders.js";
import type { ResolvedConfig } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/index.js";
import { UpsertWriter } from "./upsert-writer.js";

/**
 * Writes to a primary-key table (`table.newUpsert()`): `createWriter()`
 * makes the writer, after `partialUpdateByName` / `partialUpdateByIndex`
 * for one that writes only some columns. Each call returns a new builder.
 */
export class TableUpsert {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #config: ResolvedConfig;
  readonly #leaders: TableLeaders;
  readonly #targetColumns: readonly number[] | undefined;

  /** @internal Made by {@link FlussTable.newUpsert}. */
  constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders: TableLeaders, targetColumns?: readonly number[]) {
    this.#cluster = cluster;
    this.#info = info;
    this.#config = config;
    this.#leaders = leaders;
    this.#targetColumns = targetColumns;
  }

  /**
   * Upserts write only these columns (by name); the others keep their
   * stored values. They must include every primary-key column, and every
   * column left out must be nullable (CLIENT_ERROR otherwise).
   */
  partialUpdateByName(columns: readonly string[]): TableUpsert {
    if (!Array.isArray(columns)) throw FlussError.client("partialUpdateByName takes an array of column names");
    const names = this.#info.getColumnNames();
    const indexes = columns.map((name) => {
      const index = typeof name === "string" ? names.indexOf(name) : -1;
      if (index < 0) throw FlussError.client(`table ${this.#info.tablePath} has no column ${JSON.stringify(name)}`);
      return index;
    });
    return this.partialUpdateByIndex(indexes);
  }

  /** {@link partialUpdateByName} with column indexes (0-based, in the table's column order). */
  partialUpdateByIndex(columns: readonly number[]): TableUpsert {
    if (!Array.isArray(columns) || columns.length === 0) throw FlussError.client("a partial update needs at least one column");
    const info = this.#info;
    const count = info.getColumnCount();
    for (const index of columns) {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw FlussError.client(`column index ${String(index)} is out of range: table ${info.tablePath} has ${count} columns`);
      }
    }
    const targeted = new Set(columns);
    const names = info.getColumnNames();
    for (const key of info.getPrimaryKeys()) {
      if (!targeted.has(names.indexOf(key))) {
        throw FlussError.client(`a partial update must write every primary-key column; '${key}' is missing`);
      }
    }
    info.schema.columns.forEach((column, index) => {
      if (!targeted.has(index) && !column.type.isNullable) {
        throw FlussError.client(`a partial update must write every NOT NULL column; '${column.name}' is missing`);
      }
    });
    return new TableUpsert(this.#cluster, info, this.#config, this.#leaders, [...targeted].sort((a, b) => a - b));
  }

  /**
   * A writer with the connection's `writer.*` settings. Throws a
   * CLIENT_ERROR naming the keys when they do not go together, or when the
   * table's `table.kv.format` is one fluss-edge cannot write.
   */
  createWriter(): UpsertWriter {
    return new UpsertWriter(this.#cluster, this.#info, this.#config, this.#leaders, this.#targetColumns);
  }
}
