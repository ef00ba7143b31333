import { describe, expect, it } from "vitest";
import { TableDescriptor, TableInfo, TablePath } from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

/**
 * A table_json as a 0.9.1 coordinator returns it from GetTableInfo for
 * `CREATE TABLE orders (dt STRING, id BIGINT, region STRING, amount DECIMAL(12,2), tags ARRAY<STRING>,
 * PRIMARY KEY (dt, id)) PARTITIONED BY (dt)` created without bucket count or replication factor:
 * the server filled bucket_count (default.bucket.number), table.replication.factor and
 * table.kv.format-version, and `toTableDescriptor()` always writes bucket_key and bucket_count.
 */
const TABLE_JSON = JSON.stringify({
  version: 1,
  schema: {
    version: 1,
    columns: [
      { name: "dt", data_type: { type: "STRING", nullable: false }, comment: "day", id: 0 },
      { name: "id", data_type: { type: "BIGINT", nullable: false }, id: 1 },
      { name: "region", data_type: { type: "STRING" }, id: 2 },
      { name: "amount", data_type: { type: "DECIMAL", precision: 12, scale: 2 }, id: 3 },
      { name: "tags", data_type: { type: "ARRAY", element_type: { type: "STRING" } }, id: 4 },
    ],
    primary_key: ["dt", "id"],
    highest_field_id: 4,
  },
  comment: "orders by day",
  partition_key: ["dt"],
  bucket_key: ["id"],
  bucket_count: 3,
  properties: {
    "table.auto-partition.enabled": "true",
    "table.auto-partition.time-unit": "DAY",
    "table.replication.factor": "1",
    "table.kv.format-version": "2",
  },
  custom_properties: { owner: "analytics" },
});

describe("TableInfo", () => {
  const path = new TablePath("shop", "orders");
  const info = TableInfo.fromTableJson(path, 17n, 1, new TextEncoder().encode(TABLE_JSON), 1735689600000n, 1735689600123n);

  it("exposes the pyfluss properties and methods", () => {
    expect(info.tablePath.equals(path)).toBe(true);
    expect(info.tableId).toBe(17);
    expect(info.schemaId).toBe(1);
    expect(info.createdTime).toBe(1735689600000);
    expect(info.modifiedTime).toBe(1735689600123);
    expect(info.numBuckets).toBe(3);
    expect(info.comment).toBe("orders by day");
    expect(info.getPrimaryKeys()).toEqual(["dt", "id"]);
    expect(info.getPhysicalPrimaryKeys()).toEqual(["id"]);
    expect(info.getBucketKeys()).toEqual(["id"]);
    expect(info.getPartitionKeys()).toEqual(["dt"]);
    expect(info.hasPrimaryKey()).toBe(true);
    expect(info.isPartitioned()).toBe(true);
    expect(info.isDefaultBucketKey()).toBe(true);
    expect(info.getProperties()["table.replication.factor"]).toBe("1");
    expect(info.getCustomProperties()).toEqual({ owner: "analytics" });
    expect(info.getColumnNames()).toEqual(["dt", "id", "region", "amount", "tags"]);
    expect(info.getColumnCount()).toBe(5);
    expect(info.getSchema().getColumnTypes()).toEqual(["string NOT NULL", "bigint NOT NULL", "string", "decimal(12,2)", "array<string>"]);
    expect(info.schema.columns[0]?.comment).toBe("day");
    expect(info.getRowType().getFieldCount()).toBe(5);
  });

  it("gives back the stored descriptor", () => {
    const d = info.toTableDescriptor();
    expect(d).toBeInstanceOf(TableDescriptor);
    expect(JSON.stringify(d.toJson())).toBe(TABLE_JSON);
  });

  it("is built from a GetTableInfo response message", () => {
    const fromResponse = TableInfo.fromResponse(path, {
      tableId: 17n,
      schemaId: 1,
      tableJson: new TextEncoder().encode(TABLE_JSON),
      createdTime: 1n,
      modifiedTime: 2n,
    });
    expect(fromResponse.tableId).toBe(17);
    expect(fromResponse.modifiedTime).toBe(2);
  });

  it("handles a log table with the server-filled bucket count and empty bucket key", () => {
    const json = {
      version: 1,
      schema: { version: 1, columns: [{ name: "a", data_type: { type: "INTEGER" }, id: 0 }], highest_field_id: 0 },
      partition_key: [],
      bucket_key: [],
      bucket_count: 1,
      properties: { "table.replication.factor": "1" },
      custom_properties: {},
    };
    const log = TableInfo.fromTableJson(path, 1, 0, JSON.stringify(json), 0, 0);
    expect(log.hasPrimaryKey()).toBe(false);
    expect(log.getBucketKeys()).toEqual([]);
    expect(log.getPhysicalPrimaryKeys()).toEqual([]);
    expect(log.isDefaultBucketKey()).toBe(true);
    expect(log.comment).toBeUndefined();
  });

  it("fails clearly on bad input", () => {
    const noCount = JSON.stringify({ version: 1, schema: JSON.parse(TABLE_JSON).schema as unknown, partition_key: ["dt"] });
    clientError(() => TableInfo.fromTableJson(path, 1, 1, noCount, 0, 0), "no bucket count");
    clientError(() => TableInfo.fromTableJson(path, 2n ** 60n, 1, TABLE_JSON, 0, 0), "Table id", "does not fit");
    clientError(() => TableInfo.fromTableJson(path, 1, 1, "{", 0, 0), "Malformed table_json");
  });
});
