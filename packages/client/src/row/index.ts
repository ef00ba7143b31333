/**
 * The JS value mapping of Fluss types (docs/data-types.md): row builders
 * (JS rows → Arrow RecordBatch, validated per row) and readers (Arrow
 * RecordBatch → row objects).
 */
export { FlussTimestamp } from "./timestamp.js";
export { formatDecimal, readDecimal128, toUnscaledDecimal, writeDecimal128 } from "./decimal.js";
export { formatNanoOfDay, NANOS_PER_DAY, toEpochDay, toNanoOfDay, toTimestamp } from "./temporal.js";
export { RowBatchBuilder, rowsToRecordBatch, type RowColumn, type RowInput } from "./row-builder.js";
export { RowReader, recordBatchToRows, type Row } from "./row-reader.js";
export { makeValueReader, decodeUtf8, type RowValue, type ValueReader } from "./value-readers.js";
export { convertValue, makeValueWriter, type ValueWriter } from "./value-writers.js";
