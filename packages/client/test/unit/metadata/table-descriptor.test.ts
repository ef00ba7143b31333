import { describe, expect, it } from "vitest";
import { DataTypes, Schema, TableDescriptor, type TableDescriptorOptions } from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

// Schemas and expected JSON from Fluss's SchemaJsonSerdeTest / TableDescriptorJsonSerdeTest (v0.9.1).
const SCHEMA_0 = new Schema(
  [
    { name: "a", type: DataTypes.int(), comment: "a is first column" },
    { name: "b", type: DataTypes.string(), comment: "b is second column" },
    { name: "c", type: DataTypes.char(10), comment: "c is third column" },
  ],
  { primaryKeys: ["a", "c"] },
);
const SCHEMA_JSON_0 =
  '{"version":1,"columns":[{"name":"a","data_type":{"type":"INTEGER","nullable":false},"comment":"a is first column","id":0},{"name":"b","data_type":{"type":"STRING"},"comment":"b is second column","id":1},{"name":"c","data_type":{"type":"CHAR","nullable":false,"length":10},"comment":"c is third column","id":2}],"primary_key":["a","c"],"highest_field_id":2}';
const SCHEMA_1 = new Schema(
  [
    { name: "a", type: DataTypes.int() },
    { name: "b", type: DataTypes.string(), comment: "b is second column" },
    { name: "c", type: DataTypes.timestamp(), comment: "c is third column" },
  ],
  { primaryKeys: ["a"] },
);
const SCHEMA_JSON_1 =
  '{"version":1,"columns":[{"name":"a","data_type":{"type":"INTEGER","nullable":false},"id":0},{"name":"b","data_type":{"type":"STRING"},"comment":"b is second column","id":1},{"name":"c","data_type":{"type":"TIMESTAMP_WITHOUT_TIME_ZONE","precision":6},"comment":"c is third column","id":2}],"primary_key":["a"],"highest_field_id":2}';

const LOG_SCHEMA = new Schema([
  { name: "id", type: DataTypes.bigint() },
  { name: "region", type: DataTypes.string() },
  { name: "payload", type: DataTypes.bytes() },
]);

describe("TableDescriptor", () => {
  it("writes Java's table_json for a partitioned primary-key table", () => {
    const d = new TableDescriptor(SCHEMA_0, {
      comment: "first table",
      partitionKeys: ["c"],
      bucketCount: 16,
      bucketKeys: ["a"],
      // Java's HashMap happened to print option-2 first; the server does not care about the order.
      properties: { "option-2": "200", "option-1": "100" },
      customProperties: { "custom-1": '"value-1"' },
    });
    const expected =
      '{"version":1,"schema":' +
      SCHEMA_JSON_0 +
      ',"comment":"first table","partition_key":["c"],"bucket_key":["a"],"bucket_count":16,"properties":{"option-2":"200","option-1":"100"},' +
      '"custom_properties":{"custom-1":"\\"value-1\\""}}';
    expect(new TextDecoder().decode(d.toJsonBytes())).toBe(expected);
  });

  it("writes Java's table_json with the default bucket key and log/kv formats", () => {
    const d = new TableDescriptor(SCHEMA_1, {
      bucketCount: 32,
      properties: { "option-3": "300", "option-4": "400" },
      logFormat: "INDEXED",
      kvFormat: "indexed",
    });
    const expected =
      '{"version":1,"schema":' +
      SCHEMA_JSON_1 +
      ',"partition_key":[],"bucket_key":["a"],"bucket_count":32,"properties":{"option-3":"300","option-4":"400",' +
      '"table.log.format":"INDEXED","table.kv.format":"INDEXED"},"custom_properties":{}}';
    expect(JSON.stringify(d.toJson())).toBe(expected);
    expect(d.getLogFormat()).toBe("INDEXED");
    expect(d.getKvFormat()).toBe("INDEXED");
  });

  it("leaves out bucket_key and bucket_count when a log table has no distribution", () => {
    const d = new TableDescriptor(LOG_SCHEMA);
    const json = d.toJson();
    expect(Object.keys(json)).toEqual(["version", "schema", "partition_key", "properties", "custom_properties"]);
    expect(d.tableDistribution).toBeUndefined();
    expect(d.getBucketKeys()).toEqual([]);
    expect(d.getBucketCount()).toBeUndefined();
  });

  it("fills the default bucket key of a primary-key table without a bucket count", () => {
    const schema = new Schema(
      [
        { name: "dt", type: DataTypes.string() },
        { name: "id", type: DataTypes.bigint() },
        { name: "v", type: DataTypes.string() },
      ],
      { primaryKeys: ["dt", "id"] },
    );
    const d = new TableDescriptor(schema, { partitionKeys: ["dt"] });
    const json = d.toJson();
    expect(json.bucket_key).toEqual(["id"]);
    expect("bucket_count" in json).toBe(false);
    expect(d.hasPrimaryKey()).toBe(true);
    expect(d.isPartitioned()).toBe(true);
  });

  it("keeps a log table's bucket keys and count", () => {
    const d = new TableDescriptor(LOG_SCHEMA, { bucketKeys: ["id"], bucketCount: 3, partitionKeys: ["region"] });
    expect(d.toJson()).toMatchObject({ partition_key: ["region"], bucket_key: ["id"], bucket_count: 3 });
  });

  it("round-trips through JSON", () => {
    const d = new TableDescriptor(SCHEMA_0, {
      comment: "c",
      partitionKeys: ["c"],
      bucketCount: 4,
      properties: { "table.replication.factor": "1" },
      customProperties: { owner: "me" },
      logFormat: "ARROW",
    });
    const back = TableDescriptor.fromJsonBytes(d.toJsonBytes());
    expect(back.toJson()).toEqual(d.toJson());
    expect(back.schema.equals(d.schema)).toBe(true);
    expect(back.getProperties()).toEqual({ "table.replication.factor": "1", "table.log.format": "ARROW" });
  });

  it("reads JSON with absent optional members", () => {
    const d = TableDescriptor.fromJson({ version: 1, schema: JSON.parse(SCHEMA_JSON_1) as unknown });
    expect(d.partitionKeys).toEqual([]);
    expect(d.getBucketKeys()).toEqual(["a"]);
    expect(d.getProperties()).toEqual({});
    expect(d.comment).toBeUndefined();
    // Jackson's asText() turns numbers into text; so do we.
    const withNumber = TableDescriptor.fromJson({ version: 1, schema: JSON.parse(SCHEMA_JSON_1) as unknown, properties: { n: 3 } });
    expect(withNumber.getProperties()).toEqual({ n: "3" });
    clientError(() => TableDescriptor.fromJson({ version: 1 }), "table_json.schema");
  });

  it("validates like Java's TableDescriptor", () => {
    const cases: [Schema, TableDescriptorOptions, string][] = [
      [LOG_SCHEMA, { partitionKeys: ["nope"] }, "Partition key 'nope' does not exist"],
      [LOG_SCHEMA, { bucketKeys: ["nope"] }, "Bucket key 'nope' does not exist"],
      [LOG_SCHEMA, { partitionKeys: ["region"], bucketKeys: ["region"] }, "Bucket key region shouldn't include any column in partition keys"],
      [SCHEMA_0, { partitionKeys: ["b"] }, "partition key b to be part of the primary key"],
      [SCHEMA_0, { bucketKeys: ["b"] }, "bucket key(s) b are not primary keys"],
      [SCHEMA_1, { partitionKeys: ["a"] }, "no column is left for bucketing"],
      [LOG_SCHEMA, { bucketCount: 0 }, "Bucket count must be a positive integer, got 0"],
      [LOG_SCHEMA, { bucketCount: 1.5 }, "got 1.5"],
      [LOG_SCHEMA, { logFormat: "parquet" as "ARROW" }, "Unsupported log format: parquet"],
      [LOG_SCHEMA, { kvFormat: "ARROW" as "INDEXED" }, "Unsupported kv format: ARROW"],
      [LOG_SCHEMA, { properties: { "table.replication.factor": 1 as unknown as string } }, "Table property 'table.replication.factor'"],
      [LOG_SCHEMA, { customProperties: { x: null as unknown as string } }, "Custom property 'x'"],
    ];
    for (const [schema, options, message] of cases) clientError(() => new TableDescriptor(schema, options), message);
    clientError(() => new TableDescriptor({} as Schema), "needs a Schema");
    expect(new TableDescriptor(SCHEMA_0, { bucketKeys: ["a"] }).getBucketKeys()).toEqual(["a"]);
  });
});
