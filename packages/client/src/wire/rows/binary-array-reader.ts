import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { arrayHeaderBytes, arraySlotBytes } from "./binary-array-writer.js";
import { isCompactDecimal, readTwosComplement } from "./decimal-bytes.js";
import { makeDecimal, makeMap, makeTime, makeTimestamp } from "./row-values.js";
import { readUtf8 } from "./utf8.js";

/**
 * Decoders of Fluss's binary ARRAY and MAP layouts (see binary-array-writer.ts for the layout).
 * Every offset and length read from the bytes is checked against the array's own extent, so
 * corrupt input fails with a CLIENT_ERROR FlussError.
 */

/** Decodes a nested ROW (in the enclosing row format) from `bytes[start, start + size)`. */
export type NestedRowReader = (bytes: Uint8Array, start: number, size: number) => unknown;

/** Makes the reader of nested ROW values of `rowType`. */
export type NestedRowReaderFactory = (rowType: RowType) => NestedRowReader;

/** Decodes one ARRAY (or MAP) value from `bytes[start, start + size)`. */
export type BinaryValueReader = (bytes: Uint8Array, start: number, size: number) => unknown;

/** Reads the element in the slot at absolute offset `slot` of the array at `[base, base + size)`, whose slots end at `fixedEnd`. */
type SlotReader = (view: DataView, bytes: Uint8Array, base: number, size: number, fixedEnd: number, slot: number) => unknown;

function corrupt(why: string): FlussError {
  return FlussError.client(`Malformed binary array: ${why}.`);
}

/** The (offset, length) of a variable-part chunk, checked to lie within the array. */
function chunk(view: DataView, base: number, size: number, slot: number, fixedEnd: number): [number, number] {
  const len = view.getInt32(slot, true);
  const off = view.getInt32(slot + 4, true);
  if (off < fixedEnd - base || len < 0 || off > size - len) {
    throw corrupt(`element points at [${off}, ${off + len}) outside its ${size}-byte array`);
  }
  return [base + off, len];
}

function slotReader(type: DataType, rows: NestedRowReaderFactory): SlotReader {
  switch (type.typeRoot) {
    case "BOOLEAN":
      return (_v, bytes, _b, _s, _f, slot) => bytes[slot] !== 0;
    case "TINYINT":
      return (view, _y, _b, _s, _f, slot) => view.getInt8(slot);
    case "SMALLINT":
      return (view, _y, _b, _s, _f, slot) => view.getInt16(slot, true);
    case "INTEGER":
    case "DATE":
      return (view, _y, _b, _s, _f, slot) => view.getInt32(slot, true);
    case "TIME_WITHOUT_TIME_ZONE":
      return (view, _y, _b, _s, _f, slot) => makeTime(view.getInt32(slot, true));
    case "FLOAT":
      return (view, _y, _b, _s, _f, slot) => view.getFloat32(slot, true);
    case "DOUBLE":
      return (view, _y, _b, _s, _f, slot) => view.getFloat64(slot, true);
    case "BIGINT":
      return (view, _y, _b, _s, _f, slot) => view.getBigInt64(slot, true);
    case "CHAR":
    case "STRING":
    case "BINARY":
    case "BYTES": {
      const asString = type.typeRoot === "CHAR" || type.typeRoot === "STRING";
      return (view, bytes, base, size, fixedEnd, slot) => {
        const mark = bytes[slot + 7]!;
        let start: number;
        let len: number;
        if ((mark & 0x80) !== 0) {
          start = slot;
          len = mark & 0x7f;
          if (len > 7) throw corrupt(`inline length ${len} > 7`);
        } else {
          [start, len] = chunk(view, base, size, slot, fixedEnd);
        }
        return asString ? readUtf8(bytes, start, start + len) : bytes.slice(start, start + len);
      };
    }
    case "DECIMAL": {
      const { precision, scale } = type;
      if (isCompactDecimal(precision)) {
        return (view, _y, _b, _s, _f, slot) => makeDecimal(view.getBigInt64(slot, true), scale);
      }
      return (view, bytes, base, size, fixedEnd, slot) => {
        const [start, len] = chunk(view, base, size, slot, fixedEnd);
        return makeDecimal(readTwosComplement(bytes, start, start + len), scale);
      };
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      if (type.precision <= 3) return (view, _y, _b, _s, _f, slot) => makeTimestamp(view.getBigInt64(slot, true), 0);
      return (view, _y, base, size, fixedEnd, slot) => {
        const nanos = view.getInt32(slot, true);
        const off = view.getInt32(slot + 4, true);
        if (off < fixedEnd - base || off > size - 8) throw corrupt(`timestamp millis at ${off} outside the array`);
        return makeTimestamp(view.getBigInt64(base + off, true), nanos);
      };
    }
    case "ARRAY":
    case "MAP":
    case "ROW": {
      const nested =
        type.typeRoot === "ARRAY"
          ? arrayReader(type.elementType, rows)
          : type.typeRoot === "MAP"
            ? mapReader(type.keyType, type.valueType, rows)
            : rows(type);
      return (view, bytes, base, size, fixedEnd, slot) => {
        const [start, len] = chunk(view, base, size, slot, fixedEnd);
        return nested(bytes, start, len);
      };
    }
  }
}

/** Compiles a decoder of ARRAY<elementType> values into JS arrays (null for null elements). */
export function arrayReader(elementType: DataType, rows: NestedRowReaderFactory): BinaryValueReader {
  const slotBytes = arraySlotBytes(elementType);
  const readSlot = slotReader(elementType, rows);
  return (bytes, start, size) => {
    if (size < 4) throw corrupt(`${size} bytes cannot hold the element count`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = view.getInt32(start, true);
    const header = arrayHeaderBytes(n);
    if (n < 0 || header + n * slotBytes > size) throw corrupt(`${n} element(s) do not fit in ${size} bytes`);
    const out = new Array<unknown>(n);
    const fixedEnd = start + header + n * slotBytes;
    for (let i = 0; i < n; i++) {
      const isNull = (bytes[start + 4 + (i >>> 3)]! & (1 << (i & 7))) !== 0;
      out[i] = isNull ? null : readSlot(view, bytes, start, size, fixedEnd, start + header + i * slotBytes);
    }
    return out;
  };
}

/** Compiles a decoder of MAP<keyType, valueType> values into JS Maps. */
export function mapReader(keyType: DataType, valueType: DataType, rows: NestedRowReaderFactory): BinaryValueReader {
  const keys = arrayReader(keyType, rows);
  const values = arrayReader(valueType, rows);
  return (bytes, start, size) => {
    if (size < 4) throw FlussError.client(`Malformed binary map: ${size} bytes cannot hold the key array size.`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const keyBytes = view.getInt32(start, true);
    if (keyBytes < 0 || keyBytes > size - 4) {
      throw FlussError.client(`Malformed binary map: key array of ${keyBytes} bytes in a ${size}-byte map.`);
    }
    const k = keys(bytes, start + 4, keyBytes) as unknown[];
    const v = values(bytes, start + 4 + keyBytes, size - 4 - keyBytes) as unknown[];
    if (k.length !== v.length) {
      throw FlussError.client(`Malformed binary map: ${k.length} key(s) but ${v.length} value(s).`);
    }
    return makeMap(k, v);
  };
}
