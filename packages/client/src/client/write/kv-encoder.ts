import { primaryKeyEncoderOf } from "../../bucketing/index.js";
import { FlussError } from "../../errors/index.js";
import type { TableInfo } from "../../metadata/index.js";
import { CompactedRowEncoder, fieldOf, IndexedRowEncoder, type ByteOutput, type KeyEncoder, type RowInput } from "../../wire/rows/index.js";

/** `table.kv.format`: how a primary-key table stores its rows. */
export type KvFormat = "COMPACTED" | "INDEXED";

/** The table's `table.kv.format` (COMPACTED unless it says INDEXED, as in Fluss 0.9). */
export function kvFormatOf(info: TableInfo): KvFormat {
  const raw = info.getProperties()["table.kv.format"]?.trim().toUpperCase();
  if (raw === undefined || raw === "" || raw === "COMPACTED") return "COMPACTED";
  if (raw === "INDEXED") return "INDEXED";
  throw FlussError.client(`table ${info.tablePath} has table.kv.format ${raw}, which fluss-edge cannot write (COMPACTED or INDEXED)`);
}

/** How an upsert writer turns rows into KV records (Java's `UpsertWriterImpl` with its `RowEncoder`). */
export interface KvRecordEncoder {
  /** The primary key's bytes (the physical primary key, as the table's key encoder writes it). */
  key(row: RowInput): Uint8Array;
  /** Appends the row in the table's kv format; a CLIENT_ERROR names the column that does not fit. */
  writeRow(out: ByteOutput, row: RowInput): void;
  /** Column indexes of a partial update, undefined for a whole-row upsert. */
  readonly targetColumns: readonly number[] | undefined;
  /** Whether the key's bytes also choose the bucket (the table's bucket key is its default, the primary key). */
  readonly keyIsBucketKey: boolean;
}

/**
 * The encoder of a primary-key table's records. With `targetColumns` (a
 * partial update) the rows may leave the other columns out; those are
 * written as null, and the server keeps their current values.
 */
export function kvRecordEncoderOf(info: TableInfo, targetColumns?: readonly number[]): KvRecordEncoder {
  const rowType = info.getRowType();
  const keyEncoder: KeyEncoder = primaryKeyEncoderOf(info);
  const indexed = kvFormatOf(info) === "INDEXED";
  const rows = indexed ? new IndexedRowEncoder(rowType) : new CompactedRowEncoder(rowType);
  const names = info.getColumnNames();
  const targeted = targetColumns && new Set(targetColumns);
  const check = indexed ? indexedBinaryCheck(info) : undefined;
  const writeRow = (out: ByteOutput, row: RowInput) => {
    const values = targeted ? onlyTargeted(row, names, targeted) : row;
    check?.(values);
    rows.writeTo(out, values);
  };
  return { key: (row) => keyEncoder.encodeKey(row), writeRow, targetColumns, keyIsBucketKey: keyIsBucketKey(info) };
}

/**
 * Whether a primary-key table's key bytes also choose its bucket: with the
 * default bucket key (the primary key without partition columns) the bucket
 * key's encoder is the primary key's (table-keys.ts), so their bytes agree.
 */
export function keyIsBucketKey(info: TableInfo): boolean {
  return info.hasPrimaryKey() && info.isDefaultBucketKey();
}

/**
 * INDEXED rows keep a BINARY(n) value in n bytes, and Fluss 0.9.1 reads it
 * back without its trailing zero bytes (`IndexedRow.getBinary`): the server
 * then fails to put the row into the table's changelog (an
 * IndexOutOfBoundsException for the whole PutKv batch). Such a value is
 * refused here, before it can fail the rows batched with it.
 */
function indexedBinaryCheck(info: TableInfo): ((row: RowInput) => void) | undefined {
  const binaries = info.schema.columns.flatMap((column, index) =>
    column.type.typeRoot === "BINARY" ? [{ index, name: column.name, length: (column.type as { length: number }).length }] : [],
  );
  if (binaries.length === 0) return undefined;
  return (row) => {
    for (const { index, name, length } of binaries) {
      const value = fieldOf(row, index, name);
      if (value instanceof Uint8Array && value.length > 0 && value[value.length - 1] === 0) {
        throw FlussError.client(
          `column '${name}' is BINARY(${length}) in a table of table.kv.format INDEXED, which cannot hold a value ending in a zero byte (Fluss reads it back shortened)`,
        );
      }
    }
  };
}

/**
 * The row with every column outside the partial update left null; a value
 * given for such a column is a mistake (it would silently not be written),
 * so it fails with a CLIENT_ERROR naming the column.
 */
function onlyTargeted(row: RowInput, names: readonly string[], targeted: ReadonlySet<number>): unknown[] {
  const isArray = Array.isArray(row);
  if (isArray && row.length !== names.length) {
    throw FlussError.client(`row has ${row.length} values but the table has ${names.length} columns`);
  }
  const values: unknown[] = new Array<unknown>(names.length).fill(null);
  for (let i = 0; i < names.length; i++) {
    const value = isArray ? (row as readonly unknown[])[i] : (row as Readonly<Record<string, unknown>>)[names[i]!];
    if (value === null || value === undefined) continue;
    if (!targeted.has(i)) {
      throw FlussError.client(`column '${names[i]!}' is not among the partial update's columns; leave it out or null`);
    }
    values[i] = value;
  }
  if (!isArray) {
    for (const key in row) if (!names.includes(key)) throw FlussError.client(`row has unknown column '${key}'`);
  }
  return values;
}

/**
 * A primary key as the key and bucket encoders read it: from an object with
 * (at least) the primary-key columns, an array of the primary-key values in
 * the key's order, or a whole row in column order. `what` names the
 * operation in error messages ("a key to delete", "a lookup key").
 */
export function primaryKeyRow(info: TableInfo, key: RowInput, what: string): RowInput {
  const names = info.getPrimaryKeys();
  const columnCount = info.getColumnCount();
  if (Array.isArray(key)) {
    if (key.length === names.length) return Object.fromEntries(names.map((name, i) => [name, key[i]]));
    if (key.length === columnCount) return key;
    throw FlussError.client(
      `${what} is an array of the ${names.length} primary-key value(s) (${names.join(", ")}) or of all ${columnCount} columns, got ${key.length}`,
    );
  }
  if (key === null || typeof key !== "object") {
    throw FlussError.client(`${what} must be an object keyed by column name or an array, got ${key === null ? "null" : typeof key}`);
  }
  const columns = new Set(info.getColumnNames());
  for (const name in key) if (!columns.has(name)) throw FlussError.client(`row has unknown column '${name}'`);
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = (key as Readonly<Record<string, unknown>>)[name];
  return out;
}
