import { describe, expect, it } from "vitest";
import { Column, DataField, DataTypes, Schema, type ColumnSpec } from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

/** Expected JSON copied from Fluss's SchemaJsonSerdeTest (v0.9.1). */
const SCHEMA_JSON_0 =
  '{"version":1,"columns":[{"name":"a","data_type":{"type":"INTEGER","nullable":false},"comment":"a is first column","id":0},{"name":"b","data_type":{"type":"STRING"},"comment":"b is second column","id":1},{"name":"c","data_type":{"type":"CHAR","nullable":false,"length":10},"comment":"c is third column","id":2}],"primary_key":["a","c"],"highest_field_id":2}';
const SCHEMA_JSON_3 =
  '{"version":1,"columns":[{"name":"a","data_type":{"type":"BIGINT"},"comment":"a is first column","id":0},{"name":"b","data_type":{"type":"STRING"},"comment":"b is second column","id":1},{"name":"c","data_type":{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","precision":6},"comment":"c is third column","id":2}],"highest_field_id":2}';
const SCHEMA_JSON_4 =
  '{"version":1,"columns":[{"name":"a","data_type":{"type":"INTEGER","nullable":false},"comment":"a is first column","id":0},{"name":"b","data_type":{"type":"INTEGER"},"comment":"b is second column","id":1},{"name":"c","data_type":{"type":"CHAR","nullable":false,"length":10},"comment":"c is third column","id":2}],"primary_key":["a","c"],"auto_increment_column":["b"],"highest_field_id":2}';
const SCHEMA_JSON_5 =
  '{"version":1,"columns":[{"name":"a","data_type":{"type":"INTEGER"},"comment":"a is first column","id":0},{"name":"b","data_type":{"type":"ROW","fields":[{"name":"c","field_type":{"type":"INTEGER"},"description":"a is first column","field_id":2},{"name":"d","field_type":{"type":"INTEGER"},"description":"a is first column","field_id":3}]},"comment":"b is second column","id":1}],"highest_field_id":3}';
const SCHEMA_JSON_WITH_AGG =
  '{"version":1,"columns":[{"name":"product_id","data_type":{"type":"BIGINT","nullable":false},"id":0},{"name":"total_sales","data_type":{"type":"BIGINT"},"agg_function":{"type":"sum"},"id":1},{"name":"max_price","data_type":{"type":"DECIMAL","precision":10,"scale":2},"agg_function":{"type":"max"},"id":2},{"name":"last_update_time","data_type":{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","precision":6},"agg_function":{"type":"last_value_ignore_nulls"},"id":3},{"name":"tags","data_type":{"type":"STRING"},"agg_function":{"type":"listagg","parameters":{"delimiter":";"}},"id":4},{"name":"categories","data_type":{"type":"STRING"},"agg_function":{"type":"string_agg","parameters":{"delimiter":"|"}},"id":5},{"name":"labels","data_type":{"type":"STRING"},"agg_function":{"type":"listagg"},"id":6}],"primary_key":["product_id"],"highest_field_id":6}';

const SCHEMA_0 = new Schema(
  [
    { name: "a", type: DataTypes.int(), comment: "a is first column" },
    { name: "b", type: DataTypes.string(), comment: "b is second column" },
    { name: "c", type: DataTypes.char(10), comment: "c is third column" },
  ],
  { primaryKeys: ["a", "c"] },
);

describe("Schema", () => {
  it("writes what Java's SchemaJsonSerde writes (SCHEMA_0: primary key forced NOT NULL)", () => {
    expect(JSON.stringify(SCHEMA_0.toJson())).toBe(SCHEMA_JSON_0);
    expect(new TextDecoder().decode(SCHEMA_0.toJsonBytes())).toBe(SCHEMA_JSON_0);
  });

  it("writes Java's SCHEMA_3 (log table: no primary_key)", () => {
    const s = new Schema([
      { name: "a", type: DataTypes.bigint(), comment: "a is first column" },
      { name: "b", type: DataTypes.string(), comment: "b is second column" },
      { name: "c", type: DataTypes.timestamp(6), comment: "c is third column" },
    ]);
    expect(JSON.stringify(s.toJson())).toBe(SCHEMA_JSON_3);
    expect(s.primaryKey).toBeUndefined();
    expect(s.getPrimaryKeys()).toEqual([]);
  });

  it("writes Java's SCHEMA_4 (auto-increment column)", () => {
    const s = new Schema(
      [
        { name: "a", type: DataTypes.int(), comment: "a is first column" },
        { name: "b", type: DataTypes.int(), comment: "b is second column" },
        { name: "c", type: DataTypes.char(10), comment: "c is third column" },
      ],
      { primaryKeys: ["a", "c"], autoIncrementColumns: ["b"] },
    );
    expect(JSON.stringify(s.toJson())).toBe(SCHEMA_JSON_4);
  });

  it("reassigns nested ROW field ids like Java's Schema.Builder.column (SCHEMA_5)", () => {
    const s = new Schema([
      { name: "a", type: DataTypes.int(), comment: "a is first column" },
      {
        name: "b",
        type: DataTypes.row([
          new DataField("c", DataTypes.int(), "a is first column", 0),
          new DataField("d", DataTypes.int(), "a is first column", 1),
        ]),
        comment: "b is second column",
      },
    ]);
    expect(JSON.stringify(s.toJson())).toBe(SCHEMA_JSON_5);
    expect(s.highestFieldId).toBe(3);
  });

  it("numbers nested fields depth first, each field before its children", () => {
    const s = new Schema([
      { name: "id", type: DataTypes.int() },
      { name: "nested", type: DataTypes.row([DataTypes.field("x", DataTypes.int()), DataTypes.field("label", DataTypes.string())]) },
      {
        name: "deep",
        type: DataTypes.array(DataTypes.row([DataTypes.field("inner", DataTypes.row([DataTypes.field("n", DataTypes.int())]))])),
      },
      { name: "last", type: DataTypes.map(DataTypes.int(), DataTypes.row([DataTypes.field("v", DataTypes.int())])) },
    ]);
    expect(s.columns.map((c) => c.id)).toEqual([0, 1, 4, 7]);
    const json = s.toJson();
    expect(json.columns[1]?.data_type.fields?.map((f) => f.field_id)).toEqual([2, 3]);
    const inner = json.columns[2]?.data_type.element_type?.fields?.[0];
    expect(inner?.field_id).toBe(5);
    expect(inner?.field_type.fields?.[0]?.field_id).toBe(6);
    expect(json.columns[3]?.data_type.value_type?.fields?.[0]?.field_id).toBe(8);
    expect(json.highest_field_id).toBe(8);
  });

  it("round-trips Java's aggregation-function schema", () => {
    const s = Schema.fromJsonBytes(new TextEncoder().encode(SCHEMA_JSON_WITH_AGG));
    expect(s.columns[4]?.aggFunction).toEqual({ type: "listagg", parameters: { delimiter: ";" } });
    expect(JSON.stringify(s.toJson())).toBe(SCHEMA_JSON_WITH_AGG);
  });

  it("reads Java JSON back with ids and equality", () => {
    for (const json of [SCHEMA_JSON_0, SCHEMA_JSON_3, SCHEMA_JSON_4, SCHEMA_JSON_5]) {
      const s = Schema.fromJsonBytes(json);
      expect(JSON.stringify(s.toJson())).toBe(json);
    }
    expect(Schema.fromJsonBytes(SCHEMA_JSON_0).equals(SCHEMA_0)).toBe(true);
  });

  it("keeps ids and highest_field_id of an evolved schema", () => {
    const json = {
      version: 1,
      columns: [
        { name: "a", data_type: { type: "INTEGER", nullable: false }, id: 0 },
        { name: "c", data_type: { type: "STRING" }, id: 5 },
      ],
      primary_key: ["a"],
      highest_field_id: 7,
    };
    const s = Schema.fromJson(json);
    expect(s.columns.map((c) => c.id)).toEqual([0, 5]);
    expect(s.highestFieldId).toBe(7);
    expect(s.toJson()).toEqual(json);
    // Re-using the columns of a schema keeps their ids (Java's Builder.fromColumns).
    expect(new Schema(s.columns, { primaryKeys: ["a"], highestFieldId: 7 }).toJson()).toEqual(json);
  });

  it("assigns positional ids to old JSON without column ids", () => {
    const old =
      '{"version":1,"columns":[{"name":"a","data_type":{"type":"INTEGER","nullable":false},"comment":"a is first column"},{"name":"b","data_type":{"type":"STRING"},"comment":"b is second column"},{"name":"c","data_type":{"type":"CHAR","nullable":false,"length":10},"comment":"c is third column"}],"primary_key":["a","c"]}';
    expect(JSON.stringify(Schema.fromJsonBytes(old).toJson())).toBe(SCHEMA_JSON_0);
  });

  it("rejects inconsistent ids in JSON", () => {
    clientError(
      () => Schema.fromJson({ version: 1, columns: [{ name: "a", data_type: { type: "INTEGER" }, id: 0 }, { name: "b", data_type: { type: "INTEGER" } }] }),
      "All columns must have a column id or none",
    );
    clientError(
      () => Schema.fromJson({ version: 1, columns: [{ name: "a", data_type: { type: "INTEGER" }, id: 0 }, { name: "b", data_type: { type: "INTEGER" }, id: 0 }] }),
      "must be unique",
    );
    clientError(
      () => Schema.fromJson({ version: 1, columns: [{ name: "a", data_type: { type: "INTEGER" }, id: 4 }], highest_field_id: 2 }),
      "Highest field id (2)",
    );
    clientError(() => Schema.fromJson({ version: 1 }), "schema_json.columns");
    clientError(() => Schema.fromJsonBytes("{not json"), "Malformed schema_json");
    clientError(() => Schema.fromJsonBytes(new Uint8Array([0xff, 0xfe])), "not valid UTF-8");
  });

  it("offers pyfluss-style accessors", () => {
    const s = new Schema(
      [
        { name: "id", type: DataTypes.int() },
        { name: "price", type: DataTypes.decimal(10, 2) },
        { name: "at", type: DataTypes.timestamp() },
        { name: "at3", type: DataTypes.timestamp(3) },
        { name: "ltz", type: DataTypes.timestampLtz() },
        { name: "t", type: DataTypes.time() },
        { name: "t3", type: DataTypes.time(3) },
        { name: "tags", type: DataTypes.array(DataTypes.string().notNull()) },
        { name: "attrs", type: DataTypes.map(DataTypes.string(), DataTypes.bigint()) },
        { name: "pos", type: DataTypes.row([DataTypes.field("x", DataTypes.double()), DataTypes.field("y", DataTypes.char(2))]) },
        { name: "raw", type: DataTypes.binary(4).notNull() },
      ],
      { primaryKeys: ["id"] },
    );
    expect(s.getColumnNames()).toEqual(["id", "price", "at", "at3", "ltz", "t", "t3", "tags", "attrs", "pos", "raw"]);
    expect(s.getColumnTypes()).toEqual([
      "int NOT NULL",
      "decimal(10,2)",
      "timestamp",
      "timestamp(3)",
      "timestamp_ltz",
      "time",
      "time(3)",
      "array<string NOT NULL>",
      "map<string NOT NULL,bigint>",
      "row<x: double, y: char(2)>",
      "binary(4) NOT NULL",
    ]);
    expect(s.getColumns()[0]).toEqual(["id", "int NOT NULL"]);
    expect(s.getPrimaryKeys()).toEqual(["id"]);
    expect(s.primaryKey).toEqual(["id"]);
    expect(s.getPrimaryKeyIndexes()).toEqual([0]);
    expect(s.getColumn("price").type.toString()).toBe("DECIMAL(10, 2)");
    expect(s.getRowType().getFieldNames()).toEqual(s.getColumnNames());
    expect(s.columns[0]).toBeInstanceOf(Column);
    expect(s.highestFieldId).toBe(12);
    expect(String(s)).toContain("('id', 'int NOT NULL')");
    clientError(() => s.getColumn("nope"), "nope");
  });

  it("validates columns and keys, naming the offender", () => {
    const int = DataTypes.int();
    clientError(() => new Schema([{ name: "a", type: int }, { name: "a", type: DataTypes.string() }]), "Duplicate column names", "a");
    clientError(() => new Schema([{ name: "a", type: int }], { primaryKeys: ["b"] }), "Primary key column(s) b not found");
    clientError(() => new Schema([{ name: "a", type: int }], { primaryKeys: ["a", "a"] }), "Duplicate primary key columns: a");
    clientError(() => new Schema([{ name: "", type: int }]), "empty name");
    clientError(() => new Schema([{ name: "a", type: "INT" } as unknown as ColumnSpec]), "Column 'a'", "DataType");
    clientError(() => new Schema([{ name: "a", type: int }, { name: "b", type: int }], { autoIncrementColumns: ["b"] }), "primary-key table");
    clientError(
      () => new Schema([{ name: "a", type: int }, { name: "b", type: DataTypes.string() }], { primaryKeys: ["a"], autoIncrementColumns: ["b"] }),
      "INT or BIGINT",
    );
    clientError(() => new Schema([{ name: "a", type: int }], { primaryKeys: "a" as unknown as string[] }), "Primary keys");
    // An empty primary-key list means a log table, as in pyfluss.
    expect(new Schema([{ name: "a", type: int }], { primaryKeys: [] }).primaryKey).toBeUndefined();
  });
});
