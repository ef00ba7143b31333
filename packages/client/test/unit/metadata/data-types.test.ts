import { describe, expect, it } from "vitest";
import {
  ArrayType,
  DataField,
  DataTypes,
  DecimalType,
  IntType,
  MapType,
  RowType,
  isDataType,
  type DataType,
} from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

describe("DataTypes", () => {
  it("prints types like Java's asSummaryString", () => {
    const cases: [DataType, string][] = [
      [DataTypes.boolean(), "BOOLEAN"],
      [DataTypes.tinyint(), "TINYINT"],
      [DataTypes.smallint(), "SMALLINT"],
      [DataTypes.int(), "INT"],
      [DataTypes.int().notNull(), "INT NOT NULL"],
      [DataTypes.bigint(), "BIGINT"],
      [DataTypes.float(), "FLOAT"],
      [DataTypes.double(), "DOUBLE"],
      [DataTypes.decimal(10, 2), "DECIMAL(10, 2)"],
      [DataTypes.decimal(), "DECIMAL(10, 0)"],
      [DataTypes.char(5), "CHAR(5)"],
      [DataTypes.char(), "CHAR(1)"],
      [DataTypes.string(), "STRING"],
      [DataTypes.binary(16), "BINARY(16)"],
      [DataTypes.bytes(), "BYTES"],
      [DataTypes.date(), "DATE"],
      [DataTypes.time(), "TIME(0)"],
      [DataTypes.time(3), "TIME(3)"],
      [DataTypes.timestamp(), "TIMESTAMP(6)"],
      [DataTypes.timestamp(9), "TIMESTAMP(9)"],
      [DataTypes.timestampLtz(3), "TIMESTAMP_LTZ(3)"],
      [DataTypes.timestampLtz().notNull(), "TIMESTAMP_LTZ(6) NOT NULL"],
      [DataTypes.array(DataTypes.string()), "ARRAY<STRING>"],
      [DataTypes.array(DataTypes.int().notNull()).notNull(), "ARRAY<INT NOT NULL> NOT NULL"],
      [DataTypes.map(DataTypes.string(), DataTypes.int()), "MAP<STRING NOT NULL, INT>"],
      [
        DataTypes.row([DataTypes.field("a", DataTypes.int()), DataTypes.field("b", DataTypes.string(), "it's b")]),
        "ROW<`a` INT, `b` STRING '...'>",
      ],
    ];
    for (const [type, text] of cases) expect(type.toString()).toBe(text);
  });

  it("has Java's serializable forms", () => {
    expect(DataTypes.timestampLtz(3).asSerializableString()).toBe("TIMESTAMP(3) WITH LOCAL TIME ZONE");
    expect(DataTypes.row([DataTypes.field("a`b", DataTypes.int(), "it's")]).asSerializableString()).toBe(
      "ROW<`a``b` INT 'it''s'>",
    );
  });

  it("copies with nullability and compares structurally", () => {
    const t = DataTypes.decimal(10, 2);
    const nn = t.notNull();
    expect(nn).toBeInstanceOf(DecimalType);
    expect(nn.isNullable).toBe(false);
    expect(t.isNullable).toBe(true);
    expect(nn.nullable().equals(t)).toBe(true);
    expect(nn.equals(t)).toBe(false);
    expect(t.copy(false).equals(nn)).toBe(true);
    expect(t.copy().equals(t)).toBe(true);
    expect(DataTypes.decimal(10, 2).equals(DataTypes.decimal(10, 3))).toBe(false);
    expect(DataTypes.int().equals(DataTypes.bigint())).toBe(false);
    expect(DataTypes.timestamp(3).equals(DataTypes.timestampLtz(3))).toBe(false);
    expect(DataTypes.array(DataTypes.int()).equals(DataTypes.array(DataTypes.int()))).toBe(true);
    expect(DataTypes.array(DataTypes.int()).equals(DataTypes.array(DataTypes.int().notNull()))).toBe(false);
  });

  it("ignores ROW field ids in equality but not descriptions", () => {
    const a = new RowType([new DataField("x", DataTypes.int(), undefined, 3)]);
    const b = new RowType([new DataField("x", DataTypes.int(), undefined, 7)]);
    const c = new RowType([new DataField("x", DataTypes.int(), "doc", 3)]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.notNull().fields[0]?.fieldId).toBe(3);
  });

  it("forces map keys to NOT NULL, as Java's MapType", () => {
    const m = DataTypes.map(DataTypes.string(), DataTypes.int());
    expect(m.keyType.isNullable).toBe(false);
    expect(m.valueType.isNullable).toBe(true);
    expect(m).toBeInstanceOf(MapType);
  });

  it("narrows the DataType union on typeRoot", () => {
    const t: DataType = DataTypes.array(DataTypes.char(3));
    expect(isDataType(t)).toBe(true);
    expect(isDataType({ typeRoot: "INTEGER" })).toBe(false);
    if (t.typeRoot === "ARRAY" && t.elementType.typeRoot === "CHAR") {
      expect(t.elementType.length).toBe(3);
    } else {
      throw new Error("not narrowed");
    }
    expect(t.getChildren()).toHaveLength(1);
    expect(new IntType(false).is("INTEGER")).toBe(true);
    expect(t).toBeInstanceOf(ArrayType);
  });

  it("validates parameters like Fluss", () => {
    clientError(() => DataTypes.decimal(0, 0), "Decimal precision", "got 0");
    clientError(() => DataTypes.decimal(39, 0), "Decimal precision", "got 39");
    clientError(() => DataTypes.decimal(5, 6), "Decimal scale", "got 6");
    clientError(() => DataTypes.decimal(5, -1), "Decimal scale");
    clientError(() => DataTypes.decimal(5.5, 1), "Decimal precision");
    clientError(() => DataTypes.time(10), "Time precision", "got 10");
    clientError(() => DataTypes.time(-1), "Time precision");
    clientError(() => DataTypes.timestamp(10), "Timestamp precision");
    clientError(() => DataTypes.timestampLtz(12), "local time zone precision");
    clientError(() => DataTypes.char(0), "Character string length");
    clientError(() => DataTypes.binary(0), "Binary string length");
    clientError(() => DataTypes.array(undefined as unknown as DataType), "Array element type");
    expect(DataTypes.decimal(38, 38).toString()).toBe("DECIMAL(38, 38)");
    expect(DataTypes.decimal(1, 0).toString()).toBe("DECIMAL(1, 0)");
    expect(DataTypes.timestamp(0).toString()).toBe("TIMESTAMP(0)");
  });

  it("rejects blank and duplicate ROW field names", () => {
    clientError(() => DataTypes.row([DataTypes.field(" ", DataTypes.int())]), "non-whitespace");
    clientError(
      () => DataTypes.row([DataTypes.field("a", DataTypes.int()), DataTypes.field("a", DataTypes.string())]),
      "duplicates: a",
    );
  });
});
