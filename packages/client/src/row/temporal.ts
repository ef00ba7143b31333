import { ErrorCode, FlussError } from "../errors/index.js";
import { FlussTimestamp } from "./timestamp.js";
import { describeValue } from "./decimal.js";

/** Nanoseconds in a day: TIME values are nanoseconds of day, below this. */
export const NANOS_PER_DAY = 86_400_000_000_000;
const MILLIS_PER_DAY = 86_400_000;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Nanoseconds per Arrow time unit for a TIME/TIMESTAMP precision (0 → s, 1–3 → ms, 4–6 → µs, 7–9 → ns). */
export function nanosPerUnit(precision: number): number {
  if (precision === 0) return 1_000_000_000;
  if (precision <= 3) return 1_000_000;
  if (precision <= 6) return 1_000;
  return 1;
}

/** DATE input: integer days since 1970-01-01, or a `Date` (its UTC day). */
export function toEpochDay(value: unknown, path: string): number {
  let days: number;
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw FlussError.client(`column '${path}' is DATE; expected integer days since 1970-01-01, got ${value}`);
    days = value;
  } else if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw FlussError.client(`column '${path}': invalid Date`);
    days = Math.floor(ms / MILLIS_PER_DAY);
  } else {
    throw FlussError.client(`column '${path}' is DATE; expected days since epoch (number) or a Date, got ${describeValue(value)}`);
  }
  if (days < INT32_MIN || days > INT32_MAX) throw FlussError.client(`column '${path}': DATE ${days} is out of range`);
  return days;
}

/**
 * TIME input: integer nanoseconds of day, or text `HH:MM[:SS[.fffffffff]]`.
 * Returns nanoseconds of day.
 */
export function toNanoOfDay(value: unknown, path: string): number {
  let nanos: number;
  if (typeof value === "number") {
    nanos = value;
  } else if (typeof value === "string") {
    const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(value);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
      throw FlussError.client(`column '${path}': cannot parse TIME '${value}' (expected HH:MM:SS[.fffffffff])`);
    }
    nanos =
      ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1_000_000_000 + Number((m[4] ?? "").padEnd(9, "0"));
  } else {
    throw FlussError.client(`column '${path}' is TIME; expected nanoseconds of day (number) or 'HH:MM:SS.fff', got ${describeValue(value)}`);
  }
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= NANOS_PER_DAY) {
    throw FlussError.client(`column '${path}': TIME must be whole nanoseconds from 0 to ${NANOS_PER_DAY - 1}, got ${nanos}`);
  }
  return nanos;
}

/** `HH:MM:SS[.fraction]` for nanoseconds of day. */
export function formatNanoOfDay(nanos: number): string {
  const seconds = Math.floor(nanos / 1e9);
  const frac = nanos - seconds * 1e9;
  const hh = String(Math.floor(seconds / 3600)).padStart(2, "0");
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, "0");
  const ss = String(seconds % 60).padStart(2, "0");
  return frac === 0 ? `${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}.${String(frac).padStart(9, "0").replace(/0+$/, "")}`;
}

/** TIMESTAMP / TIMESTAMP_LTZ input: a {@link FlussTimestamp}, a `Date`, integer epoch milliseconds, or ISO-8601 text. */
export function toTimestamp(value: unknown, path: string): FlussTimestamp {
  if (value instanceof FlussTimestamp) return value;
  try {
    if (value instanceof Date) return FlussTimestamp.fromDate(value);
    if (typeof value === "number") return FlussTimestamp.fromEpochMillis(value);
    if (typeof value === "string") return FlussTimestamp.parse(value);
  } catch (e) {
    throw FlussError.client(`column '${path}': ${e instanceof Error ? e.message : String(e)}`, e);
  }
  if (isTimestampLike(value)) {
    try {
      return new FlussTimestamp(value.epochMillis, value.nanoOfMillisecond ?? 0);
    } catch (e) {
      throw FlussError.client(`column '${path}': ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
  throw FlussError.client(`column '${path}' is a timestamp; expected a FlussTimestamp, Date, epoch milliseconds or ISO text, got ${describeValue(value)}`);
}

function isTimestampLike(value: unknown): value is { epochMillis: number; nanoOfMillisecond?: number } {
  return typeof value === "object" && value !== null && typeof (value as { epochMillis?: unknown }).epochMillis === "number";
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The Arrow value of a timestamp in the unit of `precision`, cut to that unit
 * as Fluss's Java Arrow writers do (seconds: `millis / 1000` toward zero;
 * finer units drop the digits below the unit).
 */
export function timestampToUnit(ts: FlussTimestamp, precision: number, path: string): bigint {
  let v: bigint;
  // Seconds truncate toward zero, as Java's ArrowTimestamp*Writer (`millis / 1000`).
  if (precision === 0) v = BigInt(Math.trunc(ts.epochMillis / 1000));
  else if (precision <= 3) v = BigInt(ts.epochMillis);
  else if (precision <= 6) v = BigInt(ts.epochMillis) * 1000n + BigInt(Math.floor(ts.nanoOfMillisecond / 1000));
  else v = BigInt(ts.epochMillis) * 1_000_000n + BigInt(ts.nanoOfMillisecond);
  if (v < INT64_MIN || v > INT64_MAX) throw FlussError.client(`column '${path}': timestamp ${ts.toString()} is out of range for TIMESTAMP(${precision})`);
  return v;
}

const MAX_SAFE_MILLIS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A timestamp from an Arrow value in the unit of `precision`. Values whose
 * milliseconds exceed 2^53 (far outside Fluss's year 0000–9999 range, so
 * only garbage or a foreign writer produces them) cannot be held exactly and
 * are reported as a corrupt record.
 */
export function timestampFromUnit(v: bigint, precision: number): FlussTimestamp {
  const millis = precision === 0 ? v * 1000n : precision <= 3 ? v : precision <= 6 ? v / 1000n : v / 1_000_000n;
  if (millis > MAX_SAFE_MILLIS || millis < -MAX_SAFE_MILLIS) {
    throw new FlussError(`timestamp value ${v} (precision ${precision}) is out of range`, ErrorCode.CORRUPT_RECORD_EXCEPTION, {
      retriable: false,
    });
  }
  if (precision === 0) return new FlussTimestamp(Number(v) * 1000, 0);
  if (precision <= 3) return new FlussTimestamp(Number(v), 0);
  if (precision <= 6) {
    let ms = v / 1000n;
    let us = v % 1000n;
    if (us < 0n) {
      ms -= 1n;
      us += 1000n;
    }
    return new FlussTimestamp(Number(ms), Number(us) * 1000);
  }
  return FlussTimestamp.fromEpochNanos(v);
}
