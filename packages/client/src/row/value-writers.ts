import { makeData, Struct, type Data, type DataType as ArrowDataType } from "apache-arrow";
import { FlussError } from "../errors/index.js";
import { toArrowField, toArrowType } from "../metadata/arrow-types.js";
import type { DataType } from "../metadata/data-types.js";
import { describeValue, toUnscaledDecimal, writeDecimal128 } from "./decimal.js";
import { nanosPerUnit, timestampToUnit, toEpochDay, toNanoOfDay, toTimestamp } from "./temporal.js";

/**
 * Turns JS values of one Fluss type into Arrow data, in two steps so that a
 * bad row can be rejected before anything of it is kept:
 *   - `convert` validates one non-null value and returns its normalized form
 *     (throws a CLIENT_ERROR naming the column path otherwise);
 *   - `build` makes the Arrow `Data` of a column from normalized values
 *     (`null` for nulls), allocating each buffer once at its final size.
 */
export interface ValueWriter {
  readonly type: DataType;
  readonly arrowType: ArrowDataType;
  convert(value: unknown, path: string): unknown;
  build(values: readonly unknown[]): Data;
}

/** Converts a possibly-null value: null/undefined pass as null unless the type is NOT NULL. */
export function convertValue(writer: ValueWriter, value: unknown, path: string): unknown {
  if (value === null || value === undefined) {
    if (!writer.type.isNullable) throw FlussError.client(`column '${path}' is NOT NULL but got ${value === null ? "null" : "no value"}`);
    return null;
  }
  return writer.convert(value, path);
}

/** The writer for a Fluss type (and, recursively, its element/key/value/field types). */
export function makeValueWriter(type: DataType): ValueWriter {
  const arrowType = toArrowType(type);
  const w = (convert: ValueWriter["convert"], build: ValueWriter["build"]): ValueWriter => ({ type, arrowType, convert, build });
  switch (type.typeRoot) {
    case "BOOLEAN":
      return w(
        (v, path) => {
          if (typeof v !== "boolean") throw mismatch(path, type, "a boolean", v);
          return v;
        },
        (values) => {
          const bits = new Uint8Array(Math.ceil(values.length / 8));
          values.forEach((v, i) => {
            if (v === true) bits[i >> 3] = bits[i >> 3]! | (1 << (i & 7));
          });
          return data(arrowType, values, { data: bits });
        },
      );
    case "TINYINT":
      return intWriter(type, arrowType, -128, 127, Int8Array);
    case "SMALLINT":
      return intWriter(type, arrowType, -32768, 32767, Int16Array);
    case "INTEGER":
      return intWriter(type, arrowType, -2147483648, 2147483647, Int32Array);
    case "BIGINT":
      return w(
        (v, path) => {
          if (typeof v === "bigint") {
            if (v < -(2n ** 63n) || v >= 2n ** 63n) throw FlussError.client(`column '${path}': ${v} is out of range for BIGINT`);
            return v;
          }
          if (typeof v === "number") {
            if (!Number.isSafeInteger(v)) throw FlussError.client(`column '${path}' is BIGINT; ${v} is not a safe integer (use a bigint)`);
            return BigInt(v);
          }
          throw mismatch(path, type, "a bigint or integer number", v);
        },
        (values) => data(arrowType, values, { data: fill(new BigInt64Array(values.length), values, 0n) }),
      );
    case "FLOAT":
    case "DOUBLE": {
      const Ctor = type.typeRoot === "FLOAT" ? Float32Array : Float64Array;
      return w(
        (v, path) => {
          if (typeof v !== "number") throw mismatch(path, type, "a number", v);
          return v;
        },
        (values) => data(arrowType, values, { data: fill(new Ctor(values.length), values, 0) }),
      );
    }
    case "DECIMAL": {
      const { precision, scale } = type;
      return w(
        (v, path) => toUnscaledDecimal(v, precision, scale, path),
        (values) => {
          const words = new Uint32Array(values.length * 4);
          values.forEach((v, i) => {
            if (v !== null) writeDecimal128(words, i * 4, v as bigint);
          });
          return data(arrowType, values, { data: words });
        },
      );
    }
    case "CHAR":
    case "STRING":
      return w(
        (v, path) => {
          if (typeof v !== "string") throw mismatch(path, type, "a string", v);
          return v;
        },
        (values) => stringData(arrowType, values as readonly (string | null)[]),
      );
    case "BYTES":
      return w(
        (v, path) => {
          if (!(v instanceof Uint8Array)) throw mismatch(path, type, "a Uint8Array", v);
          return v;
        },
        (values) => binaryData(arrowType, values as readonly (Uint8Array | null)[]),
      );
    case "BINARY": {
      const width = type.length;
      return w(
        (v, path) => {
          if (!(v instanceof Uint8Array)) throw mismatch(path, type, "a Uint8Array", v);
          if (v.length !== width) throw FlussError.client(`column '${path}' is BINARY(${width}); got ${v.length} bytes`);
          return v;
        },
        (values) => {
          const bytes = new Uint8Array(values.length * width);
          values.forEach((v, i) => {
            if (v !== null) bytes.set(v as Uint8Array, i * width);
          });
          return data(arrowType, values, { data: bytes });
        },
      );
    }
    case "DATE":
      return w(
        (v, path) => toEpochDay(v, path),
        (values) => data(arrowType, values, { data: fill(new Int32Array(values.length), values, 0) }),
      );
    case "TIME_WITHOUT_TIME_ZONE": {
      const unit = nanosPerUnit(type.precision);
      if (unit >= 1_000_000) {
        return w(
          (v, path) => Math.floor(toNanoOfDay(v, path) / unit),
          (values) => data(arrowType, values, { data: fill(new Int32Array(values.length), values, 0) }),
        );
      }
      return w(
        (v, path) => BigInt(Math.floor(toNanoOfDay(v, path) / unit)),
        (values) => data(arrowType, values, { data: fill(new BigInt64Array(values.length), values, 0n) }),
      );
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      const precision = type.precision;
      return w(
        (v, path) => timestampToUnit(toTimestamp(v, path), precision, path),
        (values) => data(arrowType, values, { data: fill(new BigInt64Array(values.length), values, 0n) }),
      );
    }
    case "ARRAY": {
      const element = makeValueWriter(type.elementType);
      return w(
        (v, path) => {
          if (!Array.isArray(v)) throw mismatch(path, type, "an array", v);
          return v.map((e, i) => convertValue(element, e, `${path}[${i}]`));
        },
        (values) => {
          const { offsets, flat } = flatten(values as readonly (unknown[] | null)[]);
          return data(arrowType, values, { valueOffsets: offsets, child: element.build(flat) });
        },
      );
    }
    case "MAP": {
      const key = makeValueWriter(type.keyType);
      const value = makeValueWriter(type.valueType);
      const entriesType = new Struct([toArrowField("key", type.keyType), toArrowField("value", type.valueType)]);
      return w(
        (v, path) => {
          const entries = mapEntries(v, path, type);
          const keys: unknown[] = [];
          const vals: unknown[] = [];
          for (const [k, x] of entries) {
            if (k === null || k === undefined) throw FlussError.client(`column '${path}': map keys cannot be null`);
            keys.push(key.convert(k, `${path}.key`));
            vals.push(convertValue(value, x, `${path}[${String(k)}]`));
          }
          return { keys, vals };
        },
        (values) => {
          const maps = values as readonly ({ keys: unknown[]; vals: unknown[] } | null)[];
          const { offsets, flat: keys } = flatten(maps.map((m) => m && m.keys));
          const vals = flatten(maps.map((m) => m && m.vals)).flat;
          const entries = makeData({
            type: entriesType,
            length: keys.length,
            nullCount: 0,
            children: [key.build(keys), value.build(vals)],
          });
          return data(arrowType, values, { valueOffsets: offsets, child: entries });
        },
      );
    }
    case "ROW": {
      const fields = type.fields.map((f) => ({ name: f.name, writer: makeValueWriter(f.type) }));
      const names = new Set(fields.map((f) => f.name));
      return w(
        (v, path) => {
          if (Array.isArray(v)) {
            if (v.length !== fields.length) throw FlussError.client(`column '${path}' is a ROW of ${fields.length} fields; got an array of ${v.length}`);
            return fields.map((f, i) => convertValue(f.writer, v[i], `${path}.${f.name}`));
          }
          if (typeof v !== "object" || v === null || v instanceof Uint8Array || v instanceof Date || v instanceof Map) {
            throw mismatch(path, type, "an object or array", v);
          }
          const record = v as Record<string, unknown>;
          for (const k of Object.keys(record)) {
            if (!names.has(k)) throw FlussError.client(`column '${path}' has no field '${k}'`);
          }
          return fields.map((f) => convertValue(f.writer, record[f.name], `${path}.${f.name}`));
        },
        (values) => {
          const rows = values as readonly (unknown[] | null)[];
          const children = fields.map((f, i) => f.writer.build(rows.map((r) => (r === null ? null : r[i]))));
          return data(arrowType, values, { children });
        },
      );
    }
  }
}

function intWriter(
  type: DataType,
  arrowType: ArrowDataType,
  min: number,
  max: number,
  Ctor: Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor,
): ValueWriter {
  return {
    type,
    arrowType,
    convert(v, path) {
      let n: number;
      if (typeof v === "number") n = v;
      else if (typeof v === "bigint") n = v >= BigInt(min) && v <= BigInt(max) ? Number(v) : NaN;
      else throw mismatch(path, type, "an integer number", v);
      if (!Number.isInteger(n) || n < min || n > max) {
        throw FlussError.client(`column '${path}': ${String(v)} is out of range for ${type.typeRoot} (${min} to ${max})`);
      }
      return n;
    },
    build: (values) => data(arrowType, values, { data: fill(new Ctor(values.length), values, 0) }),
  };
}

function mismatch(path: string, type: DataType, expected: string, got: unknown): FlussError {
  return FlussError.client(`column '${path}' is ${type.toString()}; expected ${expected}, got ${describeValue(got)}`);
}

/** Arrow Data with the validity bitmap of `values` (nulls are `null`). */
function data(type: ArrowDataType, values: readonly unknown[], parts: Record<string, unknown>): Data {
  const nullCount = countNulls(values);
  const nullBitmap = nullCount > 0 ? validityOf(values) : undefined;
  return makeData({ type, length: values.length, nullCount, nullBitmap, ...parts } as never);
}

// The loops over a column's values are functions of their own: inside `data`, V8 compiled the
// counting loop on the stack (OSR) before the code after it had run, and every batch then threw
// the compiled code away there (50 deoptimizations building 1M rows of 10 columns).

function countNulls(values: readonly unknown[]): number {
  let nulls = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === null) nulls++;
  return nulls;
}

function validityOf(values: readonly unknown[]): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) if (values[i] !== null) bitmap[i >> 3]! |= 1 << (i & 7);
  return bitmap;
}

function fill<T extends { [i: number]: number | bigint }>(array: T, values: readonly unknown[], zero: number | bigint): T {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    array[i] = (v === null ? zero : v) as number | bigint;
  }
  return array;
}

const encoder = new TextEncoder();

function stringData(type: ArrowDataType, values: readonly (string | null)[]): Data {
  let bound = 0;
  for (const v of values) if (v !== null) bound += v.length * 3;
  const bytes = new Uint8Array(bound);
  const offsets = new Int32Array(values.length + 1);
  let pos = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v) {
      // ASCII fast path: TextEncoder's per-call cost dominates for short strings.
      let ascii = v.length <= 32;
      for (let k = 0; ascii && k < v.length; k++) {
        const c = v.charCodeAt(k);
        if (c >= 0x80) ascii = false;
        else bytes[pos + k] = c;
      }
      pos += ascii ? v.length : encoder.encodeInto(v, bytes.subarray(pos)).written;
    }
    offsets[i + 1] = pos;
  }
  if (pos > 0x7fffffff) throw FlussError.client("string column exceeds 2 GiB");
  return data(type, values, { valueOffsets: offsets, data: bytes.subarray(0, pos) });
}

function binaryData(type: ArrowDataType, values: readonly (Uint8Array | null)[]): Data {
  let total = 0;
  for (const v of values) if (v !== null) total += v.length;
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(values.length + 1);
  let pos = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v) {
      bytes.set(v, pos);
      pos += v.length;
    }
    offsets[i + 1] = pos;
  }
  return data(type, values, { valueOffsets: offsets, data: bytes });
}

function flatten(lists: readonly (readonly unknown[] | null)[]): { offsets: Int32Array; flat: unknown[] } {
  const offsets = new Int32Array(lists.length + 1);
  const flat: unknown[] = [];
  lists.forEach((l, i) => {
    if (l) for (const e of l) flat.push(e);
    offsets[i + 1] = flat.length;
  });
  return { offsets, flat };
}

function mapEntries(v: unknown, path: string, type: DataType): Iterable<readonly [unknown, unknown]> {
  if (v instanceof Map) return v.entries();
  if (Array.isArray(v)) {
    for (const e of v) {
      if (!Array.isArray(e) || e.length !== 2) throw FlussError.client(`column '${path}': a MAP given as an array needs [key, value] pairs`);
    }
    return v as [unknown, unknown][];
  }
  if (typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    return Object.entries(v as Record<string, unknown>);
  }
  throw mismatch(path, type, "a Map, an array of [key, value] pairs or an object", v);
}

