import { FlussError } from "../errors/index.js";

const NANOS_PER_MILLI = 1_000_000;
const NANOS_PER_MILLI_N = 1_000_000n;

/**
 * A TIMESTAMP(p) or TIMESTAMP_LTZ(p) value with full nanosecond precision,
 * stored as Fluss does (`TimestampNtz` / `TimestampLtz`): milliseconds since
 * 1970-01-01T00:00:00 plus the nanoseconds within that millisecond. For
 * TIMESTAMP_LTZ the epoch is UTC; for TIMESTAMP (no time zone) it is a
 * wall-clock reading that this class treats as if it were UTC.
 *
 * A JS `Date` keeps only milliseconds, which is why reads return this type;
 * `toDate()` converts when millisecond precision is enough.
 */
export class FlussTimestamp {
  /** Milliseconds since the epoch (may be negative). */
  readonly epochMillis: number;
  /** Nanoseconds within the millisecond, 0–999 999. */
  readonly nanoOfMillisecond: number;

  constructor(epochMillis: number, nanoOfMillisecond = 0) {
    if (!Number.isSafeInteger(epochMillis)) throw FlussError.client(`timestamp milliseconds must be a safe integer, got ${epochMillis}`);
    if (!Number.isInteger(nanoOfMillisecond) || nanoOfMillisecond < 0 || nanoOfMillisecond >= NANOS_PER_MILLI) {
      throw FlussError.client(`nanoOfMillisecond must be an integer from 0 to 999999, got ${nanoOfMillisecond}`);
    }
    this.epochMillis = epochMillis;
    this.nanoOfMillisecond = nanoOfMillisecond;
  }

  /** From epoch milliseconds (a `Date`'s precision). */
  static fromEpochMillis(epochMillis: number, nanoOfMillisecond = 0): FlussTimestamp {
    return new FlussTimestamp(epochMillis, nanoOfMillisecond);
  }

  /** From nanoseconds since the epoch. */
  static fromEpochNanos(epochNanos: bigint): FlussTimestamp {
    let millis = epochNanos / NANOS_PER_MILLI_N;
    let nanos = epochNanos % NANOS_PER_MILLI_N;
    if (nanos < 0n) {
      millis -= 1n;
      nanos += NANOS_PER_MILLI_N;
    }
    return new FlussTimestamp(Number(millis), Number(nanos));
  }

  /** From a `Date` (millisecond precision). */
  static fromDate(date: Date): FlussTimestamp {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw FlussError.client("invalid Date");
    return new FlussTimestamp(ms);
  }

  /**
   * Parses an ISO-8601 date-time with up to 9 fraction digits, e.g.
   * `2024-05-01T12:30:00.123456789Z`. An offset (`Z`, `+02:00`) is applied;
   * without one the text is read as UTC.
   */
  static parse(text: string): FlussTimestamp {
    const m = /^(.*?T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
    if (!m) throw FlussError.client(`cannot parse timestamp '${text}'`);
    const base = Date.parse(`${m[1]}${m[3] ?? "Z"}`);
    if (Number.isNaN(base)) throw FlussError.client(`cannot parse timestamp '${text}'`);
    const fraction = (m[2] ?? "").padEnd(9, "0");
    return new FlussTimestamp(base + Number(fraction.slice(0, 3)), Number(fraction.slice(3)));
  }

  /** Nanoseconds since the epoch. */
  toEpochNanos(): bigint {
    return BigInt(this.epochMillis) * NANOS_PER_MILLI_N + BigInt(this.nanoOfMillisecond);
  }

  /** A `Date` (drops the sub-millisecond part). */
  toDate(): Date {
    return new Date(this.epochMillis);
  }

  /** ISO-8601 in UTC with 3, 6 or 9 fraction digits as needed, e.g. `2024-05-01T12:30:00.123456Z`. */
  toString(): string {
    const iso = new Date(this.epochMillis).toISOString(); // ...T12:30:00.123Z
    if (this.nanoOfMillisecond === 0) return iso;
    const digits = String(this.nanoOfMillisecond).padStart(6, "0");
    const sub = digits.endsWith("000") ? digits.slice(0, 3) : digits;
    return `${iso.slice(0, -1)}${sub}Z`;
  }

  toJSON(): string {
    return this.toString();
  }

  equals(other: FlussTimestamp): boolean {
    return this.epochMillis === other.epochMillis && this.nanoOfMillisecond === other.nanoOfMillisecond;
  }
}
