import { DataType as ArrowType, type Data, type Field, type RecordBatch, type Schema as ArrowSchema } from "apache-arrow";
import { FlussError } from "../../errors/index.js";
import { toArrowType, type DataType, type Schema } from "../../metadata/index.js";
import type { WriterOptions } from "./write-options.js";

/**
 * Checks that Arrow data handed to `writeArrow`/`writeArrowBatch` has the
 * table's columns, by name and in order, each with exactly the Arrow layout
 * Fluss stores for its type (`Schema.toArrow()`; a timestamp's time zone is
 * not compared). A mismatch is a CLIENT_ERROR naming the column.
 */
export function checkArrowSchema(actual: ArrowSchema, schema: Schema): void {
  const columns = schema.columns;
  const fields = actual.fields;
  for (let i = 0; i < Math.max(columns.length, fields.length); i++) {
    const column = columns[i];
    const field = fields[i];
    if (!column) throw FlussError.client(`the Arrow data has an extra column '${field!.name}': the table's columns are ${names(schema)}`);
    if (!field) throw FlussError.client(`the Arrow data lacks column '${column.name}': the table's columns are ${names(schema)}`);
    if (field.name !== column.name) {
      throw FlussError.client(`Arrow column ${i} is '${field.name}' but the table's column ${i} is '${column.name}': the table's columns are ${names(schema)}`);
    }
    const expected = toArrowType(column.type);
    const mismatch = layoutMismatch(expected, field.type as ArrowType, column.name);
    if (mismatch) {
      throw FlussError.client(
        `column '${mismatch.path}' is ${column.type.toString()} in the table, which is Arrow ${String(mismatch.expected)}, ` +
          `but the Arrow data has ${String(mismatch.actual)}`,
      );
    }
  }
}

/** Checks that NOT NULL columns (and NOT NULL nested types) of `batch` hold no nulls. */
export function checkNotNulls(batch: RecordBatch, schema: Schema): void {
  schema.columns.forEach((column, i) => {
    const data = batch.data.children[i];
    if (data) checkNulls(column.type, data, column.name);
  });
}

/** Estimated bytes per row of `batch` (its buffers over its rows). */
export function arrowBytesPerRow(batch: RecordBatch): number {
  if (batch.numRows === 0) return 0;
  return Math.max(1, Math.ceil(batch.data.byteLength / batch.numRows));
}

/**
 * Rows per log batch of a `writeArrowBatch` input. The input stays one log
 * batch, as pyfluss's `write_arrow_batch` sends it, unless it is larger than
 * one ProduceLog request may be (`writer.request-max-size`) or than the
 * buffer holds (`writer.buffer.memory-size`); then it is cut into equal
 * pieces under that limit. `writer.batch-size` does not cut it: that size is
 * where the row API seals the batch it fills, and cutting whole batches at
 * it made the log benchmark's long-lived 1M-row append ~14% slower (60
 * batches of 2 MB instead of 20 of 5.5 MB; same CPU, more round trips).
 */
export function rowsPerArrowChunk(numRows: number, bytesPerRow: number, limits: Pick<WriterOptions, "requestMaxSize" | "bufferMemory">): number {
  const limit = Math.min(limits.requestMaxSize, limits.bufferMemory);
  const maxRows = Math.max(1, Math.floor(limit / bytesPerRow));
  const pieces = Math.ceil(numRows / maxRows);
  return Math.ceil(numRows / pieces);
}

function names(schema: Schema): string {
  return `[${schema.columns.map((c) => c.name).join(", ")}]`;
}

interface Mismatch {
  path: string;
  expected: ArrowType;
  actual: ArrowType;
}

function layoutMismatch(expected: ArrowType, actual: ArrowType, path: string): Mismatch | undefined {
  const differ = { path, expected, actual };
  if (expected.typeId !== actual.typeId) return differ;
  if (ArrowType.isInt(expected) && ArrowType.isInt(actual)) {
    return expected.bitWidth === actual.bitWidth && expected.isSigned === actual.isSigned ? undefined : differ;
  }
  if (ArrowType.isFloat(expected) && ArrowType.isFloat(actual)) return expected.precision === actual.precision ? undefined : differ;
  if (ArrowType.isDecimal(expected) && ArrowType.isDecimal(actual)) {
    const same = expected.precision === actual.precision && expected.scale === actual.scale && expected.bitWidth === actual.bitWidth;
    return same ? undefined : differ;
  }
  if (ArrowType.isFixedSizeBinary(expected) && ArrowType.isFixedSizeBinary(actual)) return expected.byteWidth === actual.byteWidth ? undefined : differ;
  if (ArrowType.isDate(expected) && ArrowType.isDate(actual)) return expected.unit === actual.unit ? undefined : differ;
  if (ArrowType.isTime(expected) && ArrowType.isTime(actual)) {
    return expected.unit === actual.unit && expected.bitWidth === actual.bitWidth ? undefined : differ;
  }
  if (ArrowType.isTimestamp(expected) && ArrowType.isTimestamp(actual)) return expected.unit === actual.unit ? undefined : differ;
  if (ArrowType.isList(expected) || ArrowType.isMap(expected) || ArrowType.isStruct(expected)) {
    const want: Field[] = expected.children;
    const got: Field[] = actual.children;
    if (want.length !== got.length) return differ;
    for (let i = 0; i < want.length; i++) {
      const inner = layoutMismatch(want[i]!.type as ArrowType, got[i]!.type as ArrowType, `${path}.${want[i]!.name}`);
      if (inner) return inner;
    }
  }
  return undefined;
}

function checkNulls(type: DataType, data: Data, path: string): void {
  if (!type.isNullable && data.nullCount > 0) {
    throw FlussError.client(`column '${path}' is NOT NULL but the Arrow data has ${data.nullCount} null value(s)`);
  }
  switch (type.typeRoot) {
    case "ARRAY": {
      const child = data.children[0];
      if (child) checkNulls(type.elementType, child, `${path}[]`);
      return;
    }
    case "MAP": {
      const entries = data.children[0];
      const keys = entries?.children[0];
      const values = entries?.children[1];
      if (keys) checkNulls(type.keyType, keys, `${path}.key`);
      if (values) checkNulls(type.valueType, values, `${path}.value`);
      return;
    }
    case "ROW":
      type.fields.forEach((f, i) => {
        const child = data.children[i];
        if (child) checkNulls(f.type, child, `${path}.${f.name}`);
      });
      return;
    default:
      return;
  }
}
