/**
 * The append writer against the real cluster, over TCP and through the
 * gateway: rows of every type (nulls, edge values) under each compression
 * read back identically with the scanner; partitions (and a missing one);
 * bucket keys hashed as the Java client does; Arrow input; the "schema
 * mismatch" scenario of the official error-handling page.
 */
import {
  type AppendWriter,
  DataTypes,
  EARLIEST_OFFSET,
  ErrorCode,
  type FlussAdmin,
  FlussConnection,
  FlussError,
  type FlussTable,
  rowsToRecordBatch,
  OffsetSpec,
  type ScanRecord,
  Schema,
  TableDescriptor,
  TablePath,
} from "@fluss-edge/client";
import { Field, Int32, LargeUtf8, makeData, RecordBatch, Schema as ArrowSchema, Struct, Table as ArrowTable } from "../../packages/client/test/fixtures/arrow.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyBucketer } from "../../packages/client/src/bucketing/index.js";
import { ALL_TYPES_ROWS, ALL_TYPES_SCHEMA } from "../../packages/client/test/fixtures/all-types.js";
import { rowFromProbeJson, rowToProbeJson } from "../../packages/client/test/fixtures/probe-json.js";
import { expectFlussError } from "./expect-fluss-error.js";
import { targets, uniqueName } from "./targets.js";
import { createTableReady } from "../support/table-ready.js";

const DB = uniqueName("write_db");
const COLUMNS = ALL_TYPES_SCHEMA.columns;
/** The fixture rows as writer input: arrays in column order. */
const INPUT_ROWS = ALL_TYPES_ROWS.map((row) => rowFromProbeJson(row, COLUMNS));

/** Polls until `expected` records arrived (or `timeoutMs` passed). */
async function pollAll(scanner: { poll(ms: number): Promise<Iterable<ScanRecord>> }, expected: number, timeoutMs = 30_000): Promise<ScanRecord[]> {
  const out: ScanRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < expected && Date.now() < deadline) {
    for (const record of await scanner.poll(500)) out.push(record);
  }
  return out;
}

/** Every record of buckets 0..n-1 of a non-partitioned table, per bucket in offset order. */
async function readBuckets(table: FlussTable, expected: number): Promise<Map<number, ScanRecord[]>> {
  const scanner = table.newScan().createLogScanner();
  const buckets = table.getTableInfo().numBuckets;
  for (let b = 0; b < buckets; b++) scanner.subscribe(b, EARLIEST_OFFSET);
  const byBucket = new Map<number, ScanRecord[]>();
  let total = 0;
  const deadline = Date.now() + 30_000;
  while (total < expected && Date.now() < deadline) {
    const records = await scanner.poll(500);
    for (const bucket of records.buckets()) {
      const list = byBucket.get(bucket.bucketId) ?? [];
      list.push(...records.records(bucket));
      byBucket.set(bucket.bucketId, list);
      total += records.records(bucket).length;
    }
  }
  scanner.close();
  return byBucket;
}

let setupConn: FlussConnection;
let setupAdmin: FlussAdmin;

beforeAll(async () => {
  setupConn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
  setupAdmin = setupConn.getAdmin();
  await setupAdmin.createDatabase(DB);
});

afterAll(async () => {
  await setupAdmin?.dropDatabase(DB, { ignoreIfNotExists: true, cascade: true });
  await setupConn?.close();
});

describe.each(targets)("append writer over $name", (target) => {
  let conn: FlussConnection;
  beforeAll(async () => {
    conn = await FlussConnection.create(target.config());
  });
  afterAll(async () => {
    await conn?.close();
  });

  async function createTable(schema: Schema, options: ConstructorParameters<typeof TableDescriptor>[1] = {}): Promise<FlussTable> {
    const path = new TablePath(DB, uniqueName(`t_${target.name}`));
    await createTableReady(conn.getAdmin(), path, new TableDescriptor(schema, { bucketCount: 1, ...options }));
    return conn.getTable(path);
  }

  it.each(["NONE", "LZ4_FRAME", "ZSTD"])("appends every type, nulls and edge values, and the scanner reads them back identically (%s)", async (compression) => {
    const table = await createTable(ALL_TYPES_SCHEMA, { properties: { "table.log.arrow.compression.type": compression } });
    const writer = table.newAppend().createWriter();
    const results = INPUT_ROWS.map((row) => writer.append(row));
    // An object row may leave nullable columns out; they read back as null.
    const sparse = writer.append({ c_int: 7, c_string: "only two columns" });
    await Promise.all(results.map((r) => r.wait()));
    await sparse.wait();
    await writer.close();

    const records = await pollAll(withSubscription(table), INPUT_ROWS.length + 1);
    expect(records.map((r) => r.offset)).toEqual([...INPUT_ROWS.keys(), INPUT_ROWS.length]);
    expect(records.every((r) => r.changeType === "+A")).toBe(true);
    expect(records.slice(0, -1).map((r) => rowToProbeJson(r.row, COLUMNS))).toEqual(ALL_TYPES_ROWS);
    const last = records.at(-1)!.row;
    expect(last.c_int).toBe(7);
    expect(last.c_string).toBe("only two columns");
    expect(Object.entries(last).filter(([, v]) => v !== null).map(([k]) => k)).toEqual(["c_int", "c_string"]);
  });

  it("schema mismatch: a wrong column is a CLIENT_ERROR at append, before anything is sent", async () => {
    const table = await createTable(new Schema([{ name: "id", type: DataTypes.int().notNull() }, { name: "name", type: DataTypes.string() }]));
    const writer = table.newAppend().createWriter();
    const good = writer.append({ id: 1, name: "kept" });
    const refusals: [unknown, string][] = [
      [{ wrong_column: "value" }, "wrong_column"],
      [{ id: "1" }, "'id'"],
      [{ id: null, name: "x" }, "'id' is NOT NULL"],
      [{ id: 2 ** 40 }, "'id'"],
    ];
    for (const [row, column] of refusals) {
      let thrown: unknown;
      try {
        writer.append(row as Record<string, unknown>);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(FlussError);
      expect((thrown as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect((thrown as FlussError).message).toContain(column);
    }
    // Nothing of the refused rows went out; the good row is unharmed.
    await writer.flush();
    await good.wait();
    const latest = await conn.getAdmin().listOffsets(table.getTablePath(), [0], OffsetSpec.latest());
    expect(latest.get(0)).toBe(1);
    await writer.close();
    expect(() => writer.append({ id: 3 })).toThrow(/closed/);
  });

  it("routes rows of a partitioned table to their partitions; rows for a missing partition fail with PARTITION_NOT_EXISTS", async () => {
    const schema = new Schema([
      { name: "id", type: DataTypes.bigint() },
      { name: "region", type: DataTypes.string().notNull() },
      { name: "amount", type: DataTypes.decimal(10, 2) },
    ]);
    const table = await createTable(schema, { partitionKeys: ["region"], bucketCount: 2 });
    const admin = conn.getAdmin();
    await admin.createPartition(table.getTablePath(), { region: "EU" });
    await admin.createPartition(table.getTablePath(), { region: "US" });
    const writer = table.newAppend().createWriter();
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: BigInt(i), region: i % 2 === 0 ? "EU" : "US", amount: `${i}.50` }));
    for (const row of rows) writer.append(row);
    // Fire-and-forget rows for a partition that does not exist: nothing crashes, flush reports them.
    writer.append({ id: 100n, region: "APAC", amount: "1.00" });
    const missing = writer.append({ id: 101n, region: "APAC", amount: "2.00" });
    const error = await expectFlussError(writer.flush(), ErrorCode.PARTITION_NOT_EXISTS);
    expect(error.message).toContain("APAC");
    await expectFlussError(missing.wait(), ErrorCode.PARTITION_NOT_EXISTS);
    await writer.flush(); // reported once
    await writer.close();

    const partitions = await admin.listPartitionInfos(table.getTablePath());
    const scanner = table.newScan().createLogScanner();
    for (const p of partitions) for (const b of [0, 1]) scanner.subscribePartition(p.partitionId, b, EARLIEST_OFFSET);
    const records = await pollAll(scanner, rows.length);
    const byRegion = new Map<string, bigint[]>();
    for (const r of records) {
      const region = r.row.region as string;
      byRegion.set(region, [...(byRegion.get(region) ?? []), r.row.id as bigint]);
    }
    expect([...byRegion.keys()].sort()).toEqual(["EU", "US"]);
    expect(byRegion.get("EU")!.sort((a, b) => Number(a - b))).toEqual(rows.filter((r) => r.region === "EU").map((r) => r.id));
    expect(byRegion.get("US")!.length).toBe(20);
    expect(records.find((r) => r.row.id === 3n)!.row.amount).toBe("3.50");
  });

  it("hashes bucket keys exactly as the Java client, so equal keys share a bucket", async () => {
    const schema = new Schema([
      { name: "user", type: DataTypes.string() },
      { name: "n", type: DataTypes.int() },
    ]);
    const table = await createTable(schema, { bucketKeys: ["user"], bucketCount: 4 });
    const writer = table.newAppend().createWriter();
    const users = ["alice", "bob", "carol", "dave", "eve", "日本", ""];
    const rows = Array.from({ length: 70 }, (_, n) => ({ user: users[n % users.length]!, n }));
    for (const row of rows) writer.append(row);
    await writer.close();

    const bucketer = new KeyBucketer(table.getTableInfo());
    const byBucket = await readBuckets(table, rows.length);
    let total = 0;
    for (const [bucket, records] of byBucket) {
      for (const r of records) expect(bucketer.bucketOf(r.row), `${String(r.row.user)} in bucket ${bucket}`).toBe(bucket);
      // Within a bucket, rows keep the order they were appended in.
      const ns = records.map((r) => r.row.n as number);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
      total += records.length;
    }
    expect(total).toBe(rows.length);
    expect(byBucket.size).toBeGreaterThan(1);
  });

  it("writes Arrow tables and record batches, and checks their schema against the table", async () => {
    const table = await createTable(ALL_TYPES_SCHEMA, { bucketCount: 2 });
    const writer = table.newAppend().createWriter();
    // The public helper that builds a batch in the table's layout from rows.
    const batch = rowsToRecordBatch(table.getTableInfo().schema, INPUT_ROWS);
    const first = await writer.writeArrow(new ArrowTable(batch));
    const second = await writer.writeArrowBatch(batch.slice(0, 5));
    await Promise.all([first.wait(), second.wait()]);

    // A schema that differs in one column is refused, naming it, and nothing of it is written.
    const wrongType = new ArrowSchema(
      batch.schema.fields.map((f) => (f.name === "c_string" ? new Field("c_string", new LargeUtf8(), true) : f)),
    );
    await expect(writer.writeArrowBatch(new RecordBatch(wrongType, batch.data))).rejects.toMatchObject({
      errorCode: ErrorCode.CLIENT_ERROR,
      message: expect.stringContaining("column 'c_string'"),
    });
    const renamed = new ArrowSchema([new Field("id", new Int32(), true)]);
    const tiny = new RecordBatch(renamed, makeData({ type: new Struct(renamed.fields), length: 0, nullCount: 0, children: [makeData({ type: new Int32(), length: 0 })] }));
    await expect(writer.writeArrowBatch(tiny)).rejects.toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR, message: expect.stringContaining("'id'") });
    await writer.close();

    const expected = [...ALL_TYPES_ROWS, ...ALL_TYPES_ROWS.slice(0, 5)];
    const byBucket = await readBuckets(table, expected.length);
    const read = [...byBucket.values()].flat();
    expect(read).toHaveLength(expected.length);
    const key = (row: unknown[]) => JSON.stringify(row);
    expect(read.map((r) => key(rowToProbeJson(r.row, COLUMNS))).sort()).toEqual(expected.map(key).sort());
  });

  it("writes Arrow input to a partitioned table row by row", async () => {
    const schema = new Schema([
      { name: "id", type: DataTypes.int() },
      { name: "day", type: DataTypes.date().notNull() },
    ]);
    const table = await createTable(schema, { partitionKeys: ["day"] });
    await conn.getAdmin().createPartition(table.getTablePath(), { day: "2025-05-27" });
    const writer: AppendWriter = table.newAppend().createWriter();
    const result = await writer.writeArrowBatch(rowsToRecordBatch(schema, [[1, 20235], [2, 20235], [3, 20235]]));
    await result.wait();
    await writer.close();
    const [partition] = await conn.getAdmin().listPartitionInfos(table.getTablePath());
    expect(partition!.partitionName).toBe("2025-05-27");
    const scanner = table.newScan().createLogScanner();
    scanner.subscribePartition(partition!.partitionId, 0, EARLIEST_OFFSET);
    expect((await pollAll(scanner, 3)).map((r) => r.row)).toEqual([
      { id: 1, day: 20235 },
      { id: 2, day: 20235 },
      { id: 3, day: 20235 },
    ]);
  });

  it.each(["0", "1"])("writes without idempotence with writer.acks = %s", async (acks) => {
    const log = await createTable(new Schema([{ name: "id", type: DataTypes.int() }]), { bucketCount: 2 });
    const relaxed = await FlussConnection.create(
      target.config({ "writer.acks": acks, "writer.enable-idempotence": false, "writer.bucket.no-key-assigner": "round_robin" }),
    );
    try {
      const writer = (await relaxed.getTable(log.getTablePath())).newAppend().createWriter();
      for (let id = 0; id < 50; id++) writer.append([id]);
      await writer.close();
      const byBucket = await readBuckets(log, 50);
      expect([...byBucket.values()].map((records) => records.length)).toEqual([25, 25]);
      expect([...byBucket.values()].flat().map((r) => r.row.id as number).sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    } finally {
      await relaxed.close();
    }
  });

  it("compresses full batches off the JS thread where it can, and keeps every bucket's rows in order", async () => {
    // ZSTD (the default) and batches well above the writer's off-thread threshold (64 KiB): with a
    // codec that has compressAsync (native zstd on Node 22, the worker pool on Node 20, both only
    // where there are more than 2 cores) several batches of each bucket are compressing at once and
    // may finish in any order; on 2 cores they are compressed in line, and the order holds as well.
    const schema = new Schema([
      { name: "id", type: DataTypes.bigint().notNull() },
      { name: "payload", type: DataTypes.string() },
    ]);
    const log = await createTable(schema, { bucketCount: 3 });
    const big = await FlussConnection.create(target.config({ "writer.batch-size": "96kb", "writer.bucket.no-key-assigner": "round_robin" }));
    try {
      const writer = (await big.getTable(log.getTablePath())).newAppend().createWriter();
      const payload = (i: number): string => `${i.toString(36)}:${(i * 2654435761).toString(16)}`.padEnd(200, String.fromCharCode(97 + (i % 26)));
      const rows = 12_000;
      for (let i = 0; i < rows; i++) writer.append({ id: BigInt(i), payload: payload(i) });
      await writer.close();
      expect(writer.bufferedBytes).toBe(0);
      const byBucket = await readBuckets(log, rows);
      let total = 0;
      for (const records of byBucket.values()) {
        const ids = records.map((r) => Number(r.row.id as bigint));
        // Round robin row by row: each bucket holds every third id, in append order.
        ids.forEach((id, k) => expect(id).toBe(ids[0]! + 3 * k));
        for (const r of records) expect(r.row.payload).toBe(payload(Number(r.row.id as bigint)));
        total += ids.length;
      }
      expect(byBucket.size).toBe(3);
      expect(total).toBe(rows);
    } finally {
      await big.close();
    }
  });

  it("refuses primary-key tables and settings that do not go together", async () => {
    const pk = await createTable(new Schema([{ name: "id", type: DataTypes.int().notNull() }], { primaryKeys: ["id"] }));
    expect(() => pk.newAppend()).toThrow(/primary key/);
    const log = await createTable(new Schema([{ name: "id", type: DataTypes.int() }]));
    const strict = await FlussConnection.create(target.config({ "writer.acks": "1" }));
    try {
      const table = await strict.getTable(log.getTablePath());
      expect(() => table.newAppend().createWriter()).toThrow(/writer\.acks/);
    } finally {
      await strict.close();
    }
  });

  function withSubscription(table: FlussTable) {
    const scanner = table.newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    return scanner;
  }
});
