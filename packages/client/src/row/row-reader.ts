import type { RecordBatch } from "apache-arrow";
import { FlussError } from "../errors/index.js";
import type { Schema } from "../metadata/schema.js";
import type { RowColumn } from "./row-builder.js";
import { makeValueReader, type RowValue, type ValueReader } from "./value-readers.js";

/** A row read from a log table: column name → value. */
export type Row = { [column: string]: RowValue };

/**
 * Reads the rows of one Arrow RecordBatch as objects keyed by column name.
 * `columns` are the Fluss columns of the batch in order: the table schema,
 * or with projection the projected columns in ascending column order. The
 * per-column readers are built once here; each `row(i)` allocates the row
 * object and its values only.
 */
export class RowReader implements Iterable<Row> {
  readonly numRows: number;
  readonly #names: readonly string[];
  readonly #readers: readonly ValueReader[];

  constructor(batch: RecordBatch, columns: Schema | readonly RowColumn[]) {
    const cols: readonly RowColumn[] = Array.isArray(columns) ? columns : (columns as Schema).columns;
    if (cols.length !== batch.numCols) {
      throw FlussError.client(`record batch has ${batch.numCols} columns but ${cols.length} were described`);
    }
    this.numRows = batch.numRows;
    this.#names = cols.map((c) => c.name);
    this.#readers = cols.map((c, i) => {
      const data = batch.data.children[i];
      if (!data) throw FlussError.client(`record batch has no data for column '${c.name}'`);
      return makeValueReader(c.type, data);
    });
  }

  /** Row `i` as a new object. */
  row(i: number): Row {
    const out: Row = {};
    const names = this.#names;
    const readers = this.#readers;
    for (let c = 0; c < readers.length; c++) out[names[c]!] = readers[c]!(i);
    return out;
  }

  /** The value of column index `column` in row `i`, without building the row. */
  value(i: number, column: number): RowValue {
    const reader = this.#readers[column];
    if (!reader) throw FlussError.client(`no column ${column}`);
    return reader(i);
  }

  *[Symbol.iterator](): Iterator<Row> {
    for (let i = 0; i < this.numRows; i++) yield this.row(i);
  }

  /** All rows as an array. */
  toArray(): Row[] {
    const out = new Array<Row>(this.numRows);
    for (let i = 0; i < this.numRows; i++) out[i] = this.row(i);
    return out;
  }
}

/** The rows of `batch` (see {@link RowReader}). */
export function recordBatchToRows(batch: RecordBatch, columns: Schema | readonly RowColumn[]): Row[] {
  return new RowReader(batch, columns).toArray();
}
