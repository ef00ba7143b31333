import { FlussError } from "../../errors/index.js";
import { describeValue, formatDecimal, toUnscaledDecimal as rowUnscaledDecimal } from "../../row/decimal.js";
import { toEpochDay, toNanoOfDay, toTimestamp } from "../../row/temporal.js";
import { FlussTimestamp } from "../../row/timestamp.js";

/**
 * The JavaScript values the row codecs accept and produce: the same as the rest of the client
 * (`src/row`, documented in docs/data-types.md), so a value that goes into an Arrow batch also
 * goes into a COMPACTED/INDEXED row or key, and reads back the same way.
 *
 * | Fluss type | written from | read as |
 * | --- | --- | --- |
 * | BOOLEAN | boolean | boolean |
 * | TINYINT, SMALLINT, INT | integer number in range (or bigint) | number |
 * | BIGINT | bigint, or a safe-integer number | bigint |
 * | FLOAT, DOUBLE | number | number |
 * | CHAR(n), STRING | string | string |
 * | BINARY(n) | Uint8Array of exactly n bytes | Uint8Array |
 * | BYTES | Uint8Array | Uint8Array (a copy) |
 * | DECIMAL(p, s) | string (`"-12.30"`, `"1e3"`), number, bigint | string with exactly `s` fraction digits |
 * | DATE | days since 1970-01-01, or a Date (its UTC day) | number of days |
 * | TIME(p) | nanoseconds of the day, or `"HH:MM:SS.fff"` | nanoseconds of the day (Fluss keeps milliseconds) |
 * | TIMESTAMP(p), TIMESTAMP_LTZ(p) | FlussTimestamp, Date, epoch milliseconds, ISO-8601 text, `{epochMillis, nanoOfMillisecond}` | FlussTimestamp |
 * | ARRAY<T> | array (elements may be null) | array |
 * | MAP<K, V> | Map, array of `[key, value]` pairs, or an object | Map |
 * | ROW<…> | array in field order, or an object keyed by field name | object keyed by field name |
 *
 * Every conversion fails with a CLIENT_ERROR FlussError that names the column path.
 */

/** Scratch holder that {@link toTimestampParts} fills (reuse one per writer). */
export interface TimestampParts {
  millis: number | bigint;
  nanos: number;
}

const NANOS_PER_MILLI = 1_000_000;

function mismatch(path: string, expected: string, value: unknown): FlussError {
  return FlussError.client(`column '${path}': expected ${expected}, got ${describeValue(value)}`);
}

/** A boolean. */
export function toBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw mismatch(path, "a boolean", value);
  return value;
}

/** An integer in `[min, max]` (TINYINT, SMALLINT, INT), from a number or a bigint. */
export function toIntIn(value: unknown, min: number, max: number, path: string): number {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "bigint") n = value >= BigInt(min) && value <= BigInt(max) ? Number(value) : NaN;
  else throw mismatch(path, "an integer number", value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw FlussError.client(`column '${path}': ${String(value)} is out of range (${min} to ${max})`);
  }
  return n;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An int64 as bigint or safe-integer number (BIGINT). */
export function toInt64(value: unknown, path: string): bigint | number {
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value > INT64_MAX) throw FlussError.client(`column '${path}': ${value} is out of range for BIGINT`);
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw FlussError.client(`column '${path}' is BIGINT; ${value} is not a safe integer (use a bigint)`);
    return value;
  }
  throw mismatch(path, "a bigint or integer number", value);
}

/** A number (FLOAT, DOUBLE). */
export function toNumber(value: unknown, path: string): number {
  if (typeof value !== "number") throw mismatch(path, "a number", value);
  return value;
}

/** A string (CHAR, STRING). */
export function toStringValue(value: unknown, path: string): string {
  if (typeof value !== "string") throw mismatch(path, "a string", value);
  return value;
}

/** Bytes (BYTES; BINARY(n) when `width` is given, which must then match exactly). */
export function toBytes(value: unknown, path: string, width?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw mismatch(path, "a Uint8Array", value);
  if (width !== undefined && value.length !== width) {
    throw FlussError.client(`column '${path}' is BINARY(${width}); got ${value.length} bytes`);
  }
  return value;
}

/** DATE: days since the epoch. */
export function toEpochDays(value: unknown, path: string): number {
  return toEpochDay(value, path);
}

/** TIME: the milliseconds of the day Fluss stores (sub-millisecond digits are dropped, as Fluss does). */
export function toMillisOfDay(value: unknown, path: string): number {
  return Math.floor(toNanoOfDay(value, path) / NANOS_PER_MILLI);
}

/** How a TIME value reads: nanoseconds of the day. */
export function makeTime(millisOfDay: number): number {
  return millisOfDay * NANOS_PER_MILLI;
}

/** TIMESTAMP / TIMESTAMP_LTZ: fills `out` with epoch millis and nano-of-millisecond. */
export function toTimestampParts(value: unknown, path: string, out: TimestampParts): TimestampParts {
  const ts = toTimestamp(value, path);
  out.millis = ts.epochMillis;
  out.nanos = ts.nanoOfMillisecond;
  return out;
}

/** How a TIMESTAMP / TIMESTAMP_LTZ value reads. */
export function makeTimestamp(epochMillis: bigint | number, nanoOfMillisecond: number): FlussTimestamp {
  const millis = Number(epochMillis);
  if (!Number.isSafeInteger(millis) || nanoOfMillisecond < 0 || nanoOfMillisecond >= NANOS_PER_MILLI) {
    throw FlussError.client(
      `Malformed row: timestamp ${String(epochMillis)} ms + ${nanoOfMillisecond} ns cannot be represented.`,
    );
  }
  return new FlussTimestamp(millis, nanoOfMillisecond);
}

/**
 * DECIMAL(p, s): the unscaled value (value × 10^s) as bigint, rounded half-up to `s` fraction
 * digits as Java's `Decimal.fromBigDecimal`; one that needs more than `p` digits fails.
 */
export function toUnscaledDecimal(value: unknown, precision: number, scale: number, path: string): bigint {
  return rowUnscaledDecimal(value, precision, scale, path);
}

/** How a DECIMAL value reads: plain notation with exactly `scale` fraction digits. */
export function makeDecimal(unscaled: bigint, scale: number): string {
  return formatDecimal(unscaled, scale);
}

/** The entries of a MAP value: a Map, an array of `[key, value]` pairs, or an object. */
export function toMapEntries(value: unknown, path: string): { keys: unknown[]; values: unknown[] } {
  const keys: unknown[] = [];
  const values: unknown[] = [];
  if (value instanceof Map) {
    for (const [k, v] of value) {
      keys.push(k);
      values.push(v);
    }
  } else if (Array.isArray(value)) {
    for (const e of value) {
      if (!Array.isArray(e) || e.length !== 2) {
        throw FlussError.client(`column '${path}': a MAP given as an array needs [key, value] pairs`);
      }
      keys.push(e[0]);
      values.push(e[1]);
    }
  } else if (typeof value === "object" && value !== null && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      keys.push(k);
      values.push(v);
    }
  } else {
    throw mismatch(path, "a Map, an array of [key, value] pairs or an object", value);
  }
  return { keys, values };
}

/** How a MAP value reads. */
export function makeMap(keys: readonly unknown[], values: readonly unknown[]): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>();
  for (let i = 0; i < keys.length; i++) map.set(keys[i], values[i]);
  return map;
}

/** An ARRAY value. */
export function toArrayValue(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw mismatch(path, "an array", value);
  return value;
}

/**
 * Checks a ROW value (nested, or a whole row): an array of `arity` values in field order, or
 * an object whose keys are all field names. Returns whether it is an array.
 */
export function checkRowValue(value: unknown, names: ReadonlySet<string>, path: string | undefined): boolean {
  if (Array.isArray(value)) {
    if (value.length !== names.size) {
      throw FlussError.client(
        path === undefined
          ? `row has ${value.length} values but the table has ${names.size} columns`
          : `column '${path}' is a ROW of ${names.size} fields; got an array of ${value.length}`,
      );
    }
    return true;
  }
  if (typeof value !== "object" || value === null || value instanceof Uint8Array || value instanceof Date || value instanceof Map) {
    throw path === undefined
      ? FlussError.client(`a row must be an object keyed by column name or an array in column order, got ${describeValue(value)}`)
      : mismatch(path, "an object or array", value);
  }
  for (const key in value) {
    if (!names.has(key)) {
      throw FlussError.client(path === undefined ? `row has unknown column '${key}'` : `column '${path}' has no field '${key}'`);
    }
  }
  return false;
}

/** How a nested ROW value reads. */
export function makeRow(names: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return row;
}

/** A row given as an array in column order or an object keyed by column name. */
export type RowInput = Readonly<Record<string, unknown>> | readonly unknown[];

/** Field `i` (named `name`) of a row given as array or object. */
export function fieldOf(row: RowInput, i: number, name: string): unknown {
  return Array.isArray(row) ? row[i] : (row as Readonly<Record<string, unknown>>)[name];
}
