import { describe, expect, it } from "vitest";
import { FlussError } from "../../../src/errors/index.js";
import {
  formatDecimal,
  formatNanoOfDay,
  FlussTimestamp,
  readDecimal128,
  toUnscaledDecimal,
  writeDecimal128,
} from "../../../src/row/index.js";

describe("DECIMAL values", () => {
  it("parses text, numbers and bigints to the unscaled value at the column scale", () => {
    expect(toUnscaledDecimal("-123.45", 10, 2, "c")).toBe(-12345n);
    expect(toUnscaledDecimal("1e-3", 10, 3, "c")).toBe(1n);
    expect(toUnscaledDecimal("1.5E2", 10, 0, "c")).toBe(150n);
    expect(toUnscaledDecimal(0.1, 10, 2, "c")).toBe(10n);
    expect(toUnscaledDecimal(7n, 10, 2, "c")).toBe(700n);
    expect(toUnscaledDecimal(".5", 3, 1, "c")).toBe(5n);
    expect(toUnscaledDecimal("2.345", 10, 2, "c")).toBe(235n); // half-up
    expect(toUnscaledDecimal("-2.345", 10, 2, "c")).toBe(-235n);
    expect(toUnscaledDecimal("0.004", 10, 2, "c")).toBe(0n);
    expect(toUnscaledDecimal("99999999999999999999999999999999999999", 38, 0, "c")).toBe(10n ** 38n - 1n);
    expect(() => toUnscaledDecimal("100000000000000000000000000000000000000", 38, 0, "c")).toThrow(FlussError);
    expect(() => toUnscaledDecimal("9.995", 3, 2, "c")).toThrow(/does not fit/); // rounds up to 10.00
    for (const bad of ["", "-", ".", "1..2", "1e", "abc", "1,5"]) expect(() => toUnscaledDecimal(bad, 10, 2, "c")).toThrow(FlussError);
  });

  it("formats with exactly `scale` fraction digits", () => {
    expect(formatDecimal(-12345n, 2)).toBe("-123.45");
    expect(formatDecimal(5n, 3)).toBe("0.005");
    expect(formatDecimal(-5n, 3)).toBe("-0.005");
    expect(formatDecimal(0n, 2)).toBe("0.00");
    expect(formatDecimal(42n, 0)).toBe("42");
  });

  it("round-trips 128-bit two's complement words, including the 38-digit extremes", () => {
    const words = new Uint32Array(4);
    for (const v of [0n, 1n, -1n, 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, -(2n ** 53n) - 1n, 10n ** 38n - 1n, -(10n ** 38n) + 1n, 2n ** 127n - 1n, -(2n ** 127n)]) {
      writeDecimal128(words, 0, v);
      expect(readDecimal128(words, 0)).toBe(v);
    }
  });
});

describe("FlussTimestamp", () => {
  it("keeps nanoseconds and converts to and from epoch nanos, Date and ISO text", () => {
    const ts = FlussTimestamp.fromEpochNanos(1_700_000_000_123_456_789n);
    expect(ts).toEqual(new FlussTimestamp(1_700_000_000_123, 456_789));
    expect(ts.toEpochNanos()).toBe(1_700_000_000_123_456_789n);
    expect(ts.toString()).toBe("2023-11-14T22:13:20.123456789Z");
    expect(FlussTimestamp.parse(ts.toString())).toEqual(ts);
    expect(ts.toDate().getTime()).toBe(1_700_000_000_123);
    expect(FlussTimestamp.fromEpochNanos(-1n)).toEqual(new FlussTimestamp(-1, 999_999));
    expect(FlussTimestamp.parse("2024-01-01T00:00:00+01:00").toDate().toISOString()).toBe("2023-12-31T23:00:00.000Z");
    expect(new FlussTimestamp(0, 5000).toString()).toBe("1970-01-01T00:00:00.000005Z");
    expect(JSON.stringify({ ts: new FlussTimestamp(0) })).toBe('{"ts":"1970-01-01T00:00:00.000Z"}');
    expect(() => new FlussTimestamp(0, 1_000_000)).toThrow(FlussError);
    expect(() => new FlussTimestamp(0.5)).toThrow(FlussError);
  });
});

describe("TIME values", () => {
  it("prints nanoseconds of day as HH:MM:SS.fraction", () => {
    expect(formatNanoOfDay(0)).toBe("00:00:00");
    expect(formatNanoOfDay(45_296_789_000_000)).toBe("12:34:56.789");
    expect(formatNanoOfDay(86_399_999_999_999)).toBe("23:59:59.999999999");
  });
});
