import { FlussError } from "../../errors/index.js";
import { type DataType, RowType } from "../../metadata/data-types.js";
import { arrayWriter, mapWriter, type NestedRowWriterFactory } from "./binary-array-writer.js";
import { ByteOutput, int64Parts, type Int64Parts } from "./byte-output.js";
import { isCompactDecimal, twosComplementLength, writeTwosComplement } from "./decimal-bytes.js";
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
 * Fluss's COMPACTED row format (`CompactedRowWriter`, `BinaryWriter.createValueWriter`):
 *
 * `[null bits: ceil(n/8) bytes, bit i = field i, LSB first][non-null fields in order]`
 *
 * | type | bytes |
 * | --- | --- |
 * | BOOLEAN, TINYINT | 1 |
 * | SMALLINT | 2, little-endian |
 * | INT, DATE (days), TIME (millis of day) | varint of the int32 bit pattern (negatives: 5 bytes) |
 * | BIGINT | varint of the int64 bit pattern (negatives: 10 bytes) |
 * | FLOAT, DOUBLE | 4 / 8, little-endian IEEE 754 |
 * | CHAR, STRING | varint length + UTF-8 (CHAR is not padded) |
 * | BINARY, BYTES | varint length + bytes (BINARY is not padded) |
 * | DECIMAL(p ≤ 18) | varint of the unscaled int64 |
 * | DECIMAL(p > 18) | varint length + unscaled value, big-endian two's complement (`BigInteger.toByteArray`) |
 * | TIMESTAMP(_LTZ)(p ≤ 3) | varint int64 epoch millis |
 * | TIMESTAMP(_LTZ)(p > 3) | varint int64 epoch millis, varint int32 nano-of-millisecond |
 * | ARRAY, MAP | varint length + binary array / map (binary-array-writer.ts), nested rows COMPACTED |
 * | ROW | varint length + nested COMPACTED row (with its own null bits) |
 *
 * Varints are unsigned LEB128, no zigzag.
 */

/** Appends one non-null value of a column type. */
export type CompactedValueWriter = (out: ByteOutput, value: unknown) => void;

/** Appends `write(out)`'s bytes preceded by their varint length, without a scratch buffer. */
function withVarLength(out: ByteOutput, value: unknown, write: (out: ByteOutput, value: unknown) => void): void {
  // Reserve the longest varint, write, then slide the bytes back if the length is shorter.
  const at = out.position;
  out.skipZeroed(5);
  write(out, value);
  const len = out.position - at - 5;
  out.position = at;
  out.writeVarInt32(len);
  const gap = at + 5 - out.position;
  if (gap > 0) out.bytes.copyWithin(out.position, at + 5, at + 5 + len);
  out.position += len;
}

/** The nested-ROW encoding of the COMPACTED format, for ARRAY/MAP elements. */
export const compactedNestedRows: NestedRowWriterFactory = (rowType, path) => {
  const encoder = new CompactedRowEncoder(rowType, path);
  return (out, value) => encoder.writeNested(out, value);
};

/**
 * Compiles the COMPACTED writer of one non-null value of `type` (CompactedKeyEncoder uses the
 * same writers, without null bits).
 *
 * @param path the column path named in error messages, e.g. `id` or `address.city`
 */
export function compactedValueWriter(type: DataType, path: string): CompactedValueWriter {
  const parts: Int64Parts = { lo: 0, hi: 0 };
  switch (type.typeRoot) {
    case "BOOLEAN":
      return (out, v) => out.writeByte(toBoolean(v, path) ? 1 : 0);
    case "TINYINT":
      return (out, v) => out.writeByte(toIntIn(v, -128, 127, path) & 0xff);
    case "SMALLINT":
      return (out, v) => out.writeInt16LE(toIntIn(v, -32768, 32767, path));
    case "INTEGER":
      return (out, v) => out.writeVarInt32(toIntIn(v, -0x80000000, 0x7fffffff, path));
    case "DATE":
      return (out, v) => out.writeVarInt32(toEpochDays(v, path));
    case "TIME_WITHOUT_TIME_ZONE":
      return (out, v) => out.writeVarInt32(toMillisOfDay(v, path));
    case "BIGINT":
      return (out, v) => {
        int64Parts(toInt64(v, path), parts);
        out.writeVarInt64Parts(parts.lo, parts.hi);
      };
    case "FLOAT":
      return (out, v) => out.writeFloat32LE(toNumber(v, path));
    case "DOUBLE":
      return (out, v) => out.writeFloat64LE(toNumber(v, path));
    case "CHAR":
    case "STRING":
      return (out, v) => {
        const s = toStringValue(v, path);
        const len = utf8Length(s);
        out.writeVarInt32(len);
        out.writeUtf8(s, len);
      };
    case "BINARY":
    case "BYTES": {
      const width = type.typeRoot === "BINARY" ? type.length : undefined;
      return (out, v) => {
        const b = toBytes(v, path, width);
        out.writeVarInt32(b.length);
        out.writeBytes(b);
      };
    }
    case "DECIMAL": {
      const { precision, scale } = type;
      if (isCompactDecimal(precision)) {
        return (out, v) => {
          int64Parts(toUnscaledDecimal(v, precision, scale, path), parts);
          out.writeVarInt64Parts(parts.lo, parts.hi);
        };
      }
      return (out, v) => {
        const unscaled = toUnscaledDecimal(v, precision, scale, path);
        const len = twosComplementLength(unscaled);
        out.writeVarInt32(len);
        writeTwosComplement(out, unscaled, len);
      };
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      const ts: TimestampParts = { millis: 0, nanos: 0 };
      const compact = type.precision <= 3;
      return (out, v) => {
        toTimestampParts(v, path, ts);
        int64Parts(ts.millis, parts);
        out.writeVarInt64Parts(parts.lo, parts.hi);
        if (!compact) out.writeVarInt32(ts.nanos);
      };
    }
    case "ARRAY": {
      const write = arrayWriter(type.elementType, compactedNestedRows, path);
      return (out, v) => withVarLength(out, v, write);
    }
    case "MAP": {
      const write = mapWriter(type.keyType, type.valueType, compactedNestedRows, path);
      return (out, v) => withVarLength(out, v, write);
    }
    case "ROW": {
      const encoder = new CompactedRowEncoder(type, path);
      return (out, v) => withVarLength(out, v, (o, value) => encoder.writeNested(o, value));
    }
  }
}

/** Column types and names of a row given as a RowType or as bare types. */
export function rowFields(row: RowType | readonly DataType[]): { types: DataType[]; names: string[] } {
  if (row instanceof RowType) return { types: row.getFieldTypes(), names: row.getFieldNames() };
  if (!Array.isArray(row)) throw FlussError.client("A row codec needs a RowType or an array of DataTypes.");
  return { types: [...row], names: row.map((_, i) => `f${i}`) };
}

/**
 * Encodes rows of one schema in the COMPACTED format (Java's `CompactedRowEncoder`).
 * Compiled once per schema; encoding a row allocates nothing beyond what the values need.
 * A row is an array in column order or an object keyed by column name.
 *
 * @example
 * const enc = new CompactedRowEncoder(schema.getRowType());
 * const bytes = enc.encode([1, "a", null]); // a view, valid until the next encode
 */
export class CompactedRowEncoder {
  readonly fieldCount: number;
  readonly #types: DataType[];
  readonly #names: string[];
  readonly #nameSet: ReadonlySet<string>;
  readonly #paths: string[];
  readonly #context: string | undefined;
  readonly #writers: CompactedValueWriter[];
  readonly #nullBytes: number;
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
    this.#writers = types.map((t, i) => compactedValueWriter(t, this.#paths[i]!));
    this.#nullBytes = (types.length + 7) >>> 3;
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
    const start = out.skipZeroed(this.#nullBytes);
    for (let i = 0; i < this.fieldCount; i++) {
      const v = isArray ? (row as readonly unknown[])[i] : (row as Readonly<Record<string, unknown>>)[this.#names[i]!];
      if (v === null || v === undefined) {
        if (!this.#types[i]!.isNullable) {
          throw FlussError.client(`column '${this.#paths[i]!}' is NOT NULL but got ${v === null ? "null" : "no value"}`);
        }
        out.bytes[start + (i >>> 3)] = out.bytes[start + (i >>> 3)]! | (1 << (i & 7));
      } else {
        this.#writers[i]!(out, v);
      }
    }
  }
}
