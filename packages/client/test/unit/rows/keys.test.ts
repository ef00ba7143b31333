import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { DataTypes, RowType } from "../../../src/metadata/data-types.js";
import { FlussTimestamp } from "../../../src/row/timestamp.js";
import {
  ByteOutput,
  CompactedKeyDecoder,
  CompactedKeyEncoder,
  IcebergKeyEncoder,
  keyEncoderOf,
  PaimonKeyEncoder,
} from "../../../src/wire/rows/index.js";

const f = DataTypes.field;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const row = new RowType([
  f("id", DataTypes.int()),
  f("name", DataTypes.string()),
  f("day", DataTypes.date()),
  f("amount", DataTypes.decimal(20, 2)),
  f("at", DataTypes.timestamp(9)),
]);

describe("CompactedKeyEncoder (PutKv / Lookup / bucket keys)", () => {
  it("writes the key columns' COMPACTED values in key order, without null bits", () => {
    const enc = new CompactedKeyEncoder(row, ["name", "id"]);
    expect(hex(enc.encodeKey([200, "é", 1, "0", new FlussTimestamp(0, 0)]))).toBe("02c3a9" + "c801");
    expect(hex(new CompactedKeyEncoder(row, ["id"]).encodeKey({ id: 200 }))).toBe("c801");
  });

  it("refuses a null key column, naming it", () => {
    const enc = new CompactedKeyEncoder(row, ["id", "name"]);
    let caught: unknown;
    try {
      enc.encodeKey({ id: 1 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlussError);
    expect((caught as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect((caught as FlussError).message).toMatch(/key column 'name' must not be null/);
  });

  it("fails on unknown key columns when built", () => {
    expect(() => new CompactedKeyEncoder(row, ["nope"])).toThrow(/Field nope not found/);
    expect(() => new CompactedKeyEncoder(row, [])).toThrow(FlussError);
  });

  it("decodes keys back (CompactedKeyDecoder) and can write straight into a batch buffer", () => {
    const enc = new CompactedKeyEncoder(row, ["at", "amount", "day"]);
    const values = [0, "", -3, "-123456789012345678.90", new FlussTimestamp(-7, 999_999)];
    const out = new ByteOutput(2);
    const n = enc.writeKey(out, values);
    const dec = new CompactedKeyDecoder([DataTypes.timestamp(9), DataTypes.decimal(20, 2), DataTypes.date()]);
    expect(dec.decodeKey(out.bytes, 0, n)).toEqual([values[4], values[3], values[2]]);
    expect(() => dec.decodeKey(new Uint8Array([...out.bytes.subarray(0, n), 1]))).toThrow(/left after the last key column/);
  });
});

describe("lake key encoders", () => {
  it("Paimon: BinaryRow with row kind byte, null bits from bit 8, 8-byte slots, inline short strings", () => {
    const enc = new PaimonKeyEncoder(row, ["id", "name"]);
    // header 8 bytes (row kind 0, no nulls), slot id = 200 LE, slot name = inline "ab" (byte 7 = 0x82)
    expect(hex(enc.encodeKey([200, "ab", 0, "0", new FlussTimestamp(0, 0)]))).toBe(
      "0000000000000000" + "c800000000000000" + "6162000000000082",
    );
    // null name: bit 9 → byte 1 = 0x02, slot zero
    expect(hex(enc.encodeKey([1, null, 0, "0", new FlussTimestamp(0, 0)]))).toBe(
      "0002000000000000" + "0100000000000000" + "0000000000000000",
    );
    // a string longer than 7 bytes goes to the variable part: slot = offset 24 << 32 | length 8
    expect(hex(enc.encodeKey([1, "12345678", 0, "0", new FlussTimestamp(0, 0)]))).toBe(
      "0000000000000000" + "0100000000000000" + "0800000018000000" + "3132333435363738",
    );
  });

  it("Iceberg: one key column, ints widened to long, strings without length, TIME/TIMESTAMP in micros", () => {
    expect(hex(new IcebergKeyEncoder(row, ["id"]).encodeKey([200]))).toBe("c800000000000000");
    expect(hex(new IcebergKeyEncoder(row, ["name"]).encodeKey([0, "é"]))).toBe("c3a9");
    expect(hex(new IcebergKeyEncoder(row, ["at"]).encodeKey([0, "", 0, "0", new FlussTimestamp(1, 2500)]))).toBe("ea03000000000000");
    expect(hex(new IcebergKeyEncoder(row, ["amount"]).encodeKey([0, "", 0, "-1.28", null]))).toBe("80");
    expect(() => new IcebergKeyEncoder(row, ["id", "name"])).toThrow(/exactly one field/);
    const ltz = new RowType([f("t", DataTypes.timestampLtz(3))]);
    expect(() => new IcebergKeyEncoder(ltz, ["t"])).toThrow(/Iceberg keys do not support/);
  });

  it("keyEncoderOf picks by table.datalake.format", () => {
    expect(keyEncoderOf(row, ["id"])).toBeInstanceOf(CompactedKeyEncoder);
    expect(keyEncoderOf(row, ["id"], "lance")).toBeInstanceOf(CompactedKeyEncoder);
    expect(keyEncoderOf(row, ["id"], "Paimon")).toBeInstanceOf(PaimonKeyEncoder);
    expect(keyEncoderOf(row, ["id"], "iceberg")).toBeInstanceOf(IcebergKeyEncoder);
    expect(() => keyEncoderOf(row, ["id"], "delta")).toThrow(/Unsupported datalake format/);
  });
});
