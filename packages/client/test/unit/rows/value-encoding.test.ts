import { describe, expect, it } from "vitest";
import { DataTypes, RowType } from "../../../src/metadata/data-types.js";
import { ByteOutput, CompactedRowEncoder, decodeValue, encodeValue, writeValue } from "../../../src/wire/rows/index.js";

describe("KV values: int16 LE schema id + row", () => {
  const row = new RowType([DataTypes.field("a", DataTypes.int())]);

  it("prefixes the schema id", () => {
    const rowBytes = new CompactedRowEncoder(row).encode([1]);
    expect(Buffer.from(encodeValue(258, rowBytes)).toString("hex")).toBe("0201" + "0001");
    const out = new ByteOutput();
    const enc = new CompactedRowEncoder(row);
    expect(writeValue(out, 3, (o) => enc.writeTo(o, [200]))).toBe(5);
    expect(Buffer.from(out.copy()).toString("hex")).toBe("0300" + "00c801");
    const decoded = decodeValue(out.copy());
    expect(decoded.schemaId).toBe(3);
    expect(Buffer.from(decoded.row).toString("hex")).toBe("00c801");
  });

  it("rejects schema ids beyond int16 and values too short to hold one", () => {
    expect(() => encodeValue(40000, new Uint8Array(0))).toThrow(/int16/);
    expect(() => decodeValue(new Uint8Array(1))).toThrow(/schema id/);
  });
});
