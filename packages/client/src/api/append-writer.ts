import type { RecordBatch, Table as ArrowTable } from "apache-arrow";
import type { ClusterClient } from "../client/cluster-client.js";
import type { TableLeaders } from "../client/table-leaders.js";
import { arrowBytesPerRow, checkArrowSchema, checkNotNulls, rowsPerArrowChunk } from "../client/write/arrow-input.js";
import type { ResolvedConfig } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/index.js";
import { RowReader, type RowInput } from "../row/index.js";
import { BufferedWriter } from "./buffered-writer.js";
import { WriteResult } from "./write-result.js";

export type { CloseOptions } from "./buffered-writer.js";

/**
 * Appends rows to a log table (`table.newAppend().createWriter()`).
 *
 * Rows are batched per bucket (per partition) and sent in the background:
 * a bucket's batch goes out when it reaches `writer.batch-size` or is
 * `writer.batch-timeout-ms` old, one ProduceLog request per tablet server.
 * By default the writer is idempotent: retries never duplicate or reorder
 * rows of a bucket.
 *
 * @example
 * const writer = table.newAppend().createWriter();
 * for (const row of rows) {
 *   await writer.ready();           // backpressure: waits while the buffer is full
 *   writer.append(row);             // { id: 1, name: "a" } or [1, "a"]; throws at once on a bad row
 * }
 * await writer.flush();             // everything acknowledged, or the first failure thrown
 * await writer.close();
 *
 * **Results.** `append` returns a {@link WriteResult}; `await result.wait()`
 * resolves when that row is acknowledged. Ignoring results is fine
 * (fire-and-forget): a failure nobody awaits never becomes an unhandled
 * rejection; `flush()` reports the first failure of the rows appended
 * before it.
 *
 * **Backpressure.** JavaScript cannot block inside `append`, so the buffer
 * cap (`writer.buffer.memory-size`, default 64 MiB) works like a web stream's
 * `writer.ready`: `append` stays synchronous and takes a row while the
 * buffer is below the cap; `await writer.ready()` waits until there is room
 * again (it resolves at once, without allocating, while there is). A
 * producer that awaits `ready()` before each `append` never grows the buffer
 * past the cap. `append` on a full buffer throws a CLIENT_ERROR saying so
 * (it never buffers without bound). `ready()` rejects with a CLIENT_ERROR
 * after `writer.buffer.wait-timeout-ms` (default: no limit). The Arrow
 * methods wait for room on their own, batch by batch.
 *
 * **Retries and idempotence.** Failed sends are retried (`writer.retries`,
 * default unlimited) after stale leaders are re-learned. With
 * `writer.enable-idempotence` (default) each bucket's batches carry a writer
 * id and sequence numbers, a retry resends the same bytes, and a retried
 * batch goes out again before anything written after it: no duplicates, no
 * reordering within a bucket. Without idempotence a retry may duplicate a
 * batch, and with `writer.max-inflight-requests-per-bucket` above 1 reorder
 * it. When the server answers OUT_OF_ORDER_SEQUENCE for the very batch it
 * should take next (it lost this writer's state, e.g. a single-replica bucket
 * truncated after its server was killed) that batch fails, and the writer
 * starts over under a new writer id, as the Java client does.
 *
 * `writer.batch-size` is used as it is (`writer.dynamic-batch-size.*` are
 * accepted but not applied). One writer serves one table; `close()` (or
 * `await using`) flushes and stops it.
 */
export class AppendWriter extends BufferedWriter {
  /** @internal Made by {@link TableAppend.createWriter}; `leaders`: the table handle's (by default, a set of its own). */
  constructor(cluster: ClusterClient, info: TableInfo, config: ResolvedConfig, leaders?: TableLeaders) {
    if (info.hasPrimaryKey()) {
      throw FlussError.client(`table ${info.tablePath} has a primary key: append writers are for log tables (use newUpsert().createWriter())`);
    }
    super(cluster, info, config, leaders);
  }

  /**
   * Adds one row: an object keyed by column name (nullable columns may be
   * left out) or an array in column order. Throws a CLIENT_ERROR naming the
   * column, before anything is sent, for a row that does not fit the schema
   * (unknown column, wrong type, null in a NOT NULL column, value out of
   * range); the batch it would have joined stays intact. Also throws when the
   * writer is closed or its buffer is full (see {@link ready}).
   */
  append(row: RowInput): WriteResult {
    this.checkOpen();
    return this.acc.append(row).result;
  }

  /**
   * Writes an Arrow record batch whose schema is the table's
   * (`Schema.toArrow()`: same column names in order, same Arrow types; a
   * mismatch rejects with a CLIENT_ERROR naming the column before anything
   * is written). Waits for buffer room as it goes; resolves, once every row
   * is taken into the buffer, with one result for all of them.
   *
   * Tables without bucket keys and partitions take the Arrow data as it is:
   * one log batch per call, as pyfluss sends it, cut into equal slices only
   * where it exceeds `writer.request-max-size` or the buffer memory (no copy
   * until they are encoded for sending: leave the batch's buffers unchanged
   * until the result's `wait()` resolves). Other tables are routed row by row.
   */
  async writeArrowBatch(batch: RecordBatch): Promise<WriteResult> {
    this.checkOpen();
    checkArrowSchema(batch.schema, this.info.schema);
    return this.#writeBatch(batch);
  }

  /** Writes every record batch of an Arrow table (see {@link writeArrowBatch}); one result for all. */
  async writeArrow(table: ArrowTable): Promise<WriteResult> {
    this.checkOpen();
    checkArrowSchema(table.schema, this.info.schema);
    const results: WriteResult[] = [];
    for (const batch of table.batches) results.push(await this.#writeBatch(batch));
    return WriteResult.all(results);
  }

  async #writeBatch(batch: RecordBatch): Promise<WriteResult> {
    checkNotNulls(batch, this.info.schema);
    if (batch.numRows === 0) return new WriteResult(Promise.resolve());
    if (this.info.hasBucketKey() || this.info.isPartitioned()) return this.#writeRowByRow(batch);
    const perRow = arrowBytesPerRow(batch);
    const rowsPerChunk = rowsPerArrowChunk(batch.numRows, perRow, this.options);
    const results: WriteResult[] = [];
    for (let start = 0; start < batch.numRows; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, batch.numRows - start);
      const turn = this.turns.turn();
      if (turn) await turn;
      await this.memory.ready(rows * perRow);
      this.checkOpen();
      const chunk = start === 0 && rows === batch.numRows ? batch : batch.slice(start, start + rows);
      results.push(this.acc.appendArrow(chunk, rows * perRow).result);
    }
    return WriteResult.all(results);
  }

  /** Routes each row on its own (bucket keys, partitions), through the same path as {@link append}. */
  async #writeRowByRow(batch: RecordBatch): Promise<WriteResult> {
    const reader = new RowReader(batch, this.info.schema);
    const results = new Set<WriteResult>();
    for (let i = 0; i < reader.numRows; i++) {
      const turn = this.turns.turn();
      if (turn) await turn;
      if (!this.memory.hasRoom()) await this.memory.ready();
      this.checkOpen();
      results.add(this.acc.append(reader.row(i)).result);
    }
    return WriteResult.all([...results]);
  }
}
