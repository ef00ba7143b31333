import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { type ByteOutput, int64Parts, type Int64Parts } from "./byte-output.js";
import { isCompactDecimal, twosComplementLength, writeTwosComplement } from "./decimal-bytes.js";
import {
  toArrayValue,
  toBoolean,
  toBytes,
  toEpochDays,
  toInt64,
  toIntIn,
  toMapEntries,
  toMillisOfDay,
  toNumber,
  toStringValue,
  toTimestampParts,
  toUnscaledDecimal,
  type TimestampParts,
} from "./row-values.js";
import { utf8Length } from "./utf8.js";

/**
 * Fluss's binary ARRAY and MAP layouts (`BinaryArray`/`BinaryArrayWriter`, `BinaryMap`), shared
 * by the COMPACTED and INDEXED row formats (only nested ROW elements differ: they are encoded in
 * the enclosing row's format). Everything little-endian, offsets relative to the array start:
 *
 * ```
 * [int32 numElements][null bits: 4 × ceil(n/32) bytes, bit i = element i]
 * [n fixed-size slots][zero padding to 8][variable part: 8-byte-aligned chunks]
 * ```
 *
 * Slot sizes: BOOLEAN/TINYINT 1, SMALLINT 2, INT/DATE/TIME/FLOAT 4, everything else 8.
 * In 8-byte slots of variable-length values: strings/bytes of ≤ 7 bytes are inline (data in
 * bytes 0–6, byte 7 = 0x80 | length); longer ones, nested arrays/maps/rows and DECIMAL(p > 18)
 * (16 reserved bytes) live in the variable part and the slot holds `offset << 32 | length`;
 * TIMESTAMP(p > 3) keeps its millis (8 bytes) in the variable part and the slot holds
 * `offset << 32 | nanoOfMillisecond`. A null element sets its bit and leaves a zero slot.
 *
 * A MAP is `[int32 byte size of the key array][key array][value array]`.
 */

/** Appends one nested ROW value in the enclosing format at `out.position`. */
export type NestedRowWriter = (out: ByteOutput, value: unknown) => void;

/** Makes the writer for nested ROW values of `rowType` (COMPACTED or INDEXED) at column path `path`. */
export type NestedRowWriterFactory = (rowType: RowType, path: string) => NestedRowWriter;

/** Appends one ARRAY (or MAP) value in Fluss's binary layout at `out.position`. */
export type BinaryValueWriter = (out: ByteOutput, value: unknown) => void;

/**
 * Writes `value` into the 1–8 byte slot at absolute offset `slot` of a binary section (array or
 * Paimon BinaryRow) whose bytes start at `base`; variable-length data goes to `out.position`.
 */
export type SlotWriter = (out: ByteOutput, base: number, slot: number, value: unknown) => void;

/** `BinaryArray.calculateHeaderInBytes`. */
export function arrayHeaderBytes(numElements: number): number {
  return 4 + Math.floor((numElements + 31) / 32) * 4;
}

/** `BinaryArray.calculateFixLengthPartSize`: the slot size of an element type. */
export function arraySlotBytes(type: DataType): number {
  switch (type.typeRoot) {
    case "BOOLEAN":
    case "TINYINT":
      return 1;
    case "SMALLINT":
      return 2;
    case "INTEGER":
    case "FLOAT":
    case "DATE":
    case "TIME_WITHOUT_TIME_ZONE":
      return 4;
    default:
      return 8;
  }
}

function roundUp8(n: number): number {
  return (n + 7) & ~7;
}

/** Sets the slot to `offset << 32 | low` (offset relative to the array start). */
function setOffsetAndLow(out: ByteOutput, slot: number, offset: number, low: number): void {
  out.view.setInt32(slot, low, true);
  out.view.setInt32(slot + 4, offset, true);
}

/** Zero-pads the variable-part chunk that began at `start` to 8 bytes and links it from `slot`. */
function closeChunk(out: ByteOutput, base: number, slot: number, start: number, low: number): void {
  const size = out.position - start;
  out.skipZeroed(roundUp8(size) - size);
  setOffsetAndLow(out, slot, start - base, low);
}

function writeStringSlot(out: ByteOutput, base: number, slot: number, s: string): void {
  const len = utf8Length(s);
  if (len <= 7) {
    // Inline: encode into the slot itself (it is zero), then mark byte 7.
    const end = out.position;
    out.position = slot;
    out.writeUtf8(s, len);
    out.position = end;
    out.bytes[slot + 7] = 0x80 | len;
    return;
  }
  const start = out.position;
  out.writeUtf8(s, len);
  closeChunk(out, base, slot, start, len);
}

function writeBytesSlot(out: ByteOutput, base: number, slot: number, b: Uint8Array): void {
  if (b.length <= 7) {
    out.bytes.set(b, slot);
    out.bytes[slot + 7] = 0x80 | b.length;
    return;
  }
  const start = out.position;
  out.writeBytes(b);
  closeChunk(out, base, slot, start, b.length);
}

/**
 * Compiles the slot writer of one type, as `AbstractBinaryWriter` writes fields of arrays and
 * of Paimon's BinaryRow.
 */
export function slotWriter(type: DataType, rows: NestedRowWriterFactory, path: string): SlotWriter {
  const parts: Int64Parts = { lo: 0, hi: 0 };
  switch (type.typeRoot) {
    case "BOOLEAN":
      return (out, _b, slot, v) => {
        out.bytes[slot] = toBoolean(v, path) ? 1 : 0;
      };
    case "TINYINT":
      return (out, _b, slot, v) => out.view.setInt8(slot, toIntIn(v, -128, 127, path));
    case "SMALLINT":
      return (out, _b, slot, v) => out.view.setInt16(slot, toIntIn(v, -32768, 32767, path), true);
    case "INTEGER":
      return (out, _b, slot, v) => out.view.setInt32(slot, toIntIn(v, -0x80000000, 0x7fffffff, path), true);
    case "DATE":
      return (out, _b, slot, v) => out.view.setInt32(slot, toEpochDays(v, path), true);
    case "TIME_WITHOUT_TIME_ZONE":
      return (out, _b, slot, v) => out.view.setInt32(slot, toMillisOfDay(v, path), true);
    case "FLOAT":
      return (out, _b, slot, v) => out.view.setFloat32(slot, toNumber(v, path), true);
    case "DOUBLE":
      return (out, _b, slot, v) => out.view.setFloat64(slot, toNumber(v, path), true);
    case "BIGINT":
      return (out, _b, slot, v) => {
        int64Parts(toInt64(v, path), parts);
        out.view.setUint32(slot, parts.lo, true);
        out.view.setUint32(slot + 4, parts.hi, true);
      };
    case "CHAR":
    case "STRING":
      return (out, base, slot, v) => writeStringSlot(out, base, slot, toStringValue(v, path));
    case "BINARY": {
      const width = type.length;
      return (out, base, slot, v) => writeBytesSlot(out, base, slot, toBytes(v, path, width));
    }
    case "BYTES":
      return (out, base, slot, v) => writeBytesSlot(out, base, slot, toBytes(v, path));
    case "DECIMAL": {
      const { precision, scale } = type;
      if (isCompactDecimal(precision)) {
        return (out, _b, slot, v) => {
          int64Parts(toUnscaledDecimal(v, precision, scale, path), parts);
          out.view.setUint32(slot, parts.lo, true);
          out.view.setUint32(slot + 4, parts.hi, true);
        };
      }
      return (out, base, slot, v) => {
        const unscaled = toUnscaledDecimal(v, precision, scale, path);
        const start = out.skipZeroed(16);
        const end = out.position;
        out.position = start;
        const len = writeTwosComplement(out, unscaled, twosComplementLength(unscaled));
        out.position = end;
        setOffsetAndLow(out, slot, start - base, len);
      };
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      const ts: TimestampParts = { millis: 0, nanos: 0 };
      if (type.precision <= 3) {
        return (out, _b, slot, v) => {
          int64Parts(toTimestampParts(v, path, ts).millis, parts);
          out.view.setUint32(slot, parts.lo, true);
          out.view.setUint32(slot + 4, parts.hi, true);
        };
      }
      return (out, base, slot, v) => {
        toTimestampParts(v, path, ts);
        int64Parts(ts.millis, parts);
        const start = out.position;
        out.writeInt64PartsLE(parts.lo, parts.hi);
        setOffsetAndLow(out, slot, start - base, ts.nanos);
      };
    }
    case "ARRAY":
    case "MAP": {
      const nested = type.typeRoot === "ARRAY" ? arrayWriter(type.elementType, rows, path) : mapWriter(type.keyType, type.valueType, rows, path);
      return (out, base, slot, v) => {
        const start = out.position;
        nested(out, v);
        closeChunk(out, base, slot, start, out.position - start);
      };
    }
    case "ROW": {
      const nested = rows(type, path);
      return (out, base, slot, v) => {
        const start = out.position;
        nested(out, v);
        closeChunk(out, base, slot, start, out.position - start);
      };
    }
  }
}

/**
 * Compiles a writer of ARRAY<elementType> values (`BinaryArrayWriter`).
 *
 * @param rows how nested ROW elements are encoded (the enclosing row format)
 * @param path the column path named in error messages (e.g. `tags`, `attrs.key`)
 */
export function arrayWriter(elementType: DataType, rows: NestedRowWriterFactory, path: string): BinaryValueWriter {
  const elementPath = `${path}[]`;
  const writeSlot = slotWriter(elementType, rows, elementPath);
  const slotBytes = arraySlotBytes(elementType);
  const notNull = !elementType.isNullable;
  return (out, value) => {
    const arr = toArrayValue(value, path);
    const n = arr.length;
    const header = arrayHeaderBytes(n);
    const base = out.skipZeroed(roundUp8(header + slotBytes * n));
    out.view.setInt32(base, n, true);
    for (let i = 0; i < n; i++) {
      const v = arr[i];
      if (v === null || v === undefined) {
        if (notNull) throw FlussError.client(`column '${path}[${i}]' is NOT NULL but got ${v === null ? "null" : "no value"}`);
        const byte = base + 4 + (i >>> 3);
        out.bytes[byte] = out.bytes[byte]! | (1 << (i & 7));
      } else {
        writeSlot(out, base, base + header + i * slotBytes, v);
      }
    }
  };
}

/** Compiles a writer of MAP<keyType, valueType> values (`BinaryMap.valueOf`). Keys must not be null. */
export function mapWriter(
  keyType: DataType,
  valueType: DataType,
  rows: NestedRowWriterFactory,
  path: string,
): BinaryValueWriter {
  // Fluss map keys are NOT NULL whatever the declared nullability says (Java's MapType forces it).
  const keys = arrayWriter(keyType.notNull(), rows, `${path}.key`);
  const values = arrayWriter(valueType, rows, `${path}.value`);
  return (out, value) => {
    const entries = toMapEntries(value, path);
    const sizeAt = out.skipZeroed(4);
    keys(out, entries.keys);
    out.view.setInt32(sizeAt, out.position - sizeAt - 4, true);
    values(out, entries.values);
  };
}
