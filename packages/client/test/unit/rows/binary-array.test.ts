import { describe, expect, it } from "vitest";
import { DataTypes, RowType } from "../../../src/metadata/data-types.js";
import { FlussTimestamp } from "../../../src/row/timestamp.js";
import {
  arrayReader,
  arrayWriter,
  ByteOutput,
  compactedNestedRowReaders,
  compactedNestedRows,
  mapReader,
  mapWriter,
} from "../../../src/wire/rows/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function writeArray(type: Parameters<typeof arrayWriter>[0], value: unknown[]): Uint8Array {
  const out = new ByteOutput(8);
  arrayWriter(type, compactedNestedRows, "a")(out, value);
  return out.copy();
}

describe("Fluss binary ARRAY layout (BinaryArrayWriter)", () => {
  it("int elements: count, null bits, 4-byte slots, padded to 8", () => {
    expect(hex(writeArray(DataTypes.int(), [1, null, 3]))).toBe("03000000" + "02000000" + "01000000" + "00000000" + "03000000" + "00000000");
  });

  it("strings of ≤ 7 bytes live in their slot (byte 7 = 0x80 | length); longer ones in the 8-aligned variable part", () => {
    expect(hex(writeArray(DataTypes.string(), ["abc", "12345678"]))).toBe(
      "02000000" + "00000000" + "6162630000000083" + "0800000018000000" + "3132333435363738",
    );
  });

  it("DECIMAL(p > 18) reserves 16 bytes; TIMESTAMP(p > 3) keeps millis in the variable part and nanos in the slot", () => {
    expect(hex(writeArray(DataTypes.decimal(20, 0), ["-1"]))).toBe(
      "01000000" + "00000000" + "0100000010000000" + "ff000000000000000000000000000000",
    );
    expect(hex(writeArray(DataTypes.timestamp(9), [new FlussTimestamp(2, 5)]))).toBe(
      "01000000" + "00000000" + "0500000010000000" + "0200000000000000",
    );
  });

  it("maps: key array size, key array, value array; round trip through the readers", () => {
    const out = new ByteOutput();
    mapWriter(DataTypes.string(), DataTypes.int(), compactedNestedRows, "m")(out, new Map<unknown, unknown>([["k", 1]]));
    expect(hex(out.copy())).toBe("10000000" + "01000000" + "00000000" + "6b00000000000081" + "01000000" + "00000000" + "0100000000000000");
    const read = mapReader(DataTypes.string(), DataTypes.int(), compactedNestedRowReaders);
    expect(read(out.bytes, 0, out.position)).toEqual(new Map([["k", 1]]));
  });

  it("nested rows are COMPACTED rows in the variable part", () => {
    const rowType = new RowType([DataTypes.field("x", DataTypes.int())]);
    const bytes = writeArray(rowType, [[5]]);
    expect(hex(bytes)).toBe("01000000" + "00000000" + "0200000010000000" + "0005000000000000");
    expect(arrayReader(rowType, compactedNestedRowReaders)(bytes, 0, bytes.length)).toEqual([{ x: 5 }]);
  });

  it("rejects element counts and offsets outside the array", () => {
    const read = arrayReader(DataTypes.int(), compactedNestedRowReaders);
    expect(() => read(new Uint8Array([0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]), 0, 8)).toThrow(/Malformed binary array/);
    expect(() => read(new Uint8Array(3), 0, 3)).toThrow(/Malformed binary array/);
  });
});
