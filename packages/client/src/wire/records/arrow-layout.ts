import { DataType, DateUnit, Precision } from "apache-arrow";

/**
 * How one Arrow field is laid out in an IPC body, for the types Fluss uses
 * (protocol.md §7): which buffers follow its field node, and for fixed-width
 * values the element type and width. Every field starts with a validity
 * bitmap; then
 *   - "fixed":    values (width bytes per row; Decimal128 = 4 uint32 words)
 *   - "bits":     values as a bitmap (Bool)
 *   - "varbytes": int32 offsets (rows + 1) and the bytes (Utf8, Binary)
 *   - "list":     int32 offsets, then one child field (List, Map)
 *   - "struct":   no buffers of its own, then one child field per member
 */
export type ArrowLayout =
  | { kind: "fixed"; width: number; array: FixedArrayConstructor; stride: number }
  | { kind: "bits" }
  | { kind: "varbytes" }
  | { kind: "list" }
  | { kind: "struct" };

/** Constructors of the typed arrays that hold fixed-width values. */
export type FixedArrayConstructor =
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Uint32ArrayConstructor
  | Uint8ArrayConstructor;

/** The layout of an Arrow type, or undefined for types Fluss never puts on the wire. */
export function layoutOf(type: DataType): ArrowLayout | undefined {
  if (DataType.isBool(type)) return { kind: "bits" };
  if (DataType.isInt(type)) {
    if (!type.isSigned) return undefined;
    switch (type.bitWidth) {
      case 8:
        return fixed(1, Int8Array);
      case 16:
        return fixed(2, Int16Array);
      case 32:
        return fixed(4, Int32Array);
      case 64:
        return fixed(8, BigInt64Array);
      default:
        return undefined;
    }
  }
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.SINGLE) return fixed(4, Float32Array);
    if (type.precision === Precision.DOUBLE) return fixed(8, Float64Array);
    return undefined;
  }
  if (DataType.isUtf8(type) || DataType.isBinary(type)) return { kind: "varbytes" };
  if (DataType.isFixedSizeBinary(type)) return { kind: "fixed", width: type.byteWidth, array: Uint8Array, stride: type.byteWidth };
  if (DataType.isDecimal(type)) return type.bitWidth === 128 ? { kind: "fixed", width: 16, array: Uint32Array, stride: 4 } : undefined;
  if (DataType.isDate(type)) return type.unit === DateUnit.DAY ? fixed(4, Int32Array) : fixed(8, BigInt64Array);
  if (DataType.isTime(type)) return type.bitWidth === 32 ? fixed(4, Int32Array) : fixed(8, BigInt64Array);
  if (DataType.isTimestamp(type)) return fixed(8, BigInt64Array);
  if (DataType.isList(type) || DataType.isMap(type)) return { kind: "list" };
  if (DataType.isStruct(type)) return { kind: "struct" };
  return undefined;
}

function fixed(width: number, array: FixedArrayConstructor): ArrowLayout {
  return { kind: "fixed", width, array, stride: 1 };
}

