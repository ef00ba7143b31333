import { type RecordBatch, Schema as ArrowSchema } from "apache-arrow";
import { recordBatchOf } from "../../wire/records/record-batch-of.js";
import { FlussError } from "../../errors/index.js";
import type { Column, Schema } from "../../metadata/index.js";

/**
 * Which columns a scan reads. The server is asked for them in ascending
 * column order (projection pushdown); batches are then reordered to the
 * order the user asked for, which costs no copy (only the column list is
 * rearranged).
 */
export class Projection {
  /** Column indexes in the user's order. */
  readonly indexes: readonly number[];
  /** The same indexes ascending: what the server returns. */
  readonly ascending: readonly number[];
  /** Arrow schema of the batches as the server sends them. */
  readonly wireSchema: ArrowSchema;
  /** Arrow schema of every column of the table (batches fetched without pushdown). */
  readonly fullSchema: ArrowSchema;
  /** Fluss columns in the user's order. */
  readonly columns: readonly Column[];
  /** Arrow schema in the user's order. */
  readonly outputSchema: ArrowSchema;
  /** True when the projection is the whole table in table order (no pushdown needed). */
  readonly isIdentity: boolean;
  readonly #reorder: readonly number[];

  constructor(schema: Schema, indexes?: readonly number[]) {
    const all = schema.columns.map((_, i) => i);
    const chosen = indexes ?? all;
    if (chosen.length === 0) throw FlussError.client("a projection needs at least one column");
    const seen = new Set<number>();
    for (const index of chosen) {
      if (!Number.isInteger(index) || index < 0 || index >= schema.columns.length) {
        throw FlussError.client(`projection index ${String(index)} is out of range (the table has ${schema.columns.length} columns)`);
      }
      if (seen.has(index)) throw FlussError.client(`projection repeats column ${index}`);
      seen.add(index);
    }
    const fullArrow = schema.toArrow();
    this.fullSchema = fullArrow;
    this.indexes = [...chosen];
    this.ascending = [...chosen].sort((a, b) => a - b);
    this.wireSchema = new ArrowSchema(this.ascending.map((i) => fullArrow.fields[i]!));
    this.columns = this.indexes.map((i) => schema.columns[i]!);
    this.outputSchema = new ArrowSchema(this.indexes.map((i) => fullArrow.fields[i]!));
    this.isIdentity = chosen.length === all.length && chosen.every((c, i) => c === i);
    this.#reorder = this.indexes.map((i) => this.ascending.indexOf(i));
  }

  /** Projection by column names (unknown names are a CLIENT_ERROR naming them). */
  static byName(schema: Schema, names: readonly string[]): Projection {
    const columnNames = schema.getColumnNames();
    return new Projection(
      schema,
      names.map((name) => {
        const index = columnNames.indexOf(name);
        if (index < 0) throw FlussError.client(`projection names unknown column '${name}'`);
        return index;
      }),
    );
  }

  /**
   * A batch of every column of the table → the projected columns in the
   * user's order (no data copied): for batches fetched without pushdown.
   */
  fromFull(batch: RecordBatch): RecordBatch {
    if (this.isIdentity) return batch;
    return recordBatchOf(
      this.outputSchema,
      this.indexes.map((index) => batch.data.children[index]!),
      batch.numRows,
    );
  }

  /** A batch in wire order → the user's order (no data copied). */
  reorder(batch: RecordBatch): RecordBatch {
    if (this.#reorder.every((from, to) => from === to)) return batch;
    return recordBatchOf(
      this.outputSchema,
      this.#reorder.map((from) => batch.data.children[from]!),
      batch.numRows,
    );
  }
}
