import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { type DataType, DataTypes, RowType } from "../../../src/metadata/data-types.js";
import { FlussTimestamp } from "../../../src/row/timestamp.js";
import { ByteOutput, CompactedRowDecoder, CompactedRowEncoder } from "../../../src/wire/rows/index.js";

const f = DataTypes.field;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rowOf = (...types: DataType[]) => new RowType(types.map((t, i) => f(`f${i}`, t)));
const encode = (type: DataType, value: unknown) => hex(new CompactedRowEncoder(rowOf(type)).encode([value]));
const roundTrip = (type: DataType, value: unknown) => {
  const row = rowOf(type);
  return new CompactedRowDecoder(row).decode(new CompactedRowEncoder(row).encode([value]))[0];
};

function expectClientError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(FlussError);
  expect((caught as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
  expect((caught as FlussError).message).toMatch(message);
}

describe("COMPACTED field encodings (one null-bit byte, then the value)", () => {
  it("INT/DATE/TIME are unsigned LEB128 of the int32 bits: 200 → c8 01, −1 → 5 bytes", () => {
    expect(encode(DataTypes.int(), 0)).toBe("0000");
    expect(encode(DataTypes.int(), 127)).toBe("007f");
    expect(encode(DataTypes.int(), 200)).toBe("00c801");
    expect(encode(DataTypes.int(), -1)).toBe("00ffffffff0f");
    expect(encode(DataTypes.int(), -2147483648)).toBe("008080808008");
    expect(encode(DataTypes.date(), -1)).toBe("00ffffffff0f");
    // TIME is given in nanoseconds of the day and stored as milliseconds: 1.5 ms → 1.
    expect(encode(DataTypes.time(3), 1_500_000)).toBe("0001");
  });

  it("BIGINT is LEB128 of the int64 bits: negatives take 10 bytes", () => {
    expect(encode(DataTypes.bigint(), 1n)).toBe("0001");
    expect(encode(DataTypes.bigint(), 300)).toBe("00ac02");
    expect(encode(DataTypes.bigint(), -1n)).toBe("00ffffffffffffffffff01");
    expect(encode(DataTypes.bigint(), -(2n ** 63n))).toBe("0080808080808080808001");
    expect(encode(DataTypes.bigint(), 2n ** 63n - 1n)).toBe("00ffffffffffffffff7f");
  });

  it("fixed-width types are little-endian", () => {
    expect(encode(DataTypes.boolean(), true)).toBe("0001");
    expect(encode(DataTypes.tinyint(), -2)).toBe("00fe");
    expect(encode(DataTypes.smallint(), -2)).toBe("00feff");
    expect(encode(DataTypes.float(), 1)).toBe("000000803f");
    expect(encode(DataTypes.double(), -2)).toBe("0000000000000000c0");
  });

  it("strings and bytes are length-prefixed; CHAR and BINARY are not padded", () => {
    expect(encode(DataTypes.string(), "é")).toBe("0002c3a9");
    expect(encode(DataTypes.char(5), "ab")).toBe("00026162");
    expect(encode(DataTypes.bytes(), new Uint8Array([1, 2]))).toBe("00020102");
    expect(encode(DataTypes.binary(2), new Uint8Array([1, 2]))).toBe("00020102");
    // Java encodes an unpaired surrogate as '?', not as U+FFFD.
    expect(encode(DataTypes.string(), "\ud800")).toBe("00013f");
  });

  it("DECIMAL: p ≤ 18 as the varint unscaled long, p > 18 as BigInteger.toByteArray", () => {
    expect(encode(DataTypes.decimal(10, 2), "1.5")).toBe("0096" + "01");
    expect(encode(DataTypes.decimal(20, 0), "0")).toBe("000100");
    expect(encode(DataTypes.decimal(20, 0), "-1")).toBe("0001ff");
    expect(encode(DataTypes.decimal(20, 0), "128")).toBe("00020080");
    expect(encode(DataTypes.decimal(38, 0), "-" + "9".repeat(38))).toBe("0010" + "b4c4b357a5793b85f675ddc000000001");
  });

  it("TIMESTAMP(p ≤ 3) is varint millis; p > 3 adds varint nano-of-millisecond", () => {
    expect(encode(DataTypes.timestamp(3), new FlussTimestamp(1, 999_999))).toBe("0001");
    expect(encode(DataTypes.timestamp(9), new FlussTimestamp(1, 999_999))).toBe("0001bf843d");
    expect(encode(DataTypes.timestampLtz(6), new FlussTimestamp(-1, 1))).toBe("00ffffffffffffffffff0101");
  });

  it("nulls set their bit (LSB first) and write nothing", () => {
    const row = rowOf(...Array.from({ length: 10 }, () => DataTypes.int()));
    const values = [1, null, 3, null, null, 6, 7, 8, null, 10];
    expect(hex(new CompactedRowEncoder(row).encode(values))).toBe("1a01" + "01030607080a");
  });
});

describe("COMPACTED round trips", () => {
  const cases: [string, DataType, unknown][] = [
    ["boolean", DataTypes.boolean(), false],
    ["tinyint", DataTypes.tinyint(), -128],
    ["smallint", DataTypes.smallint(), -32768],
    ["int", DataTypes.int(), -2147483648],
    ["bigint", DataTypes.bigint(), -(2n ** 63n)],
    ["float", DataTypes.float(), Math.fround(-3.4e38)],
    ["double", DataTypes.double(), -Number.MAX_VALUE],
    ["decimal(38,10)", DataTypes.decimal(38, 10), "-9999999999999999999999999999.9999999999"],
    ["decimal(18,18)", DataTypes.decimal(18, 18), "-0.999999999999999999"],
    ["decimal(19,0)", DataTypes.decimal(19, 0), "-9999999999999999999"],
    ["char", DataTypes.char(3), "中"],
    ["string", DataTypes.string(), "emoji 😀 and é"],
    ["binary", DataTypes.binary(3), new Uint8Array([0, 255, 128])],
    ["bytes", DataTypes.bytes(), new Uint8Array(300).fill(7)],
    ["date", DataTypes.date(), -719528],
    ["time", DataTypes.time(3), 86_399_999_000_000],
    ["timestamp(9)", DataTypes.timestamp(9), new FlussTimestamp(-62135596800000, 999_999)],
    ["timestamp_ltz(9)", DataTypes.timestampLtz(9), new FlussTimestamp(253402300799999, 1)],
    ["timestamp(0)", DataTypes.timestamp(0), new FlussTimestamp(-1000, 0)],
    ["array<int>", DataTypes.array(DataTypes.int()), [1, null, -1]],
    ["array<string>", DataTypes.array(DataTypes.string()), ["short", null, "a longer string", ""]],
    ["array<decimal(38,2)>", DataTypes.array(DataTypes.decimal(38, 2)), ["-1.00", null, "123456789012345678901234567890123456.78"]],
    ["array<timestamp(9)>", DataTypes.array(DataTypes.timestamp(9)), [new FlussTimestamp(-5, 7), null]],
    ["array<array<smallint>>", DataTypes.array(DataTypes.array(DataTypes.smallint())), [[1, 2], [], null, [null]]],
    ["map<string,bigint>", DataTypes.map(DataTypes.string(), DataTypes.bigint()), new Map<unknown, unknown>([["a", 1n], ["b", null]])],
    ["map<int,array<double>>", DataTypes.map(DataTypes.int(), DataTypes.array(DataTypes.double())), new Map<unknown, unknown>([[1, [0.5, null]], [2, null]])],
    ["array<row<x bytes, y boolean>>", DataTypes.array(DataTypes.row([f("x", DataTypes.bytes()), f("y", DataTypes.boolean())])), [{ x: new Uint8Array([1]), y: true }, null]],
  ];

  it.each(cases)("%s", (_name, type, value) => {
    expect(roundTrip(type, value)).toEqual(value);
  });

  it("a nested ROW reads back as an object keyed by field name, whether written as array or object", () => {
    const type = DataTypes.row([f("a", DataTypes.int()), f("b", DataTypes.row([f("c", DataTypes.timestamp(9))]))]);
    const ts = new FlussTimestamp(1, 2);
    expect(roundTrip(type, [1, [ts]])).toEqual({ a: 1, b: { c: ts } });
    expect(roundTrip(type, { a: null, b: { c: null } })).toEqual({ a: null, b: { c: null } });
  });

  it("accepts the other input forms of the client's value mapping", () => {
    expect(roundTrip(DataTypes.bigint(), 42)).toBe(42n);
    expect(roundTrip(DataTypes.decimal(10, 2), 1.005)).toBe("1.01");
    expect(roundTrip(DataTypes.decimal(10, 2), 12n)).toBe("12.00");
    expect(roundTrip(DataTypes.date(), new Date(Date.UTC(1970, 0, 3, 12)))).toBe(2);
    expect(roundTrip(DataTypes.time(3), "01:30:02.199")).toBe(5_402_199_000_000);
    expect(roundTrip(DataTypes.timestampLtz(3), new Date(5))).toEqual(new FlussTimestamp(5, 0));
    expect(roundTrip(DataTypes.timestamp(6), "2024-05-01T12:30:00.123456Z")).toEqual(FlussTimestamp.parse("2024-05-01T12:30:00.123456Z"));
    expect(roundTrip(DataTypes.map(DataTypes.string(), DataTypes.int()), { a: 1 })).toEqual(new Map([["a", 1]]));
  });

  it("encodes rows given as objects keyed by column name like arrays, and decodes to either form", () => {
    const row = new RowType([f("id", DataTypes.int()), f("name", DataTypes.string())]);
    const enc = new CompactedRowEncoder(row);
    expect(hex(enc.encode({ id: 5, name: "x" }))).toBe(hex(enc.encode([5, "x"])));
    expect(hex(enc.encode({ id: 5 }))).toBe(hex(enc.encode([5, null])));
    const dec = new CompactedRowDecoder(row);
    expect(dec.decodeRecord(enc.encode({ id: 5 }))).toEqual({ id: 5, name: null });
    expect(dec.decode(enc.encode({ id: 5 }))).toEqual([5, null]);
  });

  it("appends to a caller's buffer and reuses its own (views stay valid until the next encode)", () => {
    const row = rowOf(DataTypes.string());
    const enc = new CompactedRowEncoder(row);
    const out = new ByteOutput(4);
    out.writeByte(0xaa);
    expect(enc.writeTo(out, ["x".repeat(100)])).toBe(1 + 1 + 100);
    expect(out.position).toBe(103);
    expect(new CompactedRowDecoder(row).decode(out.bytes, 1, 102)).toEqual(["x".repeat(100)]);
    const first = enc.encode(["a"]);
    expect(hex(first)).toBe("000161");
  });
});

describe("COMPACTED errors are CLIENT_ERROR FlussErrors", () => {
  const row = new RowType([f("id", DataTypes.int().notNull()), f("tags", DataTypes.array(DataTypes.int().notNull()))]);
  const enc = new CompactedRowEncoder(row);

  it("names the column of a bad value", () => {
    expectClientError(() => enc.encode(["1", null]), /column 'id'/);
    expectClientError(() => enc.encode([2 ** 31, null]), /column 'id'.*out of range/);
    expectClientError(() => enc.encode([null, null]), /column 'id' is NOT NULL/);
    expectClientError(() => enc.encode([1, [1, null]]), /column 'tags\[1\]' is NOT NULL/);
    expectClientError(() => enc.encode([1, "x"]), /column 'tags'.*array/);
    expectClientError(() => enc.encode([1]), /row has 1 values but the table has 2 columns/);
    expectClientError(() => enc.encode({ id: 1, other: 2 }), /unknown column 'other'/);
    expectClientError(() => new CompactedRowEncoder(rowOf(DataTypes.decimal(5, 2))).encode(["1000.00"]), /does not fit DECIMAL\(5, 2\)/);
    expectClientError(() => new CompactedRowEncoder(rowOf(DataTypes.binary(2))).encode([new Uint8Array(3)]), /BINARY\(2\); got 3 bytes/);
  });

  it("rejects truncated and malformed bytes instead of reading garbage", () => {
    const dec = new CompactedRowDecoder(rowOf(DataTypes.string(), DataTypes.bigint()));
    const good = new CompactedRowEncoder(rowOf(DataTypes.string(), DataTypes.bigint())).encode(["abc", -1n]);
    for (let cut = 0; cut < good.length; cut++) expectClientError(() => dec.decode(good.subarray(0, cut)), /Malformed row/);
    expectClientError(() => dec.decode(new Uint8Array([...good, 0])), /left after the last field/);
    expectClientError(() => dec.decode(new Uint8Array([0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), /varint|negative length|Malformed/);
    const arrays = rowOf(DataTypes.array(DataTypes.string()));
    // an array whose element points past its end
    const bad = new Uint8Array([0, 16, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 200, 0, 0, 0]);
    expectClientError(() => new CompactedRowDecoder(arrays).decode(bad), /Malformed binary array/);
  });
});
