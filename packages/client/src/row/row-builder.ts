import { makeData, RecordBatch, Schema as ArrowSchema, Struct } from "apache-arrow";
import { FlussError } from "../errors/index.js";
import { toArrowField } from "../metadata/arrow-types.js";
import type { Schema } from "../metadata/schema.js";
import type { DataType } from "../metadata/data-types.js";
import { describeValue } from "./decimal.js";
import { convertValue, makeValueWriter, type ValueWriter } from "./value-writers.js";

/** A row to write: an object keyed by column name, or an array in column order. */
export type RowInput = Readonly<Record<string, unknown>> | readonly unknown[];

/** A column a {@link RowBatchBuilder} writes. */
export interface RowColumn {
  name: string;
  type: DataType;
}

/**
 * Collects rows for one table schema and turns them into an Arrow
 * RecordBatch with the schema Fluss expects (`Schema.toArrow()`).
 *
 * `append` validates the whole row first: an unknown column, a value of the
 * wrong type, a null in a NOT NULL column, an out-of-range integer or a
 * decimal that does not fit all throw a CLIENT_ERROR naming the column, and
 * then nothing of that row has been added, so the rows already appended
 * stay intact.
 */
export class RowBatchBuilder {
  readonly #columns: readonly { name: string; writer: ValueWriter }[];
  readonly #names: ReadonlySet<string>;
  readonly #arrowSchema: ArrowSchema;
  #staged: unknown[][];
  readonly #scratch: unknown[];

  constructor(schema: Schema | readonly RowColumn[]) {
    const columns: readonly RowColumn[] = Array.isArray(schema) ? schema : (schema as Schema).columns;
    this.#columns = columns.map((c) => ({ name: c.name, writer: makeValueWriter(c.type) }));
    this.#names = new Set(columns.map((c) => c.name));
    this.#arrowSchema = new ArrowSchema(columns.map((c) => toArrowField(c.name, c.type)));
    this.#staged = this.#columns.map(() => []);
    this.#scratch = new Array<unknown>(this.#columns.length);
  }

  /** The Arrow schema of the batches this builder makes. */
  get arrowSchema(): ArrowSchema {
    return this.#arrowSchema;
  }

  /** Rows appended since the last {@link build}. */
  get rowCount(): number {
    return this.#staged[0]?.length ?? this.#rowsWithoutColumns;
  }
  #rowsWithoutColumns = 0;

  /**
   * Validates `row` without keeping it. Throws what {@link append} would.
   * Useful to reject a row before it is queued anywhere.
   */
  validate(row: RowInput): void {
    this.#convert(row);
  }

  /** Validates and adds one row (all or nothing). */
  append(row: RowInput): void {
    const converted = this.#convert(row);
    const staged = this.#staged;
    for (let i = 0; i < converted.length; i++) staged[i]!.push(converted[i]);
    if (converted.length === 0) this.#rowsWithoutColumns++;
  }

  /** The RecordBatch of the rows appended so far; the builder starts over empty. */
  build(): RecordBatch {
    const length = this.rowCount;
    const children = this.#columns.map((c, i) => c.writer.build(this.#staged[i]!));
    this.#staged = this.#columns.map(() => []);
    this.#rowsWithoutColumns = 0;
    const data = makeData({ type: new Struct(this.#arrowSchema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.#arrowSchema, data);
  }

  #convert(row: RowInput): unknown[] {
    const out = this.#scratch;
    const columns = this.#columns;
    if (Array.isArray(row)) {
      if (row.length !== columns.length) {
        throw FlussError.client(`row has ${row.length} values but the table has ${columns.length} columns`);
      }
      for (let i = 0; i < columns.length; i++) out[i] = convertValue(columns[i]!.writer, row[i], columns[i]!.name);
      return out;
    }
    if (typeof row !== "object" || row === null || row instanceof Map || row instanceof Uint8Array) {
      throw FlussError.client(`a row must be an object keyed by column name or an array in column order, got ${describeValue(row)}`);
    }
    const record = row as Readonly<Record<string, unknown>>;
    for (const key in record) {
      if (!this.#names.has(key)) throw FlussError.client(`row has unknown column '${key}'`);
    }
    for (let i = 0; i < columns.length; i++) out[i] = convertValue(columns[i]!.writer, record[columns[i]!.name], columns[i]!.name);
    return out;
  }
}

/**
 * Builds one `apache-arrow` RecordBatch in a table's Arrow layout from rows
 * (objects keyed by column name, or arrays in column order; values as in
 * docs/data-types.md), e.g. to bulk-load with `writer.writeArrowBatch`.
 * Throws a CLIENT_ERROR naming the column for a row that does not fit.
 *
 * @example
 * const batch = rowsToRecordBatch(table.getTableInfo().schema, rows);
 * await writer.writeArrowBatch(batch);
 */
export function rowsToRecordBatch(schema: Schema | readonly RowColumn[], rows: Iterable<RowInput>): RecordBatch {
  const builder = new RowBatchBuilder(schema);
  for (const row of rows) builder.append(row);
  return builder.build();
}
