import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { DataField, DataTypes, Schema } from "../../../src/metadata/index.js";
import { FlussTimestamp, RowBatchBuilder, RowReader, recordBatchToRows, rowsToRecordBatch } from "../../../src/row/index.js";

const schema = new Schema([
  { name: "id", type: DataTypes.int().notNull() },
  { name: "tiny", type: DataTypes.tinyint() },
  { name: "big", type: DataTypes.bigint() },
  { name: "price", type: DataTypes.decimal(5, 2) },
  { name: "name", type: DataTypes.string() },
  { name: "code", type: DataTypes.binary(2) },
  { name: "day", type: DataTypes.date() },
  { name: "at", type: DataTypes.time(3) },
  { name: "ts", type: DataTypes.timestampLtz(6) },
  { name: "tags", type: DataTypes.array(DataTypes.string().notNull()) },
  { name: "attrs", type: DataTypes.map(DataTypes.string().notNull(), DataTypes.int()) },
  { name: "point", type: DataTypes.row([new DataField("x", DataTypes.double()), new DataField("y", DataTypes.double().notNull())]) },
]);

function expectClientError(f: () => unknown, message: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FlussError);
    expect((e as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected a CLIENT_ERROR matching ${message}`);
}

describe("RowBatchBuilder validation", () => {
  const bad: [string, Record<string, unknown> | unknown[], RegExp][] = [
    ["an unknown column", { id: 1, nope: 2 }, /unknown column 'nope'/],
    ["null in a NOT NULL column", { id: null }, /'id' is NOT NULL/],
    ["a missing NOT NULL column", { tiny: 1 }, /'id' is NOT NULL but got no value/],
    ["a string for INT", { id: "1" }, /'id' is INT NOT NULL; expected an integer number, got string/],
    ["a fractional INT", { id: 1.5 }, /'id': 1.5 is out of range/],
    ["TINYINT overflow", { id: 1, tiny: 128 }, /'tiny': 128 is out of range for TINYINT/],
    ["TINYINT underflow", { id: 1, tiny: -129 }, /'tiny'/],
    ["an unsafe number for BIGINT", { id: 1, big: 2 ** 60 }, /not a safe integer/],
    ["BIGINT overflow", { id: 1, big: 2n ** 63n }, /out of range for BIGINT/],
    ["decimal precision overflow", { id: 1, price: "1000.00" }, /'price': 1000.00 does not fit DECIMAL\(5, 2\)/],
    ["a decimal that is not a number", { id: 1, price: "12a" }, /not a decimal number/],
    ["NaN as DECIMAL", { id: 1, price: Number.NaN }, /not a valid DECIMAL/],
    ["BINARY of the wrong length", { id: 1, code: new Uint8Array(3) }, /BINARY\(2\); got 3 bytes/],
    ["a number for BYTES-like BINARY", { id: 1, code: 5 }, /expected a Uint8Array/],
    ["a fractional DATE", { id: 1, day: 1.5 }, /DATE/],
    ["TIME past midnight", { id: 1, at: 86_400_000_000_000 }, /TIME must be/],
    ["a TIME string that does not parse", { id: 1, at: "25:00:00" }, /cannot parse TIME/],
    ["a bad timestamp", { id: 1, ts: "yesterday" }, /cannot parse timestamp/],
    ["a null array element of a NOT NULL element type", { id: 1, tags: ["a", null] }, /'tags\[1\]' is NOT NULL/],
    ["a map with a null key", { id: 1, attrs: new Map([[null, 1]]) }, /map keys cannot be null/],
    ["a wrong map value", { id: 1, attrs: { a: "x" } }, /'attrs\[a\]'/],
    ["a row with an unknown field", { id: 1, point: { x: 1, y: 2, z: 3 } }, /'point' has no field 'z'/],
    ["a row field that is NOT NULL", { id: 1, point: { x: 1 } }, /'point.y' is NOT NULL/],
    ["an array row of the wrong length", [1], /row has 1 values but the table has 12 columns/],
    ["not a row at all", "row" as unknown as unknown[], /must be an object/],
  ];
  for (const [what, row, message] of bad) {
    it(`rejects ${what}, naming the column`, () => {
      expectClientError(() => new RowBatchBuilder(schema).append(row), message);
    });
  }

  it("keeps the rows before and after a rejected row intact (no poisoning)", () => {
    const builder = new RowBatchBuilder(schema);
    builder.append({ id: 1, tags: ["a"] });
    // Fails in the last column, after earlier columns converted fine.
    expect(() => builder.append({ id: 2, name: "x", tags: ["b"], point: { x: 1 } })).toThrow(FlussError);
    builder.append({ id: 3 });
    expect(() => builder.validate({ id: 4, tiny: 1000 })).toThrow(FlussError);
    expect(builder.rowCount).toBe(2);
    const rows = recordBatchToRows(builder.build(), schema);
    expect(rows.map((r) => r.id)).toEqual([1, 3]);
    expect(rows[0]!.tags).toEqual(["a"]);
    expect(rows[1]!.name).toBeNull();
    expect(builder.rowCount).toBe(0);
  });

  it("accepts the documented input forms and reads them back in the documented output forms", () => {
    const batch = rowsToRecordBatch(schema, [
      {
        id: 1,
        tiny: -5n,
        big: 12,
        price: 1.005,
        name: "ünï",
        code: Uint8Array.of(1, 2),
        day: new Date(Date.UTC(2024, 0, 2, 15)),
        at: "12:34:56.789",
        ts: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
        tags: [],
        attrs: [["a", 1], ["b", null]],
        point: [1.5, -2],
      },
      [2, null, -9007199254740993n, "-0.5", "", null, 0, 0, "2024-01-02T03:04:05.123456Z", ["x"], { k: 7 }, { y: 0 }],
    ]);
    const [a, b] = new RowReader(batch, schema).toArray();
    expect(a).toEqual({
      id: 1,
      tiny: -5,
      big: 12n,
      price: "1.01", // half-up, as Fluss's Java Decimal.fromBigDecimal
      name: "ünï",
      code: Uint8Array.of(1, 2),
      day: 19724,
      at: 45_296_789_000_000,
      ts: new FlussTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5, 6), 0),
      tags: [],
      attrs: new Map([["a", 1], ["b", null]]),
      point: { x: 1.5, y: -2 },
    });
    expect(b).toEqual({
      id: 2,
      tiny: null,
      big: -9007199254740993n,
      price: "-0.50",
      name: "",
      code: null,
      day: 0,
      at: 0,
      ts: new FlussTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5, 123), 456_000),
      tags: ["x"],
      attrs: new Map([["k", 7]]),
      point: { x: null, y: 0 },
    });
  });

  it("drops digits below a column's time unit, as Fluss's Java writers do", () => {
    const s = new Schema([
      { name: "t0", type: DataTypes.time(0) },
      { name: "ts0", type: DataTypes.timestamp(0) },
      { name: "ts3", type: DataTypes.timestamp(3) },
    ]);
    const [row] = recordBatchToRows(rowsToRecordBatch(s, [["01:02:03.999", new FlussTimestamp(-1500, 0), new FlussTimestamp(5, 999_999)]]), s);
    expect(row).toEqual({ t0: 3_723_000_000_000, ts0: new FlussTimestamp(-1000, 0), ts3: new FlussTimestamp(5, 0) });
  });
});
