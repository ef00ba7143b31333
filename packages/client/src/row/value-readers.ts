import type { Data } from "apache-arrow";
import { FlussError } from "../errors/index.js";
import type { DataType } from "../metadata/data-types.js";
import { formatDecimal, readDecimal128 } from "./decimal.js";
import { nanosPerUnit, timestampFromUnit } from "./temporal.js";
import type { FlussTimestamp } from "./timestamp.js";

/** A value as read from a log record (see docs/data-types.md). */
export type RowValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | FlussTimestamp
  | RowValue[]
  | Map<RowValue, RowValue>
  | { [field: string]: RowValue };

/** Reads the value at index `i` (relative to the Data's own offset). */
export type ValueReader = (i: number) => RowValue;

const decoder = new TextDecoder();

/** UTF-8 bytes [start, end) as a string; short ASCII strings skip TextDecoder, whose per-call cost dominates there. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 24) {
    let ascii = true;
    for (let k = start; k < end; k++) {
      if (bytes[k]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * A reader for one column (or nested child) of Arrow `data` holding Fluss
 * `type` values. Built once per batch and column; reading a value allocates
 * only the value itself (strings, bigints, timestamps, nested containers).
 * BYTES/BINARY values are views into the batch's buffers, not copies.
 */
export function makeValueReader(type: DataType, data: Data): ValueReader {
  const base = data.offset;
  const read = absoluteReader(type, data);
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return (i) => read(base + i);
  return (i) => {
    const j = base + i;
    return (bitmap[j >> 3]! & (1 << (j & 7))) !== 0 ? read(j) : null;
  };
}

/** Reader by absolute index into the Data's buffers (nulls already handled). */
function absoluteReader(type: DataType, data: Data): ValueReader {
  const values = data.values as unknown;
  switch (type.typeRoot) {
    case "BOOLEAN": {
      const bits = values as Uint8Array;
      return (j) => (bits[j >> 3]! & (1 << (j & 7))) !== 0;
    }
    case "TINYINT":
    case "SMALLINT":
    case "INTEGER":
    case "FLOAT":
    case "DOUBLE":
    case "DATE": {
      const a = values as Int32Array;
      return (j) => a[j]!;
    }
    case "BIGINT": {
      const a = values as BigInt64Array;
      return (j) => a[j]!;
    }
    case "DECIMAL": {
      const words = values as Uint32Array;
      const scale = type.scale;
      return (j) => formatDecimal(readDecimal128(words, j * 4), scale);
    }
    case "CHAR":
    case "STRING": {
      const bytes = values as Uint8Array;
      const offsets = data.valueOffsets as Int32Array;
      return (j) => decodeUtf8(bytes, offsets[j]!, offsets[j + 1]!);
    }
    case "BYTES": {
      const bytes = values as Uint8Array;
      const offsets = data.valueOffsets as Int32Array;
      return (j) => bytes.subarray(offsets[j]!, offsets[j + 1]!);
    }
    case "BINARY": {
      const bytes = values as Uint8Array;
      const width = type.length;
      return (j) => bytes.subarray(j * width, (j + 1) * width);
    }
    case "TIME_WITHOUT_TIME_ZONE": {
      const unit = nanosPerUnit(type.precision);
      if (unit >= 1_000_000) {
        const a = values as Int32Array;
        return (j) => a[j]! * unit;
      }
      const a = values as BigInt64Array;
      return (j) => Number(a[j]!) * unit;
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      const a = values as BigInt64Array;
      const precision = type.precision;
      return (j) => timestampFromUnit(a[j]!, precision);
    }
    case "ARRAY": {
      const offsets = data.valueOffsets as Int32Array;
      const child = data.children[0];
      if (!child) throw FlussError.client("ARRAY data without child");
      const element = makeValueReader(type.elementType, child);
      return (j) => {
        const end = offsets[j + 1]!;
        const out: RowValue[] = [];
        for (let k = offsets[j]!; k < end; k++) out.push(element(k));
        return out;
      };
    }
    case "MAP": {
      const offsets = data.valueOffsets as Int32Array;
      const entries = data.children[0];
      const keys = entries?.children[0];
      const vals = entries?.children[1];
      if (!keys || !vals) throw FlussError.client("MAP data without key/value children");
      const key = makeValueReader(type.keyType, keys);
      const value = makeValueReader(type.valueType, vals);
      return (j) => {
        const end = offsets[j + 1]!;
        const out = new Map<RowValue, RowValue>();
        for (let k = offsets[j]!; k < end; k++) out.set(key(k), value(k));
        return out;
      };
    }
    case "ROW": {
      const names = type.fields.map((f) => f.name);
      const readers = type.fields.map((f, i) => {
        const child = data.children[i];
        if (!child) throw FlussError.client(`ROW data without child for field '${f.name}'`);
        return makeValueReader(f.type, child);
      });
      // Children are indexed relative to their own offsets, which include the struct's.
      const base = data.offset;
      return (j) => {
        const out: { [field: string]: RowValue } = {};
        for (let f = 0; f < readers.length; f++) out[names[f]!] = readers[f]!(j - base);
        return out;
      };
    }
  }
}
