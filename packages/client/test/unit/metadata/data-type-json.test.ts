import { describe, expect, it } from "vitest";
import {
  ArrayType,
  BigIntType,
  BinaryType,
  BooleanType,
  BytesType,
  CharType,
  DataField,
  DataTypes,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntType,
  LocalZonedTimestampType,
  MapType,
  RowType,
  SmallIntType,
  StringType,
  TimeType,
  TimestampType,
  TinyIntType,
  dataTypeFromJson,
  dataTypeToJson,
  type DataType,
} from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

/** The types of Fluss's DataTypeJsonSerdeTest (v0.9.1), in the same order. */
const JAVA_TYPES: DataType[] = [
  new BooleanType(),
  new TinyIntType(),
  new SmallIntType(),
  new IntType(),
  new BigIntType(),
  new FloatType(),
  new DoubleType(),
  new DecimalType(10),
  new DecimalType(15, 5),
  new CharType(),
  new CharType(5),
  new StringType(),
  new BinaryType(),
  new BinaryType(100),
  new BytesType(),
  new DateType(),
  new TimeType(),
  new TimeType(3),
  new TimestampType(),
  new TimestampType(3),
  new LocalZonedTimestampType(),
  new LocalZonedTimestampType(3),
  new ArrayType(new IntType(false)),
  new MapType(new BigIntType(false), new IntType(false)),
  new RowType([
    new DataField("f0", new BigIntType()),
    new DataField("f1", new IntType(false), undefined, 1),
    new DataField("f2", new StringType(), undefined, 2),
  ]),
];

/** Expected JSON copied from DataTypeJsonSerdeTest.expectedJsons() (nullable, then NOT NULL, per type). */
const JAVA_JSONS = [
  '{"type":"BOOLEAN"}',
  '{"type":"BOOLEAN","nullable":false}',
  '{"type":"TINYINT"}',
  '{"type":"TINYINT","nullable":false}',
  '{"type":"SMALLINT"}',
  '{"type":"SMALLINT","nullable":false}',
  '{"type":"INTEGER"}',
  '{"type":"INTEGER","nullable":false}',
  '{"type":"BIGINT"}',
  '{"type":"BIGINT","nullable":false}',
  '{"type":"FLOAT"}',
  '{"type":"FLOAT","nullable":false}',
  '{"type":"DOUBLE"}',
  '{"type":"DOUBLE","nullable":false}',
  '{"type":"DECIMAL","precision":10,"scale":0}',
  '{"type":"DECIMAL","nullable":false,"precision":10,"scale":0}',
  '{"type":"DECIMAL","precision":15,"scale":5}',
  '{"type":"DECIMAL","nullable":false,"precision":15,"scale":5}',
  '{"type":"CHAR","length":1}',
  '{"type":"CHAR","nullable":false,"length":1}',
  '{"type":"CHAR","length":5}',
  '{"type":"CHAR","nullable":false,"length":5}',
  '{"type":"STRING"}',
  '{"type":"STRING","nullable":false}',
  '{"type":"BINARY","length":1}',
  '{"type":"BINARY","nullable":false,"length":1}',
  '{"type":"BINARY","length":100}',
  '{"type":"BINARY","nullable":false,"length":100}',
  '{"type":"BYTES"}',
  '{"type":"BYTES","nullable":false}',
  '{"type":"DATE"}',
  '{"type":"DATE","nullable":false}',
  '{"type":"TIME_WITHOUT_TIME_ZONE","precision":0}',
  '{"type":"TIME_WITHOUT_TIME_ZONE","nullable":false,"precision":0}',
  '{"type":"TIME_WITHOUT_TIME_ZONE","precision":3}',
  '{"type":"TIME_WITHOUT_TIME_ZONE","nullable":false,"precision":3}',
  '{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","precision":6}',
  '{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":false,"precision":6}',
  '{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","precision":3}',
  '{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","nullable":false,"precision":3}',
  '{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","precision":6}',
  '{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","nullable":false,"precision":6}',
  '{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","precision":3}',
  '{"type":"TIMESTAMP_WITH_LOCAL_TIME_ZONE","nullable":false,"precision":3}',
  '{"type":"ARRAY","element_type":{"type":"INTEGER","nullable":false}}',
  '{"type":"ARRAY","nullable":false,"element_type":{"type":"INTEGER","nullable":false}}',
  '{"type":"MAP","key_type":{"type":"BIGINT","nullable":false},"value_type":{"type":"INTEGER","nullable":false}}',
  '{"type":"MAP","nullable":false,"key_type":{"type":"BIGINT","nullable":false},"value_type":{"type":"INTEGER","nullable":false}}',
  '{"type":"ROW","fields":[{"name":"f0","field_type":{"type":"BIGINT"},"field_id":-1},{"name":"f1","field_type":{"type":"INTEGER","nullable":false},"field_id":1},{"name":"f2","field_type":{"type":"STRING"},"field_id":2}]}',
  '{"type":"ROW","nullable":false,"fields":[{"name":"f0","field_type":{"type":"BIGINT"},"field_id":-1},{"name":"f1","field_type":{"type":"INTEGER","nullable":false},"field_id":1},{"name":"f2","field_type":{"type":"STRING"},"field_id":2}]}',
];

const ALL_TYPES = JAVA_TYPES.flatMap((t) => [t.copy(true), t.copy(false)]);

describe("DataType JSON", () => {
  it("writes byte-for-byte what Java's DataTypeJsonSerde writes", () => {
    expect(ALL_TYPES).toHaveLength(JAVA_JSONS.length);
    ALL_TYPES.forEach((type, i) => expect(JSON.stringify(dataTypeToJson(type))).toBe(JAVA_JSONS[i]));
  });

  it("reads Java's JSON back into equal types", () => {
    JAVA_JSONS.forEach((json, i) => {
      const type = dataTypeFromJson(JSON.parse(json));
      expect(type.equals(ALL_TYPES[i])).toBe(true);
      expect(JSON.stringify(dataTypeToJson(type))).toBe(json);
    });
  });

  it("round-trips nested types with NOT NULL at every level, ids and descriptions", () => {
    const nested = DataTypes.row([
      new DataField("id", DataTypes.bigint().notNull(), "the id", 1),
      new DataField(
        "tags",
        DataTypes.map(
          DataTypes.string(),
          DataTypes.array(DataTypes.row([new DataField("v", DataTypes.decimal(20, 4).notNull(), undefined, 3)]).notNull()),
        ),
        undefined,
        2,
      ),
      new DataField("at", DataTypes.timestampLtz(9), undefined, 4),
      new DataField("t", DataTypes.time(9).notNull(), undefined, 5),
    ]).notNull();
    const json = dataTypeToJson(nested);
    const back = dataTypeFromJson(JSON.parse(JSON.stringify(json)));
    expect(back.equals(nested)).toBe(true);
    expect(back.toString()).toBe(nested.toString());
    expect(dataTypeToJson(back)).toEqual(json);
    expect(json.fields?.[0]).toEqual({
      name: "id",
      field_type: { type: "BIGINT", nullable: false },
      description: "the id",
      field_id: 1,
    });
    expect(Object.keys(json.fields?.[0] ?? {})).toEqual(["name", "field_type", "description", "field_id"]);
  });

  it("treats absent nullable as nullable and absent field_id as unassigned", () => {
    const t = dataTypeFromJson({ type: "ROW", fields: [{ name: "a", field_type: { type: "INTEGER", nullable: true } }] });
    expect(t.isNullable).toBe(true);
    expect(t.typeRoot === "ROW" && t.fields[0]?.fieldId).toBe(-1);
  });

  it("reports malformed JSON as CLIENT_ERROR with the path", () => {
    clientError(() => dataTypeFromJson({ type: "INTERVAL" }), "unsupported data type 'INTERVAL'");
    clientError(() => dataTypeFromJson({}), "data_type.type");
    clientError(() => dataTypeFromJson({ type: "DECIMAL", precision: 50, scale: 0 }), "Malformed data_type", "Decimal precision");
    clientError(() => dataTypeFromJson({ type: "ARRAY", element_type: { type: 3 } }), "data_type.element_type.type");
    clientError(() => dataTypeFromJson({ type: "ROW", fields: [{ field_type: { type: "INTEGER" } }] }), "fields[0].name");
    clientError(() => dataTypeFromJson("INT"), "expected an object");
  });
});
