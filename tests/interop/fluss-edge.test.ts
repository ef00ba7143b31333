/**
 * fluss-edge against the official clients, both ways: metadata that fluss-edge creates is seen the
 * same by the Java client and by pyfluss, and metadata they create is read back by fluss-edge with
 * the same TableInfo. Type strings are compared after peers.ts#normaliseType.
 */
import {
  type DataType,
  DataTypes,
  type FlussAdmin,
  FlussConnection,
  Schema,
  TableDescriptor,
  TablePath,
} from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peer, type TableDescription, ensurePeersReady, normaliseDescription, runJavaProbe, runProbeOf } from "./peers.js";

const RUN = Date.now().toString(36);
const DB = `interop_edge_${RUN}`;
const PEERS: readonly Peer[] = ["java", "python"];

/** Every Fluss 0.9 type, NOT NULL variants and nesting, built with fluss-edge's DataTypes. */
const ALL_TYPES: { name: string; type: DataType }[] = [
  { name: "c_boolean", type: DataTypes.boolean() },
  { name: "c_tinyint", type: DataTypes.tinyint() },
  { name: "c_smallint", type: DataTypes.smallint().notNull() },
  { name: "c_int", type: DataTypes.int() },
  { name: "c_bigint", type: DataTypes.bigint().notNull() },
  { name: "c_float", type: DataTypes.float() },
  { name: "c_double", type: DataTypes.double() },
  { name: "c_decimal_10_2", type: DataTypes.decimal(10, 2) },
  { name: "c_decimal_38_10", type: DataTypes.decimal(38, 10).notNull() },
  { name: "c_char_3", type: DataTypes.char(3) },
  { name: "c_string", type: DataTypes.string() },
  { name: "c_binary_4", type: DataTypes.binary(4) },
  { name: "c_bytes", type: DataTypes.bytes() },
  { name: "c_date", type: DataTypes.date() },
  { name: "c_time", type: DataTypes.time() },
  { name: "c_time_3", type: DataTypes.time(3) },
  { name: "c_timestamp_0", type: DataTypes.timestamp(0) },
  { name: "c_timestamp_6", type: DataTypes.timestamp() },
  { name: "c_timestamp_9", type: DataTypes.timestamp(9).notNull() },
  { name: "c_ltz_3", type: DataTypes.timestampLtz(3) },
  { name: "c_ltz_9", type: DataTypes.timestampLtz(9) },
  { name: "c_array", type: DataTypes.array(DataTypes.string()) },
  { name: "c_map", type: DataTypes.map(DataTypes.string(), DataTypes.int()) },
  {
    name: "c_row",
    type: DataTypes.row([
      DataTypes.field("a", DataTypes.int().notNull()),
      DataTypes.field("b", DataTypes.array(DataTypes.row([DataTypes.field("c", DataTypes.decimal(20, 3))]))),
    ]).notNull(),
  },
];

/** The same schema as the peers' type strings (what `create-table` takes). */
const ALL_TYPES_AS_STRINGS = ALL_TYPES.map((c) => ({ name: c.name, type: c.type.toString() }));

/** pyfluss builds schemas from pyarrow only: it has no CHAR. */
const PYFLUSS_COLUMNS = ALL_TYPES_AS_STRINGS.filter((c) => c.name !== "c_char_3");

/** A TableDescription as fluss-edge sees the table, in the probes' shape. */
async function describeWithFlussEdge(admin: FlussAdmin, table: string): Promise<TableDescription> {
  const path = new TablePath(DB, table);
  const info = await admin.getTableInfo(path);
  const partitions = info.isPartitioned() ? await admin.listPartitionInfos(path) : [];
  return {
    tableId: info.tableId,
    schemaId: info.schemaId,
    numBuckets: info.numBuckets,
    columns: info.getSchema().columns.map((c) => ({ name: c.name, type: c.type.toString(), ...(c.comment ? { comment: c.comment } : {}) })),
    primaryKeys: info.getPrimaryKeys(),
    partitionKeys: info.getPartitionKeys(),
    bucketKeys: info.getBucketKeys(),
    properties: info.getProperties(),
    customProperties: info.getCustomProperties(),
    comment: info.comment ?? null,
    partitions: partitions
      .map((p) => ({ partitionId: p.partitionId, partitionName: p.partitionName }))
      .sort((a, b) => a.partitionName.localeCompare(b.partitionName)),
    createdTime: info.createdTime,
    modifiedTime: info.modifiedTime,
  };
}

/** Only Java reports column comments; pyfluss has none. Compare the rest. */
function withoutColumnComments(description: TableDescription): TableDescription {
  return { ...description, columns: description.columns.map(({ name, type }) => ({ name, type })) };
}

function sortedPartitions(description: TableDescription): TableDescription {
  return { ...description, partitions: [...description.partitions].sort((a, b) => a.partitionName.localeCompare(b.partitionName)) };
}

async function expectPeerSees(peer: Peer, table: string, expected: TableDescription): Promise<void> {
  const seen = sortedPartitions(normaliseDescription(await runProbeOf<TableDescription>(peer, "describe-table", { database: DB, table })));
  const want = normaliseDescription(expected);
  if (peer === "java") expect(seen).toEqual(want);
  else expect(withoutColumnComments(seen)).toEqual(withoutColumnComments(want));
}

let conn: FlussConnection;
let admin: FlussAdmin;

beforeAll(async () => {
  await ensurePeersReady();
  conn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
  admin = conn.getAdmin();
  await admin.createDatabase(DB, { comment: "fluss-edge interop", customProperties: { run: RUN } });
}, 600_000);

afterAll(async () => {
  await admin?.dropDatabase(DB, { ignoreIfNotExists: true, cascade: true });
  await conn?.close();
}, 120_000);

describe("fluss-edge creates, the official clients read", () => {
  it("a database with comment and custom properties", async () => {
    for (const peer of PEERS) {
      const seen = await runProbeOf<{ name: string; comment: string | null; customProperties: Record<string, string> }>(
        peer,
        "describe-database",
        { name: DB },
      );
      expect(seen).toMatchObject({ name: DB, comment: "fluss-edge interop", customProperties: { run: RUN } });
    }
  });

  it("a log table of every data type, with comments, bucket keys and properties", async () => {
    const schema = new Schema(ALL_TYPES.map((c) => ({ ...c, ...(c.name === "c_int" ? { comment: "an int" } : {}) })));
    await admin.createTable(
      new TablePath(DB, "all_types"),
      new TableDescriptor(schema, {
        bucketCount: 5,
        bucketKeys: ["c_int", "c_string"],
        comment: "every type",
        properties: { "table.log.ttl": "3d", "table.log.arrow.compression.type": "LZ4_FRAME" },
        customProperties: { "made.by": "fluss-edge" },
      }),
    );
    const ours = await describeWithFlussEdge(admin, "all_types");
    expect(ours.numBuckets).toBe(5);
    for (const peer of PEERS) await expectPeerSees(peer, "all_types", ours);
  });

  it("a partitioned primary-key table with partitions", async () => {
    const schema = new Schema(
      [
        { name: "id", type: DataTypes.bigint() },
        { name: "region", type: DataTypes.string() },
        { name: "payload", type: DataTypes.bytes() },
      ],
      { primaryKeys: ["id", "region"] },
    );
    const path = new TablePath(DB, "pk_partitioned");
    await admin.createTable(path, new TableDescriptor(schema, { partitionKeys: ["region"], bucketCount: 3, kvFormat: "INDEXED" }));
    await admin.createPartition(path, { region: "EU" });
    await admin.createPartition(path, { region: "US" });
    const ours = await describeWithFlussEdge(admin, "pk_partitioned");
    expect(ours.partitions.map((p) => p.partitionName)).toEqual(["EU", "US"]);
    for (const peer of PEERS) await expectPeerSees(peer, "pk_partitioned", ours);
  });
});

describe("the official clients create, fluss-edge reads", () => {
  it.each(PEERS)("%s: a table of every type it can express", async (peer) => {
    const table = `from_${peer}_all_types`;
    await runProbeOf(peer, "create-table", {
      database: DB,
      table,
      columns: peer === "java" ? ALL_TYPES_AS_STRINGS : PYFLUSS_COLUMNS,
      bucketCount: 4,
      bucketKeys: ["c_int"],
      properties: { "table.log.ttl": "1d" },
      customProperties: { "made.by": peer },
      comment: `made by ${peer}`,
    });
    const theirs = await runProbeOf<TableDescription>(peer, "describe-table", { database: DB, table });
    const ours = await describeWithFlussEdge(admin, table);
    expect(normaliseDescription(ours)).toEqual(normaliseDescription(theirs));
  });

  it.each(PEERS)("%s: a partitioned primary-key table and its partitions", async (peer) => {
    const table = `from_${peer}_pk_partitioned`;
    await runProbeOf(peer, "create-table", {
      database: DB,
      table,
      columns: [
        { name: "id", type: "INT NOT NULL" },
        { name: "day", type: "STRING NOT NULL" },
        { name: "v", type: "DOUBLE" },
      ],
      primaryKeys: ["id", "day"],
      partitionKeys: ["day"],
      bucketCount: 2,
    });
    await runProbeOf(peer, "create-partition", { database: DB, table, spec: { day: "2026-11-26" } });
    const theirs = sortedPartitions(await runProbeOf<TableDescription>(peer, "describe-table", { database: DB, table }));
    const ours = await describeWithFlussEdge(admin, table);
    expect(normaliseDescription(ours)).toEqual(normaliseDescription(theirs));
    expect(ours.primaryKeys).toEqual(["id", "day"]);
    expect(ours.partitions.map((p) => p.partitionName)).toEqual(["2026-11-26"]);
  });

  it("a database made by the Java client", async () => {
    const other = `${DB}_java`;
    await runJavaProbe("create-database", { name: other, comment: "from java", customProperties: { a: "b" } });
    try {
      const info = await admin.getDatabaseInfo(other);
      expect(info.getDatabaseDescriptor().comment).toBe("from java");
      expect(info.getDatabaseDescriptor().getCustomProperties()).toEqual({ a: "b" });
    } finally {
      await admin.dropDatabase(other, { cascade: true });
    }
  });
});
