import {
  DataTypes,
  type FlussAdmin,
  FlussConnection,
  OffsetSpec,
  Schema,
  TableDescriptor,
  TablePath,
} from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTableReady } from "../support/table-ready.js";
import { ErrorCode, expectFlussError } from "./expect-fluss-error.js";
import { targets, uniqueName } from "./targets.js";

describe.each(targets)("admin over $name", (target) => {
  let conn: FlussConnection;
  let admin: FlussAdmin;
  const db = uniqueName("admin_db");

  beforeAll(async () => {
    conn = await FlussConnection.create(target.config());
    admin = conn.getAdmin();
    await admin.createDatabase(db, { comment: "integration tests", customProperties: { owner: "fluss-edge" } });
  });

  afterAll(async () => {
    await admin?.dropDatabase(db, { ignoreIfNotExists: true, cascade: true });
    await conn?.close();
  });

  const logSchema = () =>
    new Schema([
      { name: "id", type: DataTypes.int() },
      { name: "name", type: DataTypes.string(), comment: "display name" },
      { name: "ts", type: DataTypes.timestampLtz(3) },
    ]);

  describe("databases", () => {
    it("creates, finds, describes and lists a database", async () => {
      expect(await admin.databaseExists(db)).toBe(true);
      expect(await admin.listDatabases()).toContain(db);
      const info = await admin.getDatabaseInfo(db);
      expect(info.databaseName).toBe(db);
      expect(info.getDatabaseDescriptor().comment).toBe("integration tests");
      expect(info.getDatabaseDescriptor().getCustomProperties()).toEqual({ owner: "fluss-edge" });
      expect(info.createdTime).toBeGreaterThan(0);
      expect(info.modifiedTime).toBeGreaterThanOrEqual(info.createdTime);
    });

    it("refuses a second database of the same name with DATABASE_ALREADY_EXIST, unless ignoreIfExists", async () => {
      await expectFlussError(admin.createDatabase(db), ErrorCode.DATABASE_ALREADY_EXIST);
      await admin.createDatabase(db, { ignoreIfExists: true });
    });

    it("drops a database, and reports a missing one with DATABASE_NOT_EXIST unless ignoreIfNotExists", async () => {
      const doomed = uniqueName("doomed_db");
      await admin.createDatabase(doomed);
      await admin.dropDatabase(doomed);
      expect(await admin.databaseExists(doomed)).toBe(false);
      await expectFlussError(admin.dropDatabase(doomed), ErrorCode.DATABASE_NOT_EXIST);
      await admin.dropDatabase(doomed, { ignoreIfNotExists: true });
    });

    it("refuses to drop a non-empty database without cascade", async () => {
      const full = uniqueName("full_db");
      await admin.createDatabase(full);
      await admin.createTable(new TablePath(full, "t"), new TableDescriptor(logSchema()));
      await expectFlussError(admin.dropDatabase(full, { cascade: false }), ErrorCode.DATABASE_NOT_EMPTY);
      await admin.dropDatabase(full, { cascade: true });
      expect(await admin.databaseExists(full)).toBe(false);
    });
  });

  describe("tables", () => {
    it("creates a log table and reads back its TableInfo", async () => {
      const path = new TablePath(db, "events");
      const descriptor = new TableDescriptor(logSchema(), {
        bucketCount: 3,
        bucketKeys: ["id"],
        comment: "event log",
        properties: { "table.log.ttl": "2d" },
        customProperties: { team: "edge" },
      });
      await admin.createTable(path, descriptor);
      expect(await admin.tableExists(path)).toBe(true);
      expect(await admin.listTables(db)).toContain("events");

      const info = await admin.getTableInfo(path);
      expect(info.tablePath.toString()).toBe(`${db}.events`);
      expect(info.tableId).toBeGreaterThanOrEqual(0);
      expect(info.schemaId).toBeGreaterThanOrEqual(0);
      expect(info.numBuckets).toBe(3);
      expect(info.getBucketKeys()).toEqual(["id"]);
      expect(info.getPartitionKeys()).toEqual([]);
      expect(info.hasPrimaryKey()).toBe(false);
      expect(info.isPartitioned()).toBe(false);
      expect(info.comment).toBe("event log");
      expect(info.getProperties()["table.log.ttl"]).toBe("2d");
      expect(info.getCustomProperties()).toEqual({ team: "edge" });
      expect(info.getColumnNames()).toEqual(["id", "name", "ts"]);
      expect(info.getSchema().columns.map((c) => c.type.toString())).toEqual(["INT", "STRING", "TIMESTAMP_LTZ(3)"]);
      expect(info.createdTime).toBeGreaterThan(0);
    });

    it("creates a primary-key table whose key columns become NOT NULL", async () => {
      const path = new TablePath(db, "users");
      const schema = new Schema(
        [
          { name: "uid", type: DataTypes.bigint() },
          { name: "region", type: DataTypes.string() },
          { name: "score", type: DataTypes.double() },
        ],
        { primaryKeys: ["uid"] },
      );
      await admin.createTable(path, new TableDescriptor(schema, { bucketCount: 2 }));
      const info = await admin.getTableInfo(path);
      expect(info.hasPrimaryKey()).toBe(true);
      expect(info.getPrimaryKeys()).toEqual(["uid"]);
      expect(info.getBucketKeys()).toEqual(["uid"]);
      expect(info.getSchema().columns[0]!.type.toString()).toBe("BIGINT NOT NULL");
    });

    it("reports TABLE_ALREADY_EXIST, TABLE_NOT_EXIST and DATABASE_NOT_EXIST", async () => {
      const path = new TablePath(db, "twice");
      await admin.createTable(path, new TableDescriptor(logSchema()));
      await expectFlussError(admin.createTable(path, new TableDescriptor(logSchema())), ErrorCode.TABLE_ALREADY_EXIST);
      await admin.createTable(path, new TableDescriptor(logSchema()), { ignoreIfExists: true });

      await admin.dropTable(path);
      expect(await admin.tableExists(path)).toBe(false);
      await expectFlussError(admin.dropTable(path), ErrorCode.TABLE_NOT_EXIST);
      await admin.dropTable(path, { ignoreIfNotExists: true });
      await expectFlussError(admin.getTableInfo(path), ErrorCode.TABLE_NOT_EXIST);

      const orphan = new TablePath(uniqueName("no_such_db"), "t");
      await expectFlussError(admin.createTable(orphan, new TableDescriptor(logSchema())), ErrorCode.DATABASE_NOT_EXIST);
    });

    it("lists offsets of an empty table: earliest, latest and by timestamp", async () => {
      const path = new TablePath(db, "offsets");
      // Offsets need bucket leaders: wait for them (Fluss 0.9.1's coordinator can miss a new table).
      await createTableReady(admin, path, new TableDescriptor(logSchema(), { bucketCount: 2 }));
      const buckets = [0, 1];
      for (const spec of [OffsetSpec.earliest(), OffsetSpec.latest(), OffsetSpec.timestamp(Date.now() - 60_000)]) {
        const offsets = await admin.listOffsets(path, buckets, spec);
        expect([...offsets.keys()].sort()).toEqual(buckets);
        for (const offset of offsets.values()) expect(offset).toBe(0);
      }
    });
  });

  describe("partitions", () => {
    const path = () => new TablePath(db, "by_region");

    beforeAll(async () => {
      const schema = new Schema([
        { name: "id", type: DataTypes.int() },
        { name: "region", type: DataTypes.string() },
        { name: "day", type: DataTypes.string() },
      ]);
      await admin.createTable(path(), new TableDescriptor(schema, { partitionKeys: ["region", "day"], bucketCount: 2 }));
    });

    it("creates, lists, filters and drops partitions", async () => {
      await admin.createPartition(path(), { region: "US", day: "2026-11-26" });
      await admin.createPartition(path(), { region: "EU", day: "2026-11-26" });
      const info = await admin.getTableInfo(path());
      expect(info.isPartitioned()).toBe(true);
      expect(info.getPartitionKeys()).toEqual(["region", "day"]);

      const all = await admin.listPartitionInfos(path());
      expect(all.map((p) => p.partitionName).sort()).toEqual(["EU$2026-11-26", "US$2026-11-26"]);
      for (const partition of all) expect(partition.partitionId).toBeGreaterThanOrEqual(0);
      const us = await admin.listPartitionInfos(path(), { region: "US" });
      expect(us.map((p) => p.partitionName)).toEqual(["US$2026-11-26"]);

      const offsets = await admin.listPartitionOffsets(path(), "US$2026-11-26", [0, 1], OffsetSpec.latest());
      expect(Object.fromEntries(offsets)).toEqual({ 0: 0, 1: 0 });

      await admin.dropPartition(path(), { region: "EU", day: "2026-11-26" });
      expect((await admin.listPartitionInfos(path())).map((p) => p.partitionName)).toEqual(["US$2026-11-26"]);
    });

    it("reports PARTITION_ALREADY_EXISTS, PARTITION_NOT_EXISTS and PARTITION_SPEC_INVALID_EXCEPTION", async () => {
      const spec = { region: "APAC", day: "2026-11-27" };
      await admin.createPartition(path(), spec);
      await expectFlussError(admin.createPartition(path(), spec), ErrorCode.PARTITION_ALREADY_EXISTS);
      await admin.createPartition(path(), spec, { ignoreIfExists: true });

      const missing = { region: "MARS", day: "2026-11-27" };
      await expectFlussError(admin.dropPartition(path(), missing), ErrorCode.PARTITION_NOT_EXISTS);
      await admin.dropPartition(path(), missing, { ignoreIfNotExists: true });

      await expectFlussError(
        admin.createPartition(path(), { id: "1", day: "2026-11-27" }),
        ErrorCode.PARTITION_SPEC_INVALID_EXCEPTION,
      );
    });
  });

  it("lists the cluster's servers", async () => {
    const nodes = await admin.getServerNodes();
    const coordinators = nodes.filter((n) => n.serverType === "CoordinatorServer");
    const tablets = nodes.filter((n) => n.serverType === "TabletServer");
    expect(coordinators).toHaveLength(1);
    expect(tablets.length).toBeGreaterThanOrEqual(1);
    for (const node of nodes) {
      expect(node.host).toBe("127.0.0.1");
      expect(node.port).toBeGreaterThan(0);
    }
    expect(coordinators[0]!.uid).toBe(`cs-${coordinators[0]!.id}`);
  });
});
