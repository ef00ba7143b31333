import {
  Binary,
  Bool,
  DateDay,
  DateMillisecond,
  Decimal,
  Dictionary,
  Field,
  FixedSizeBinary,
  Float16,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeBinary,
  LargeUtf8,
  List,
  Map_,
  Schema as ArrowSchema,
  Struct,
  TimeMicrosecond,
  TimeMillisecond,
  TimeNanosecond,
  TimeSecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint32,
  Utf8,
  type DataType as ArrowType,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { DataTypes, Schema, type DataType } from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

function mapOf(key: ArrowType, value: ArrowType, valueNullable = true): Map_ {
  return new Map_(new Field("entries", new Struct([new Field("key", key, false), new Field("value", value, valueNullable)]), false), false);
}

const MAPPINGS: [ArrowType, DataType][] = [
  [new Bool(), DataTypes.boolean()],
  [new Int8(), DataTypes.tinyint()],
  [new Int16(), DataTypes.smallint()],
  [new Int32(), DataTypes.int()],
  [new Int64(), DataTypes.bigint()],
  [new Float32(), DataTypes.float()],
  [new Float64(), DataTypes.double()],
  [new Utf8(), DataTypes.string()],
  [new LargeUtf8(), DataTypes.string()],
  [new Binary(), DataTypes.bytes()],
  [new LargeBinary(), DataTypes.bytes()],
  [new FixedSizeBinary(16), DataTypes.binary(16)],
  [new DateDay(), DataTypes.date()],
  [new TimeSecond(), DataTypes.time(0)],
  [new TimeMillisecond(), DataTypes.time(3)],
  [new TimeMicrosecond(), DataTypes.time(6)],
  [new TimeNanosecond(), DataTypes.time(9)],
  [new TimestampSecond(), DataTypes.timestamp(0)],
  [new TimestampMillisecond(), DataTypes.timestamp(3)],
  [new TimestampMicrosecond(), DataTypes.timestamp(6)],
  [new TimestampNanosecond(), DataTypes.timestamp(9)],
  [new TimestampSecond("UTC"), DataTypes.timestampLtz(0)],
  [new TimestampMillisecond("Europe/Paris"), DataTypes.timestampLtz(3)],
  [new TimestampMicrosecond("UTC"), DataTypes.timestampLtz(6)],
  [new TimestampNanosecond("+01:00"), DataTypes.timestampLtz(9)],
  [new Decimal(2, 10, 128), DataTypes.decimal(10, 2)],
  [new List(new Field("item", new Utf8(), true)), DataTypes.array(DataTypes.string())],
  [new List(new Field("item", new Int32(), false)), DataTypes.array(DataTypes.int().notNull())],
  [mapOf(new Utf8(), new Int64()), DataTypes.map(DataTypes.string(), DataTypes.bigint())],
  [mapOf(new Utf8(), new Int64(), false), DataTypes.map(DataTypes.string(), DataTypes.bigint().notNull())],
  [
    new Struct([new Field("x", new Float64(), true), new Field("y", new Int32(), false)]),
    DataTypes.row([DataTypes.field("x", DataTypes.double()), DataTypes.field("y", DataTypes.int().notNull())]),
  ],
];

describe("Schema.fromArrow", () => {
  it("maps every supported Arrow type as pyfluss does", () => {
    for (const [arrow, fluss] of MAPPINGS) {
      const s = Schema.fromArrow(new ArrowSchema([new Field("c", arrow, true)]));
      const got = s.columns[0]?.type;
      expect(got?.equals(fluss), `${String(arrow)} → ${got?.toString()} (want ${fluss.toString()})`).toBe(true);
    }
  });

  it("keeps Arrow nullability, comments, and forces primary keys NOT NULL", () => {
    const arrow = new ArrowSchema([
      new Field("id", new Int64(), true),
      new Field("name", new Utf8(), false, new Map([["comment", "display name"]])),
      new Field("score", new Float64(), true),
    ]);
    const s = Schema.fromArrow(arrow, { primaryKeys: ["id"] });
    expect(s.getColumnTypes()).toEqual(["bigint NOT NULL", "string NOT NULL", "double"]);
    expect(s.columns[1]?.comment).toBe("display name");
    expect(s.getPrimaryKeys()).toEqual(["id"]);
  });

  it("rejects unsupported Arrow types naming the field", () => {
    clientError(() => Schema.fromArrow(new ArrowSchema([new Field("u", new Uint32(), true)])), "Field 'u'", "unsigned");
    clientError(() => Schema.fromArrow(new ArrowSchema([new Field("h", new Float16(), true)])), "Field 'h'");
    clientError(() => Schema.fromArrow(new ArrowSchema([new Field("d", new DateMillisecond(), true)])), "Field 'd'");
    clientError(() => Schema.fromArrow(new ArrowSchema([new Field("wide", new Decimal(2, 40, 256), true)])), "Field 'wide'");
    clientError(
      () => Schema.fromArrow(new ArrowSchema([new Field("dict", new Dictionary(new Utf8(), new Int32()), true)])),
      "Field 'dict'",
    );
    clientError(
      () =>
        Schema.fromArrow(
          new ArrowSchema([new Field("s", new Struct([new Field("inner", new List(new Field("item", new Uint32(), true)), true)]), true)]),
        ),
      "Field 's.inner.item'",
    );
    clientError(() => Schema.fromArrow(new ArrowSchema([new Field("d", new Decimal(0, 39, 128), true)])), "Field 'd'", "Decimal precision");
    clientError(() => Schema.fromArrow({} as ArrowSchema), "apache-arrow Schema");
  });
});

describe("Schema.toArrow", () => {
  it("follows Fluss's ArrowUtils mapping for log batches", () => {
    const s = new Schema(
      [
        { name: "b", type: DataTypes.boolean() },
        { name: "i8", type: DataTypes.tinyint() },
        { name: "i16", type: DataTypes.smallint() },
        { name: "i32", type: DataTypes.int() },
        { name: "i64", type: DataTypes.bigint() },
        { name: "f", type: DataTypes.float() },
        { name: "d", type: DataTypes.double() },
        { name: "c", type: DataTypes.char(3) },
        { name: "s", type: DataTypes.string() },
        { name: "bin", type: DataTypes.binary(8) },
        { name: "by", type: DataTypes.bytes() },
        { name: "dec", type: DataTypes.decimal(12, 3) },
        { name: "dt", type: DataTypes.date() },
        { name: "t0", type: DataTypes.time(0) },
        { name: "t2", type: DataTypes.time(2) },
        { name: "t5", type: DataTypes.time(5) },
        { name: "t8", type: DataTypes.time(8) },
        { name: "ts0", type: DataTypes.timestamp(0) },
        { name: "ts3", type: DataTypes.timestamp(3) },
        { name: "ts6", type: DataTypes.timestamp(6) },
        { name: "ts9", type: DataTypes.timestamp(9) },
        { name: "ltz", type: DataTypes.timestampLtz(3) },
        { name: "arr", type: DataTypes.array(DataTypes.int().notNull()) },
        { name: "m", type: DataTypes.map(DataTypes.string(), DataTypes.int()) },
        { name: "r", type: DataTypes.row([DataTypes.field("x", DataTypes.int())]) },
      ],
      { primaryKeys: ["i32"] },
    );
    const arrow = s.toArrow();
    const byName = new Map(arrow.fields.map((f) => [f.name, f]));
    const typeOf = (name: string) => String(byName.get(name)?.type);
    expect(arrow.fields.map((f) => f.name)).toEqual(s.getColumnNames());
    expect(byName.get("i32")?.nullable).toBe(false);
    expect(byName.get("s")?.nullable).toBe(true);
    expect(typeOf("b")).toBe("Bool");
    expect(typeOf("i8")).toBe("Int8");
    expect(typeOf("i64")).toBe("Int64");
    expect(typeOf("f")).toBe("Float32");
    expect(typeOf("d")).toBe("Float64");
    expect(typeOf("c")).toBe("Utf8");
    expect(typeOf("bin")).toBe("FixedSizeBinary[8]");
    expect(typeOf("by")).toBe("Binary");
    expect(typeOf("dt")).toBe("Date32<DAY>");
    const dec = byName.get("dec")?.type as Decimal;
    expect([dec.precision, dec.scale, dec.bitWidth]).toEqual([12, 3, 128]);
    expect(typeOf("t0")).toBe("Time32<SECOND>");
    expect(typeOf("t2")).toBe("Time32<MILLISECOND>");
    expect(typeOf("t5")).toBe("Time64<MICROSECOND>");
    expect(typeOf("t8")).toBe("Time64<NANOSECOND>");
    expect(typeOf("ts0")).toBe("Timestamp<SECOND>");
    expect(typeOf("ts3")).toBe("Timestamp<MILLISECOND>");
    expect(typeOf("ts6")).toBe("Timestamp<MICROSECOND>");
    expect(typeOf("ts9")).toBe("Timestamp<NANOSECOND>");
    // Fluss writes LTZ with a null time zone, like TIMESTAMP.
    expect((byName.get("ltz")?.type as TimestampMillisecond).timezone).toBeNull();
    const arr = byName.get("arr")?.type as List;
    expect(arr.children[0]?.name).toBe("element");
    expect(arr.children[0]?.nullable).toBe(false);
    const map = byName.get("m")?.type as Map_;
    expect(map.keysSorted).toBe(false);
    expect(map.children[0]?.name).toBe("entries");
    expect(map.children[0]?.nullable).toBe(false);
    expect(map.children[0]?.type.children.map((c: Field) => [c.name, c.nullable])).toEqual([
      ["key", false],
      ["value", true],
    ]);
    expect((byName.get("r")?.type as Struct).children.map((c) => c.name)).toEqual(["x"]);
  });

  it("round-trips through Arrow when LTZ carries a time zone", () => {
    const s = new Schema([
      { name: "a", type: DataTypes.timestampLtz(9) },
      { name: "b", type: DataTypes.array(DataTypes.map(DataTypes.int(), DataTypes.row([DataTypes.field("z", DataTypes.bytes())]))) },
      { name: "c", type: DataTypes.decimal(38, 10).notNull() },
      { name: "d", type: DataTypes.time(6) },
    ]);
    const back = Schema.fromArrow(s.toArrow({ timestampLtzTimeZone: "UTC" }));
    expect(back.getColumnTypes()).toEqual(s.getColumnTypes());
    expect(back.equals(s)).toBe(true);
    expect(Schema.fromArrow(s.toArrow()).columns[0]?.type.toString()).toBe("TIMESTAMP(9)");
  });
});
