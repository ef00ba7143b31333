import { makeBuilder, type Data, type DataType as ArrowType, type RecordBatch, type Schema as ArrowSchema } from "apache-arrow";
import { FlussError } from "../../errors/index.js";
import type { Column, Schema } from "../../metadata/index.js";
import { recordBatchOf } from "../../wire/records/record-batch-of.js";

/** Marks a reader column the writer's schema does not have. */
const ABSENT = -1;

/**
 * How a batch written with one schema of a table reads as a batch of another
 * (the reader's: the table's schema when its handle was made), as the Java
 * client's `ProjectedRow.from(originSchema, expectedSchema)`. Columns are
 * matched by column id, so a column keeps its data whatever its position; a
 * reader column the writer did not have (added later) reads as nulls, and a
 * writer column the reader does not know (added after the handle was made) is
 * left out. Only the column list is rearranged: no value is copied.
 */
export class SchemaMapping {
  readonly #sourceIndexes: readonly number[];
  readonly #target: ArrowSchema;
  /** All-null columns by reader column and length: batches of one writer tend to share lengths. */
  readonly #nulls = new Map<string, Data>();

  constructor(source: Schema, target: Schema, targetArrow: ArrowSchema) {
    this.#target = targetArrow;
    this.#sourceIndexes = columnSources(source, target);
  }

  /** `batch` (decoded with the writer's schema) as a batch of the reader's schema. */
  apply(batch: RecordBatch): RecordBatch {
    const children = batch.data.children;
    const columns = this.#sourceIndexes.map((from, to) =>
      from === ABSENT ? this.#nullColumn(to, batch.numRows) : children[from]!,
    );
    return recordBatchOf(this.#target, columns, batch.numRows);
  }

  #nullColumn(column: number, length: number): Data {
    const key = `${column}:${length}`;
    let data = this.#nulls.get(key);
    if (!data) {
      data = allNull(this.#target.fields[column]!.type as ArrowType, length);
      if (this.#nulls.size < 64) this.#nulls.set(key, data);
    }
    return data;
  }
}

/**
 * For each column of `target` (the reader's schema), the index of the same
 * column in `source` (the writer's), or -1 where the writer did not have it:
 * matched by column id, as {@link SchemaMapping} reads batches and lookups
 * read stored rows. A column whose type changed fails with a CLIENT_ERROR.
 */
export function columnSources(source: Schema, target: Schema): number[] {
  return target.columns.map((column) => {
    const index = source.columns.findIndex((candidate) => sameColumn(candidate, column));
    if (index === ABSENT) return ABSENT;
    const written = source.columns[index]!;
    // Fluss 0.9.1 never changes a column's type (it refuses modifyColumn); a later server that does
    // must not have its values read as another type.
    if (!written.type.nullable().equals(column.type.nullable())) {
      throw FlussError.client(
        `column '${column.name}' was written as ${written.type.toString()} and is read as ${column.type.toString()}: ` +
          "get the table again (getTable) to read it with its current schema",
      );
    }
    return index;
  });
}

/** By id where both schemas assigned ids (they always do on the server); by name otherwise. */
function sameColumn(a: Column, b: Column): boolean {
  return a.id >= 0 && b.id >= 0 ? a.id === b.id : a.name === b.name;
}

/** A column of `length` nulls, with every buffer its type needs (so that any arrow-js reader gets consistent lengths). */
function allNull(type: ArrowType, length: number): Data {
  const builder = makeBuilder({ type, nullValues: [null] });
  for (let i = 0; i < length; i++) builder.append(null);
  return builder.finish().flush();
}
