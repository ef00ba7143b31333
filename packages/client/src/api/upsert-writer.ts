import type { ClusterClient } from "../client/cluster-client.js";
import type { TableLeaders } from "../client/table-leaders.js";
import { kvRecordEncoderOf, primaryKeyRow, type KvRecordEncoder } from "../client/write/kv-encoder.js";
import type { ResolvedConfig } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/index.js";
import type { RowInput } from "../row/index.js";
import { BufferedWriter } from "./buffered-writer.js";
import type { WriteResult } from "./write-result.js";

/**
 * Writes to a primary-key table (`table.newUpsert().createWriter()`): each
 * `upsert` inserts the row or replaces the one with its primary key, each
 * `delete` removes the row with that key.
 *
 * Records are batched per bucket (per partition) and sent in the background
 * as PutKv requests, with the same batching, backpressure, retries and
 * idempotence as the append writer (see {@link AppendWriter}): a bucket's
 * writes reach the server in the order they were made, exactly once.
 *
 * @example
 * const writer = table.newUpsert().createWriter();
 * writer.upsert({ id: 1, name: "a", score: 10 });
 * writer.upsert({ id: 1, name: "a", score: 11 });   // replaces the row with id 1
 * writer.delete({ id: 2 });                         // the primary key's columns are enough
 * await writer.flush();
 *
 * With `newUpsert().partialUpdateByName(["id", "score"])` an upsert writes
 * only those columns (they must include the primary key; the others must be
 * nullable) and the row's other columns keep their stored values.
 */
export class UpsertWriter extends BufferedWriter {
  readonly #kv: KvRecordEncoder;

  /** @internal Made by {@link TableUpsert.createWriter}. */
  constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders: TableLeaders | undefined, targetColumns?: readonly number[]) {
    if (!info.hasPrimaryKey()) {
      throw FlussError.client(`table ${info.tablePath} has no primary key: upsert writers are for primary-key tables (use newAppend().createWriter())`);
    }
    const kv = kvRecordEncoderOf(info, targetColumns);
    super(cluster, info, config, leaders, kv);
    this.#kv = kv;
  }

  /**
   * Inserts the row, or replaces the row with the same primary key: an
   * object keyed by column name (nullable columns may be left out) or an
   * array in column order. Throws a CLIENT_ERROR naming the column, before
   * anything is sent, for a row that does not fit the schema (a null key
   * column included); the batch it would have joined stays intact. Also
   * throws when the writer is closed or its buffer is full (await
   * {@link ready} first in a producer loop).
   */
  upsert(row: RowInput): WriteResult {
    this.checkOpen();
    return this.acc.appendKv(row, this.#kv, "upsert").result;
  }

  /**
   * Deletes the row with this primary key: an object with (at least) the
   * primary-key columns, an array of the primary-key values in the key's
   * order, or a whole row in column order. Deleting a key that is not there
   * is not an error. Throws like {@link upsert}.
   */
  delete(key: RowInput): WriteResult {
    this.checkOpen();
    return this.acc.appendKv(primaryKeyRow(this.info, key, "a key to delete"), this.#kv, "delete").result;
  }
}
