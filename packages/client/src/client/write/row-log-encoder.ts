import type { RecordBatch } from "apache-arrow";
import type { TableInfo } from "../../metadata/index.js";
import { RowReader } from "../../row/index.js";
import { encodeRowLogRecords, type RowWriter } from "../../wire/records/index.js";
import { CompactedRowEncoder, IndexedRowEncoder } from "../../wire/rows/index.js";
import type { LogRecordFormat } from "./write-options.js";

/** Encodes a batch's rows as the records of a log batch, after `headroom` bytes for its header. */
export type RowLogEncoder = (records: RecordBatch, headroom: number) => Uint8Array;

/**
 * The encoder of a table whose log batches carry rows (`table.log.format`
 * INDEXED or COMPACTED), or undefined for ARROW. Rows are collected (and
 * checked) as Arrow data like any batch's; at encoding each row is read back
 * and written in the table's row format, as the Java client's
 * `IndexedLogWriteBatch` / `CompactedLogWriteBatch` write them.
 */
export function rowLogEncoderOf(info: TableInfo, format: LogRecordFormat): RowLogEncoder | undefined {
  if (format === "ARROW") return undefined;
  const rowType = info.schema.getRowType();
  const encoder = format === "INDEXED" ? new IndexedRowEncoder(rowType) : new CompactedRowEncoder(rowType);
  const writeRow: RowWriter = (out, row) => encoder.writeTo(out, row);
  return (records, headroom) => encodeRowLogRecords(new RowReader(records, info.schema), writeRow, headroom);
}
