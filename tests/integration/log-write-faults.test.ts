/**
 * The append writer when things go away under it (it restarts and kills
 * tablet server 0 of the cluster the suite runs against; run it alone on a
 * cluster of your own, e.g.
 *   FLUSS_CLUSTER_DIR=/tmp/writer-fo FLUSS_ZK_PORT=2481 FLUSS_PORT_BASE=9422 \
 *   FLUSS_KEEP_CLUSTER=1 npx vitest run --project integration tests/integration/log-write-faults.test.ts):
 * (a) a restart while 100,000 rows stream in: afterwards every row is in the
 *     table exactly once, in order within each bucket (idempotent retries);
 * (b) a gateway crash with ProduceLog requests in flight: their answers are
 *     lost, the writer resends the same batches with the same sequences, and
 *     the server stores each row once (without idempotence this test sees
 *     duplicates and reordered rows);
 * (c) a killed server: the buffer fills up to `writer.buffer.memory-size`,
 *     then the producer waits in `ready()` instead of growing the heap, until
 *     `writer.buffer.wait-timeout-ms` turns the wait into a FlussError; once
 *     the server is back, every row taken in arrives exactly once;
 * (d) the upsert writer of a primary-key table through a restart: each key's
 *     insert reaches the changelog exactly once, in order per bucket (a resent
 *     PutKv batch stored twice would show as updates), and every key is found.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  Config,
  DataTypes,
  EARLIEST_OFFSET,
  ErrorCode,
  FlussConnection,
  FlussError,
  type FlussTable,
  type ScanRecord,
  Schema,
  TableDescriptor,
  TablePath,
} from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnGateway } from "./gateway-process.js";
import { tcpTarget, uniqueName } from "./targets.js";
import { createTableReady } from "../support/table-ready.js";

const run = promisify(execFile);
const clusterScript = new URL("../../scripts/fluss-cluster.sh", import.meta.url).pathname;
const cluster = (command: string) => run("bash", [clusterScript, command, "0"], { timeout: 120_000, env: process.env });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SCHEMA = new Schema([
  { name: "id", type: DataTypes.bigint().notNull() },
  { name: "payload", type: DataTypes.string() },
]);

/**
 * Reads every bucket of `table` until `expected` rows came (or 60 s passed): ids per bucket, in
 * offset order. `changeTypes`, when given, collects the change types seen (a primary-key table's).
 */
async function idsPerBucket(table: FlussTable, expected: number, changeTypes?: Set<string>): Promise<Map<number, bigint[]>> {
  const scanner = table.newScan().createLogScanner();
  const buckets = table.getTableInfo().numBuckets;
  for (let b = 0; b < buckets; b++) scanner.subscribe(b, EARLIEST_OFFSET);
  const ids = new Map<number, bigint[]>();
  let total = 0;
  const deadline = Date.now() + 60_000;
  while (total < expected && Date.now() < deadline) {
    const records = await scanner.poll(1000);
    for (const bucket of records.buckets()) {
      const list = ids.get(bucket.bucketId) ?? [];
      for (const r of records.records(bucket) as readonly ScanRecord[]) {
        list.push(r.row.id as bigint);
        changeTypes?.add(r.changeType);
      }
      ids.set(bucket.bucketId, list);
      total += records.records(bucket).length;
    }
  }
  // Anything beyond `expected` (a duplicate) would arrive right behind: look once more.
  const extra = await scanner.poll(1500);
  for (const bucket of extra.buckets()) {
    ids.get(bucket.bucketId)?.push(...extra.records(bucket).map((r) => r.row.id as bigint));
    for (const r of extra.records(bucket)) changeTypes?.add(r.changeType);
  }
  scanner.close();
  return ids;
}

/** Asserts that `ids` hold 0..rows-1 exactly once, increasing within each bucket. */
function expectEachRowOnceInOrder(ids: Map<number, bigint[]>, rows: number): void {
  const seen = new Set<bigint>();
  for (const [bucket, list] of ids) {
    for (let k = 0; k < list.length; k++) {
      if (k > 0 && list[k]! <= list[k - 1]!) throw new Error(`bucket ${bucket}: id ${list[k]} follows ${list[k - 1]} at position ${k}`);
      seen.add(list[k]!);
    }
  }
  expect([...ids.values()].reduce((n, list) => n + list.length, 0)).toBe(rows);
  expect(seen.size).toBe(rows);
  for (let i = 0; i < rows; i++) if (!seen.has(BigInt(i))) throw new Error(`row ${i} is missing`);
}

describe("append writer while servers go away", () => {
  let conn: FlussConnection;
  const db = uniqueName("write_faults_db");

  beforeAll(async () => {
    conn = await FlussConnection.create(tcpTarget.config());
    await conn.getAdmin().createDatabase(db);
  });

  afterAll(async () => {
    await conn?.getAdmin().dropDatabase(db, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
    await conn?.close();
  });

  async function createTable(name: string, options: ConstructorParameters<typeof TableDescriptor>[1]): Promise<FlussTable> {
    const path = new TablePath(db, name);
    await createTableReady(conn.getAdmin(), path, new TableDescriptor(SCHEMA, options));
    return conn.getTable(path);
  }

  it("(a) a restart during a stream of 100,000 rows: each row lands exactly once, in order per bucket", async () => {
    await createTable("restart", { bucketCount: 3 });
    // Small batches, so that many are in flight when the server goes down.
    const small = await FlussConnection.create(tcpTarget.config({ "writer.batch-size": "16kb" }));
    const table = await small.getTable(new TablePath(db, "restart"));
    const writer = table.newAppend().createWriter();
    const rows = 100_000;
    let restart: Promise<unknown> | undefined;
    const started = Date.now();
    for (let i = 0; i < rows; i++) {
      await writer.ready();
      writer.append({ id: BigInt(i), payload: `row ${i} of the restart test` });
      if (i % 1000 === 999) await sleep(90); // spread the stream over the restart
      if (i === 10_000) restart = cluster("restart-tablet");
    }
    const streamed = Date.now() - started;
    await restart;
    await writer.flush();
    await writer.close();

    expectEachRowOnceInOrder(await idsPerBucket(table, rows), rows);
    expect(streamed, "the stream outlasted the restart").toBeGreaterThan(8000);
    await small.close();
  }, 120_000);

  it("(b) answers lost in a crashed gateway: the batches are resent with their sequence and stored once", async () => {
    await createTable("lost_answers", { bucketCount: 2 });
    let gateway = await spawnGateway({ bootstrapServers: process.env.FLUSS_BOOTSTRAP_SERVERS! });
    const viaGateway = await FlussConnection.create(new Config({ "gateway.url": gateway.url, "writer.batch-size": "8kb" }));
    try {
      const table = await viaGateway.getTable(new TablePath(db, "lost_answers"));
      const writer = table.newAppend().createWriter();
      const rows = 40_000;
      for (let i = 0; i < rows; i++) {
        await writer.ready();
        writer.append({ id: BigInt(i), payload: `row ${i} through the gateway` });
        if (i % 2000 === 1999) await sleep(20);
        if (i === 15_000) {
          // SIGKILL with ProduceLog requests in flight: the cluster may have stored them, their answers are gone.
          await gateway.kill();
          gateway = await spawnGateway({ bootstrapServers: process.env.FLUSS_BOOTSTRAP_SERVERS!, port: gateway.port });
        }
      }
      await writer.flush();
      await writer.close();
      expectEachRowOnceInOrder(await idsPerBucket(table, rows), rows);
    } finally {
      await viaGateway.close();
      await gateway.kill();
    }
  }, 120_000);

  it("(c) a killed server: append waits at the buffer cap instead of growing the heap, then the wait times out", async () => {
    const cap = 1024 * 1024;
    const strict = await FlussConnection.create(
      tcpTarget.config({
        "writer.buffer.memory-size": cap,
        "writer.batch-size": "64kb",
        "writer.batch-timeout-ms": 20,
        "writer.buffer.wait-timeout-ms": 2000,
      }),
    );
    let killed = false;
    try {
      await createTable("killed", { bucketCount: 2, properties: { "table.log.arrow.compression.type": "NONE" } });
      const table = await strict.getTable(new TablePath(db, "killed"));
      // Killed before anything is written: with one replica, the 0.9.1 server truncates a bucket to its
      // last checkpointed high watermark when it comes back after a SIGKILL, so rows acknowledged in the
      // seconds before the kill (and the writer's sequence state) would be gone, and the next batch
      // would rightly fail with OUT_OF_ORDER_SEQUENCE.
      await cluster("kill-tablet");
      killed = true;
      const writer = table.newAppend().createWriter();
      const row = (i: number) => ({ id: BigInt(i), payload: `${i}:`.padEnd(200, String.fromCharCode(97 + (i % 26))) });
      let taken = 0;
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = 0;
      let failure: unknown;
      const waitStarted = Date.now();
      try {
        for (;;) {
          await writer.ready();
          writer.append(row(taken++));
          peak = Math.max(peak, writer.bufferedBytes);
        }
      } catch (error) {
        failure = error;
      }
      const waited = Date.now() - waitStarted;
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

      expect(failure).toBeInstanceOf(FlussError);
      expect((failure as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect((failure as FlussError).message).toContain("writer.buffer.wait-timeout-ms = 2000 ms");
      expect(peak).toBeLessThanOrEqual(cap);
      expect(peak).toBeGreaterThan(cap * 0.8);
      // Rows of about 210 bytes: the writer took about a buffer's worth, not more.
      expect(taken).toBeLessThan(cap / 150);
      expect(waited).toBeGreaterThanOrEqual(2000);
      expect(heapGrowth, `heap grew by ${heapGrowth} bytes`).toBeLessThan(48 * 1024 * 1024);
      // A producer that does not wait gets the little room left, then is told so instead of being buffered.
      let extra = 0;
      let full: unknown;
      try {
        for (;;) {
          writer.append(row(taken + extra));
          extra++;
        }
      } catch (error) {
        full = error;
      }
      expect((full as Error).message).toMatch(/writer buffer is full .*await writer\.ready\(\)/);
      expect(extra).toBeLessThan((cap - peak) / 150 + 2);
      expect(writer.bufferedBytes).toBeLessThan(cap + 1024);
      taken += extra;

      await cluster("restart-tablet");
      killed = false;
      await writer.flush();
      await writer.close();
      expect(writer.bufferedBytes).toBe(0);
      expectEachRowOnceInOrder(await idsPerBucket(table, taken), taken);
    } finally {
      if (killed) await cluster("restart-tablet");
      await strict.close();
    }
  }, 120_000);

  it("(d) a restart during a stream of 30,000 upserts: each key is inserted exactly once, in order per bucket, and found", async () => {
    const path = new TablePath(db, "restart_kv");
    const schema = new Schema([...SCHEMA.columns.map(({ name, type }) => ({ name, type }))], { primaryKeys: ["id"] });
    await createTableReady(conn.getAdmin(), path, new TableDescriptor(schema, { bucketCount: 3 }));
    const small = await FlussConnection.create(tcpTarget.config({ "writer.batch-size": "16kb" }));
    try {
      const table = await small.getTable(path);
      const writer = table.newUpsert().createWriter();
      const rows = 30_000;
      let restart: Promise<unknown> | undefined;
      const started = Date.now();
      for (let i = 0; i < rows; i++) {
        await writer.ready();
        writer.upsert({ id: BigInt(i), payload: `key ${i} of the restart test` });
        if (i % 1000 === 999) await sleep(300); // spread the stream over the restart
        if (i === 3_000) restart = cluster("restart-tablet");
      }
      const streamed = Date.now() - started;
      await restart;
      await writer.close();
      expect(streamed, "the stream outlasted the restart").toBeGreaterThan(8000);

      // Only inserts: a batch the server stored twice would have updated its keys (-U/+U).
      const changes = new Set<string>();
      expectEachRowOnceInOrder(await idsPerBucket(table, rows, changes), rows);
      expect([...changes]).toEqual(["+I"]);

      const lookuper = table.newLookup().createLookuper();
      const found = await Promise.all(Array.from({ length: rows }, (_, i) => lookuper.lookup({ id: BigInt(i) })));
      expect(found.every((row, i) => row?.payload === `key ${i} of the restart test`)).toBe(true);
    } finally {
      await small.close();
    }
  }, 180_000);
});
