import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { arrayWriter, mapWriter, type NestedRowWriterFactory } from "./binary-array-writer.js";
import { ByteOutput, int64Parts, type Int64Parts } from "./byte-output.js";
import { rowFields } from "./compacted-row-writer.js";
import { isCompactDecimal, writeTwosComplement } from "./decimal-bytes.js";
import {
  checkRowValue,
  type RowInput,
  toBoolean,
  toBytes,
  toEpochDays,
  toInt64,
  toIntIn,
  toMillisOfDay,
  toNumber,
  toStringValue,
  toTimestampParts,
  toUnscaledDecimal,
  type TimestampParts,
} from "./row-values.js";
import { utf8Length } from "./utf8.js";

/**
 * Fluss's INDEXED row format (`IndexedRowWriter`, `IndexedRow`):
 *
 * `[null bits: ceil(n/8)][int32 LE length per variable-length column of the schema][values]`
 *
 * - Fixed-length values (little-endian): BOOLEAN/TINYINT 1, SMALLINT 2, INT/DATE/TIME 4,
 *   BIGINT 8, FLOAT 4, DOUBLE 8, DECIMAL(p ≤ 18) 8 (unscaled), TIMESTAMP(_LTZ) 8 (millis) or,
 *   for p > 3, 12 (millis + int32 nano-of-millisecond), CHAR(n) n bytes of UTF-8 and
 *   BINARY(n) n bytes, both zero-padded.
 * - Variable-length values: STRING, BYTES, DECIMAL(p > 18) (two's complement bytes), ARRAY and
 *   MAP (binary layout, nested rows INDEXED), ROW (a nested INDEXED row). Their byte lengths
 *   fill the length list in the order of the NON-NULL variable-length columns; unused entries
 *   at the end stay 0.
 * - Null fields set their bit and write nothing.
 */

/** Whether a column type has a fixed width in the INDEXED format (`IndexedRow.isFixedLength`). */
export function isIndexedFixedLength(type: DataType): boolean {
  switch (type.typeRoot) {
    case "STRING":
    case "BYTES":
    case "ARRAY":
    case "MAP":
    case "ROW":
      return false;
    case "DECIMAL":
      return isCompactDecimal(type.precision);
    default:
      return true;
  }
}

/** The nested-ROW encoding of the INDEXED format, for ARRAY/MAP elements. */
export const indexedNestedRows: NestedRowWriterFactory = (rowType, path) => {
  const encoder = new IndexedRowEncoder(rowType, path);
  return (out, value) => encoder.writeNested(out, value);
};

type IndexedValueWriter = (out: ByteOutput, value: unknown) => void;

/** Writes `s` as exactly `length` zero-padded bytes (CHAR(n)); longer values fail. */
function writePadded(out: ByteOutput, length: number, byteLength: number, path: string, write: () => void): void {
  if (byteLength > length) {
    throw FlussError.client(`column '${path}' is CHAR(${length}); its value takes ${byteLength} UTF-8 bytes`);
  }
  const start = out.skipZeroed(length);
  const end = out.position;
  out.position = start;
  write();
  out.position = end;
}

function indexedValueWriter(type: DataType, path: string): IndexedValueWriter {
  const parts: Int64Parts = { lo: 0, hi: 0 };
  switch (type.typeRoot) {
    case "BOOLEAN":
      return (out, v) => out.writeByte(toBoolean(v, path) ? 1 : 0);
    case "TINYINT":
      return (out, v) => out.writeByte(toIntIn(v, -128, 127, path) & 0xff);
    case "SMALLINT":
      return (out, v) => out.writeInt16LE(toIntIn(v, -32768, 32767, path));
    case "INTEGER":
      return (out, v) => out.writeInt32LE(toIntIn(v, -0x80000000, 0x7fffffff, path));
    case "DATE":
      return (out, v) => out.writeInt32LE(toEpochDays(v, path));
    case "TIME_WITHOUT_TIME_ZONE":
      return (out, v) => out.writeInt32LE(toMillisOfDay(v, path));
    case "BIGINT":
      return (out, v) => {
        int64Parts(toInt64(v, path), parts);
        out.writeInt64PartsLE(parts.lo, parts.hi);
      };
    case "FLOAT":
      return (out, v) => out.writeFloat32LE(toNumber(v, path));
    case "DOUBLE":
      return (out, v) => out.writeFloat64LE(toNumber(v, path));
    case "CHAR": {
      const length = type.length;
      return (out, v) => {
        const s = toStringValue(v, path);
        const n = utf8Length(s);
        writePadded(out, length, n, path, () => out.writeUtf8(s, n));
      };
    }
    case "BINARY": {
      const length = type.length;
      return (out, v) => out.writeBytes(toBytes(v, path, length));
    }
    case "STRING":
      return (out, v) => void out.writeUtf8(toStringValue(v, path));
    case "BYTES":
      return (out, v) => out.writeBytes(toBytes(v, path));
    case "DECIMAL": {
      const { precision, scale } = type;
      if (isCompactDecimal(precision)) {
        return (out, v) => {
          int64Parts(toUnscaledDecimal(v, precision, scale, path), parts);
          out.writeInt64PartsLE(parts.lo, parts.hi);
        };
      }
      return (out, v) => void writeTwosComplement(out, toUnscaledDecimal(v, precision, scale, path));
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      const ts: TimestampParts = { millis: 0, nanos: 0 };
      const compact = type.precision <= 3;
      return (out, v) => {
        toTimestampParts(v, path, ts);
        int64Parts(ts.millis, parts);
        out.writeInt64PartsLE(parts.lo, parts.hi);
        if (!compact) out.writeInt32LE(ts.nanos);
      };
    }
    case "ARRAY":
      return arrayWriter(type.elementType, indexedNestedRows, path);
    case "MAP":
      return mapWriter(type.keyType, type.valueType, indexedNestedRows, path);
    case "ROW": {
      const encoder = new IndexedRowEncoder(type, path);
      return (out, v) => encoder.writeNested(out, v);
    }
  }
}

/**
 * Encodes rows of one schema in the INDEXED format (Java's `IndexedRowEncoder`), for
 * `table.log.format = indexed` and `table.kv.format = indexed`. A row is an array in column
 * order or an object keyed by column name.
 */
export class IndexedRowEncoder {
  readonly fieldCount: number;
  readonly #types: DataType[];
  readonly #names: string[];
  readonly #nameSet: ReadonlySet<string>;
  readonly #paths: string[];
  readonly #context: string | undefined;
  readonly #writers: IndexedValueWriter[];
  readonly #variable: boolean[];
  readonly #nullBytes: number;
  readonly #headerBytes: number;
  readonly #out = new ByteOutput(128);

  /**
   * @param row the row's type (or its field types)
   * @param context the column path of a nested row (its fields are named `context.field`)
   */
  constructor(row: RowType | readonly DataType[], context?: string) {
    const { types, names } = rowFields(row);
    this.fieldCount = types.length;
    this.#types = types;
    this.#names = names;
    this.#nameSet = new Set(names);
    this.#context = context;
    this.#paths = names.map((n) => (context === undefined ? n : `${context}.${n}`));
    this.#writers = types.map((t, i) => indexedValueWriter(t, this.#paths[i]!));
    this.#variable = types.map((t) => !isIndexedFixedLength(t));
    this.#nullBytes = (types.length + 7) >>> 3;
    this.#headerBytes = this.#nullBytes + 4 * this.#variable.filter(Boolean).length;
  }

  /** Appends the row to `out` at its position; returns the number of bytes written. */
  writeTo(out: ByteOutput, row: RowInput): number {
    const start = out.position;
    this.writeNested(out, row);
    return out.position - start;
  }

  /** Encodes one row into the encoder's own buffer; the view is valid until the next call. */
  encode(row: RowInput): Uint8Array {
    const out = this.#out;
    out.reset();
    this.writeNested(out, row);
    return out.bytes.subarray(0, out.position);
  }

  /** Appends a row value: an array in field order or an object keyed by field name. */
  writeNested(out: ByteOutput, row: unknown): void {
    const isArray = checkRowValue(row, this.#nameSet, this.#context);
    const start = out.skipZeroed(this.#headerBytes);
    let lengthSlot = start + this.#nullBytes;
    for (let i = 0; i < this.fieldCount; i++) {
      const v = isArray ? (row as readonly unknown[])[i] : (row as Readonly<Record<string, unknown>>)[this.#names[i]!];
      if (v === null || v === undefined) {
        if (!this.#types[i]!.isNullable) {
          throw FlussError.client(`column '${this.#paths[i]!}' is NOT NULL but got ${v === null ? "null" : "no value"}`);
        }
        out.bytes[start + (i >>> 3)] = out.bytes[start + (i >>> 3)]! | (1 << (i & 7));
        continue;
      }
      const before = out.position;
      this.#writers[i]!(out, v);
      if (this.#variable[i]) {
        out.view.setInt32(lengthSlot, out.position - before, true);
        lengthSlot += 4;
      }
    }
  }
}
