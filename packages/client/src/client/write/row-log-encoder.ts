import type { RecordBatch } from "apache-arrow";
import { FlussError } from "../../errors/index.js";
import type { TableInfo } from "../../metadata/index.js";
import { RowReader } from "../../row/index.js";
import { encodeRowLogRecords, type RowWriter } from "../../wire/records/index.js";
import { CompactedRowEncoder, fieldOf, IndexedRowEncoder, utf8Length, type RowInput } from "../../wire/rows/index.js";

/** How a table whose log batches carry rows gets them written. */
export interface RowLogEncoder {
  /** Encodes a batch's rows as the records of a log batch, after `headroom` bytes for its header. */
  encode(records: RecordBatch, headroom: number): Uint8Array;
  /**
   * Throws a CLIENT_ERROR naming the column for a row the format cannot
   * hold although the schema takes it, before the row joins a batch (which
   * would otherwise fail whole when encoded).
   */
  check(row: RowInput): void;
}

/**
 * The encoder of a table whose log batches carry rows (`table.log.format`
 * INDEXED or COMPACTED), or undefined for ARROW. Rows are collected (and
 * checked) as Arrow data like any batch's; at encoding each row is read back
 * and written in the table's row format, as the Java client's
 * `IndexedLogWriteBatch` / `CompactedLogWriteBatch` write them.
 */
export function rowLogEncoderOf(info: TableInfo): RowLogEncoder | undefined {
  const format = info.getLogFormat();
  if (format === "ARROW") return undefined;
  const rowType = info.schema.getRowType();
  const encoder = format === "INDEXED" ? new IndexedRowEncoder(rowType) : new CompactedRowEncoder(rowType);
  const writeRow: RowWriter = (out, row) => encoder.writeTo(out, row);
  return {
    encode: (records, headroom) => encodeRowLogRecords(new RowReader(records, info.schema), writeRow, headroom),
    check: format === "INDEXED" ? indexedCharCheck(info) : () => undefined,
  };
}

/**
 * INDEXED rows keep a CHAR(n) value in n bytes of UTF-8 (Java's
 * `IndexedRowWriter`), where the schema counts n characters: a value of n
 * characters that takes more bytes fits the schema, not the format.
 */
function indexedCharCheck(info: TableInfo): (row: RowInput) => void {
  const chars = info.schema.columns.flatMap((column, index) =>
    column.type.typeRoot === "CHAR" ? [{ index, name: column.name, length: (column.type as { length: number }).length }] : [],
  );
  return (row) => {
    for (const { index, name, length } of chars) {
      const value = fieldOf(row, index, name);
      if (typeof value === "string" && utf8Length(value) > length) {
        throw FlussError.client(
          `column '${name}' is CHAR(${length}) in a table of table.log.format INDEXED, which holds ${length} bytes of UTF-8; this value takes ${utf8Length(value)}`,
        );
      }
    }
  };
}
