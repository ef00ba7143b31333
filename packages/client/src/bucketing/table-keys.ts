import { FlussError } from "../errors/index.js";
import type { TableInfo } from "../metadata/table-info.js";
import { CompactedKeyEncoder, type KeyEncoder } from "../wire/rows/compacted-key-encoder.js";
import { keyEncoderOf } from "../wire/rows/key-encoders.js";

/** Table property naming the lake format (`paimon`, `iceberg`, `lance`). */
export const DATALAKE_FORMAT_KEY = "table.datalake.format";
/** Table property the coordinator sets on primary-key tables (1 = legacy, 2 = current). */
export const KV_FORMAT_VERSION_KEY = "table.kv.format-version";

/** The table's `table.datalake.format`, or undefined. */
export function dataLakeFormatOf(tableInfo: TableInfo): string | undefined {
  const v = tableInfo.getProperties()[DATALAKE_FORMAT_KEY];
  return v === undefined || v.trim() === "" ? undefined : v;
}

function kvFormatVersionOf(tableInfo: TableInfo): number {
  const raw = tableInfo.getProperties()[KV_FORMAT_VERSION_KEY];
  if (raw === undefined) return 1;
  const v = Number(raw.trim());
  if (v !== 1 && v !== 2) throw FlussError.client(`Unsupported kv format version: ${raw}.`);
  return v;
}

/**
 * The encoder of a primary-key table's keys (PutKv and Lookup keys), as Java's
 * `KeyEncoder.ofPrimaryKeyEncoder`: it encodes the PHYSICAL primary key (without partition
 * columns). Legacy tables (kv format version 1) and tables whose bucket key is the default one
 * use the lake format's encoder; version-2 tables with a custom bucket key use Fluss's
 * compacted encoder so that the bucket key's bytes are a prefix of the key's (prefix lookup).
 */
export function primaryKeyEncoderOf(tableInfo: TableInfo): KeyEncoder {
  if (!tableInfo.hasPrimaryKey()) throw FlussError.client(`Table ${tableInfo.tablePath.toString()} has no primary key.`);
  const rowType = tableInfo.getRowType();
  const keys = tableInfo.getPhysicalPrimaryKeys();
  const lake = dataLakeFormatOf(tableInfo);
  if (kvFormatVersionOf(tableInfo) === 1 || tableInfo.isDefaultBucketKey()) return keyEncoderOf(rowType, keys, lake);
  return new CompactedKeyEncoder(rowType, keys);
}

/**
 * The encoder whose bytes choose the bucket (Java's `KeyEncoder.ofBucketKeyEncoder`, as the
 * append and upsert writers use it): the bucket-key columns with the lake format's encoder.
 * For a primary-key table with the default bucket key this encodes the same bytes as
 * {@link primaryKeyEncoderOf}. Undefined for a log table without bucket keys.
 */
export function bucketKeyEncoderOf(tableInfo: TableInfo): KeyEncoder | undefined {
  const keys = tableInfo.getBucketKeys();
  if (keys.length === 0) return undefined;
  if (tableInfo.hasPrimaryKey() && tableInfo.isDefaultBucketKey()) return primaryKeyEncoderOf(tableInfo);
  return keyEncoderOf(tableInfo.getRowType(), keys, dataLakeFormatOf(tableInfo));
}
