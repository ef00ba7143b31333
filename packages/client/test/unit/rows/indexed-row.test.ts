import { describe, expect, it } from "vitest";
import { FlussError } from "../../../src/errors/index.js";
import { type DataType, DataTypes, RowType } from "../../../src/metadata/data-types.js";
import { FlussTimestamp } from "../../../src/row/timestamp.js";
import { IndexedRowDecoder, IndexedRowEncoder } from "../../../src/wire/rows/index.js";

const f = DataTypes.field;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rowOf = (...types: DataType[]) => new RowType(types.map((t, i) => f(`f${i}`, t)));

describe("INDEXED rows", () => {
  it("lays out null bits, the length list of variable columns, then values", () => {
    const row = rowOf(DataTypes.int(), DataTypes.string(), DataTypes.bytes(), DataTypes.bigint());
    // null bits 00; lengths: "ab" → 2, bytes → 1; int 200 LE; "ab"; 0x07; bigint -1 LE
    expect(hex(new IndexedRowEncoder(row).encode([200, "ab", new Uint8Array([7]), -1n]))).toBe(
      "00" + "02000000" + "01000000" + "c8000000" + "6162" + "07" + "ffffffffffffffff",
    );
    // a null variable column takes no slot: the next one moves up and the last slot stays 0
    expect(hex(new IndexedRowEncoder(row).encode([null, null, new Uint8Array([7]), null]))).toBe(
      "0b" + "01000000" + "00000000" + "07",
    );
  });

  it("pads CHAR(n) and keeps BINARY(n) at n bytes; CHAR reads back without the padding", () => {
    const row = rowOf(DataTypes.char(4), DataTypes.binary(2));
    const bytes = new IndexedRowEncoder(row).encode(["é", new Uint8Array([1, 0])]);
    expect(hex(bytes)).toBe("00" + "c3a90000" + "0100");
    expect(new IndexedRowDecoder(row).decode(bytes)).toEqual(["é", new Uint8Array([1, 0])]);
    expect(() => new IndexedRowEncoder(row).encode(["too long", new Uint8Array(2)])).toThrow(/CHAR\(4\)/);
  });

  it("stores compact decimals and timestamps at fixed width, others in the variable part", () => {
    const row = rowOf(DataTypes.decimal(18, 2), DataTypes.decimal(19, 2), DataTypes.timestamp(3), DataTypes.timestampLtz(9));
    const bytes = new IndexedRowEncoder(row).encode(["-0.01", "-0.01", new FlussTimestamp(1, 5), new FlussTimestamp(1, 5)]);
    expect(hex(bytes)).toBe("00" + "01000000" + "ffffffffffffffff" + "ff" + "0100000000000000" + "0100000000000000" + "05000000");
  });

  const all: [string, DataType, unknown][] = [
    ["boolean", DataTypes.boolean(), true],
    ["tinyint", DataTypes.tinyint(), -128],
    ["smallint", DataTypes.smallint(), 32767],
    ["int", DataTypes.int(), -2147483648],
    ["bigint", DataTypes.bigint(), 2n ** 63n - 1n],
    ["float", DataTypes.float(), Math.fround(0.1)],
    ["double", DataTypes.double(), 5e-324],
    ["decimal(10,2)", DataTypes.decimal(10, 2), "-99999999.99"],
    ["decimal(38,0)", DataTypes.decimal(38, 0), "9".repeat(38)],
    ["string", DataTypes.string(), "中文 😀"],
    ["bytes", DataTypes.bytes(), new Uint8Array([0, 0, 0])],
    ["date", DataTypes.date(), 20235],
    ["time", DataTypes.time(3), 5_402_199_000_000],
    ["timestamp(9)", DataTypes.timestamp(9), new FlussTimestamp(-1748662955428, 99988)],
    ["array<timestamp_ltz(6)>", DataTypes.array(DataTypes.timestampLtz(6)), [new FlussTimestamp(1, 1000), null]],
    ["map<date,tinyint>", DataTypes.map(DataTypes.date(), DataTypes.tinyint()), new Map([[1, -1], [2, 0]])],
    ["row", DataTypes.row([f("a", DataTypes.string()), f("b", DataTypes.array(DataTypes.row([f("c", DataTypes.int())])))]), { a: "x", b: [{ c: 1 }, null] }],
  ];

  it.each(all)("round trip %s (and its null)", (_name, type, value) => {
    const row = rowOf(type, DataTypes.int());
    const enc = new IndexedRowEncoder(row);
    const dec = new IndexedRowDecoder(row);
    expect(dec.decode(enc.encode([value, 7]))).toEqual([value, 7]);
    expect(dec.decode(enc.encode([null, null]))).toEqual([null, null]);
    expect(dec.decodeRecord(enc.encode({ f1: 1 }))).toEqual({ f0: null, f1: 1 });
  });

  it("rejects truncated input", () => {
    const row = rowOf(DataTypes.string(), DataTypes.bigint());
    const good = new IndexedRowEncoder(row).encode(["abc", 1n]);
    for (let cut = 0; cut < good.length; cut++) {
      expect(() => new IndexedRowDecoder(row).decode(good.subarray(0, cut))).toThrow(FlussError);
    }
  });
});
