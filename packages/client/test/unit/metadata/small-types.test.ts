import { describe, expect, it } from "vitest";
import {
  DatabaseDescriptor,
  DatabaseInfo,
  EARLIEST_OFFSET,
  OffsetSpec,
  PartitionInfo,
  ServerNode,
  TableBucket,
  TablePath,
} from "../../../src/metadata/index.js";
import { toSafeNumber } from "../../../src/metadata/numbers.js";
import { clientError } from "./helpers.js";

describe("TablePath", () => {
  it("prints db.table and compares by value", () => {
    const p = new TablePath("fluss", "orders_2024-x");
    expect(String(p)).toBe("fluss.orders_2024-x");
    expect(p.tablePathStr()).toBe("fluss.orders_2024-x");
    expect(p.equals(TablePath.of("fluss", "orders_2024-x"))).toBe(true);
    expect(p.equals(new TablePath("fluss", "orders"))).toBe(false);
    expect(new TablePath("a".repeat(200), "t").databaseName).toHaveLength(200);
  });

  it("rejects names Fluss cannot store, naming them", () => {
    clientError(() => new TablePath("", "t"), "Database name", "empty string");
    clientError(() => new TablePath("db", "my.table"), "Table name my.table is invalid", "ASCII alphanumerics");
    clientError(() => new TablePath("db", "ta ble"), "Table name ta ble");
    clientError(() => new TablePath("db", "ü"), "Table name ü");
    clientError(() => new TablePath("db", "."), "'.' is not allowed");
    clientError(() => new TablePath("db", "t".repeat(201)), "max allowed length 200");
    clientError(() => new TablePath(undefined as unknown as string, "t"), "Database name");
  });

  it("rejects the reserved __ prefix only when validating for creation", () => {
    const internal = new TablePath("__internal", "t");
    clientError(() => internal.validate(), "Database name __internal", "'__' is not allowed as prefix");
    clientError(() => TablePath.validateTableName("__t"), "Table name __t");
    clientError(() => TablePath.validateDatabaseName("a/b"), "Database name a/b");
    expect(() => new TablePath("db", "t").validate()).not.toThrow();
  });
});

describe("DatabaseDescriptor and DatabaseInfo", () => {
  it("write Java's database_json", () => {
    const d = new DatabaseDescriptor({ comment: "shop data", customProperties: { owner: "me" } });
    expect(new TextDecoder().decode(d.toJsonBytes())).toBe('{"version":1,"comment":"shop data","custom_properties":{"owner":"me"}}');
    expect(JSON.stringify(new DatabaseDescriptor().toJson())).toBe('{"version":1,"custom_properties":{}}');
  });

  it("read database_json into DatabaseInfo", () => {
    const info = DatabaseInfo.fromResponse("shop", new TextEncoder().encode('{"version":1,"comment":"x","custom_properties":{"k":"v"}}'), 5n, 6n);
    expect(info.databaseName).toBe("shop");
    expect(info.comment).toBe("x");
    expect(info.customProperties).toEqual({ k: "v" });
    expect(info.getDatabaseDescriptor().getCustomProperties()).toEqual({ k: "v" });
    expect([info.createdTime, info.modifiedTime]).toEqual([5, 6]);
    expect(DatabaseDescriptor.fromJson({ version: 1 }).comment).toBeUndefined();
    clientError(() => new DatabaseDescriptor({ customProperties: { a: 1 as unknown as string } }), "Custom property 'a'");
    clientError(() => DatabaseDescriptor.fromJsonBytes("[]"), "database_json");
  });
});

describe("small value types", () => {
  it("TableBucket", () => {
    const a = new TableBucket(7n, 2);
    const b = TableBucket.withPartition(7, 11n, 2);
    expect(a.partitionId).toBeUndefined();
    expect(b.partitionId).toBe(11);
    expect(a.equals(new TableBucket(7, 2))).toBe(true);
    expect(a.equals(b)).toBe(false);
    expect(a.key).not.toBe(b.key);
    expect(String(b)).toBe("TableBucket(tableId=7, partitionId=11, bucket=2)");
    clientError(() => new TableBucket(1, 2 ** 31), "Bucket id");
  });

  it("PartitionInfo", () => {
    const p = PartitionInfo.fromResponse({
      partitionId: 3n,
      partitionSpec: { partitionKeyValues: [{ key: "region", value: "US" }, { key: "year", value: "2024" }] },
    });
    expect(p.partitionId).toBe(3);
    expect(p.partitionName).toBe("US$2024");
    expect(p.partitionSpec).toEqual({ region: "US", year: "2024" });
    expect(new PartitionInfo(4, "EU").partitionSpec).toBeUndefined();
    clientError(() => PartitionInfo.fromResponse({ partitionId: 1n }), "without a partition spec");
  });

  it("ServerNode", () => {
    const cs = new ServerNode(0, "localhost", 9123, "CoordinatorServer");
    const ts = new ServerNode(1, "10.0.0.2", 9124, "TabletServer", "r1");
    expect(cs.uid).toBe("cs-0");
    expect(ts.uid).toBe("ts-1");
    expect(String(ts)).toBe("10.0.0.2:9124 (id: ts-1, rack: r1)");
    expect(new ServerNode(2, "::1", 1, "TabletServer").address()).toBe("[::1]:1");
    clientError(() => new ServerNode(0, "h", 1, "Broker" as "TabletServer"), "Unknown server type Broker");
    clientError(() => new ServerNode(0, "h", 70000, "TabletServer"), "Port of server 0");
  });

  it("OffsetSpec and EARLIEST_OFFSET", () => {
    expect(EARLIEST_OFFSET).toBe(-2);
    expect(OffsetSpec.earliest().offsetType).toBe(0);
    expect(OffsetSpec.latest().offsetType).toBe(1);
    const t = OffsetSpec.timestamp(1700000000000);
    expect([t.kind, t.offsetType, t.timestamp]).toEqual(["TIMESTAMP", 2, 1700000000000]);
    expect(String(OffsetSpec.latest())).toBe("OffsetSpec.latest()");
    clientError(() => OffsetSpec.timestamp(1.5), "Offset timestamp");
  });

  it("toSafeNumber refuses int64 values a double cannot hold", () => {
    expect(toSafeNumber(2n ** 53n - 1n, "x")).toBe(Number.MAX_SAFE_INTEGER);
    clientError(() => toSafeNumber(2n ** 53n, "Offset"), "Offset 9007199254740992 does not fit");
    clientError(() => toSafeNumber(0.5, "Id"), "Id must be a safe integer");
  });
});
