/**
 * Parsers for configuration values. The Python client takes every value as a
 * string and the Java client writes durations and sizes with units
 * (`100ms`, `2mb`); both forms are accepted, plus plain JS numbers/booleans.
 * Each parser returns `undefined` for a value it cannot read.
 */
export type RawConfigValue = string | number | boolean;

export function parseString(value: RawConfigValue): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function parseBoolean(value: RawConfigValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const lowered = value.trim().toLowerCase();
  return lowered === "true" ? true : lowered === "false" ? false : undefined;
}

export function parseInteger(value: RawConfigValue): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "string" || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Milliseconds: a bare number means milliseconds, or a Java-style duration such as `30 s`. */
export function parseDurationMs(value: RawConfigValue): number | undefined {
  const bare = parseInteger(value);
  if (bare !== undefined) return bare >= 0 ? bare : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(value);
  const unit = match && DURATION_UNITS_MS[match[2]!.toLowerCase()];
  return match && unit ? Number(match[1]) * unit : undefined;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1, bytes: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

/** Bytes: a bare number, or a Java-style memory size such as `2mb`. */
export function parseByteSize(value: RawConfigValue): number | undefined {
  const bare = parseInteger(value);
  if (bare !== undefined) return bare >= 0 ? bare : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(value);
  const unit = match && SIZE_UNITS[match[2]!.toLowerCase()];
  return match && unit ? Number(match[1]) * unit : undefined;
}
