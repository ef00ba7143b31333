/**
 * The append writer when tablet server 0 goes away (it restarts or kills
 * tablet server 0 of the cluster the suite runs against; run it alone on a
 * cluster of your own, e.g.
 *   FLUSS_CLUSTER_DIR=/tmp/writer-fo FLUSS_ZK_PORT=2481 FLUSS_PORT_BASE=9422 \
 *   FLUSS_KEEP_CLUSTER=1 npx vitest run --project integration tests/integration/log-write-faults.test.ts):
 * (a) a restart while 100,000 rows stream in: afterwards every row is in the
 *     table exactly once, in order within each bucket (idempotent retries);
 * (b) a killed server: the buffer fills up to `writer.buffer.memory-size`,
 *     then the producer waits in `ready()` instead of growing the heap, until
 *     `writer.buffer.wait-timeout-ms` turns the wait into a FlussError; once
 *     the server is back, every row taken in arrives.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
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
import { tcpTarget, uniqueName } from "./targets.js";

const run = promisify(execFile);
const clusterScript = new URL("../../scripts/fluss-cluster.sh", import.meta.url).pathname;
const cluster = (command: string) => run("bash", [clusterScript, command, "0"], { timeout: 120_000, env: process.env });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SCHEMA = new Schema([
  { name: "id", type: DataTypes.bigint().notNull() },
  { name: "payload", type: DataTypes.string() },
]);

/** Reads every bucket of `table` until `expected` rows came (or 60 s passed): ids per bucket, in offset order. */
async function idsPerBucket(table: FlussTable, expected: number): Promise<Map<number, bigint[]>> {
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
      for (const r of records.records(bucket) as readonly ScanRecord[]) list.push(r.row.id as bigint);
      ids.set(bucket.bucketId, list);
      total += records.records(bucket).length;
    }
  }
  // Anything beyond `expected` (a duplicate) would arrive right behind: look once more.
  const extra = await scanner.poll(1500);
  for (const bucket of extra.buckets()) ids.get(bucket.bucketId)?.push(...extra.records(bucket).map((r) => r.row.id as bigint));
  scanner.close();
  return ids;
}

describe("append writer while tablet server 0 goes away", () => {
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
    await conn.getAdmin().createTable(path, new TableDescriptor(SCHEMA, options));
    return conn.getTable(path);
  }

  it("(a) a restart during a stream of 100,000 rows: each row lands exactly once, in order per bucket", async () => {
    const table = await createTable("restart", { bucketCount: 3 });
    const writer = table.newAppend().createWriter();
    const rows = 100_000;
    let restart: Promise<unknown> | undefined;
    const started = Date.now();
    for (let i = 0; i < rows; i++) {
      await writer.ready();
      writer.append({ id: BigInt(i), payload: `row ${i} of the restart test` });
      if (i % 1000 === 999) await sleep(50); // spread the stream over the restart
      if (i === 10_000) restart = cluster("restart-tablet");
    }
    const streamed = Date.now() - started;
    await restart;
    await writer.flush();
    await writer.close();

    const ids = await idsPerBucket(table, rows);
    const all: bigint[] = [];
    for (const [bucket, list] of ids) {
      for (let k = 1; k < list.length; k++) {
        if (list[k]! <= list[k - 1]!) throw new Error(`bucket ${bucket}: id ${list[k]} follows ${list[k - 1]} at position ${k}`);
      }
      all.push(...list);
    }
    expect(all.length).toBe(rows);
    const unique = new Set(all);
    expect(unique.size).toBe(rows);
    expect(Math.min(...all.map(Number))).toBe(0);
    expect(Math.max(...all.map(Number))).toBe(rows - 1);
    expect(streamed, "the stream overlapped the restart").toBeGreaterThan(3000);
  }, 120_000);

  it("(b) a killed server: append waits at the buffer cap instead of growing the heap, then the wait times out", async () => {
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
      const writer = table.newAppend().createWriter();
      const row = (i: number) => ({ id: BigInt(i), payload: `${i}:`.padEnd(200, String.fromCharCode(97 + (i % 26))) });
      let taken = 0;
      for (; taken < 100; taken++) writer.append(row(taken));
      await writer.flush(); // writer id and leaders are known now

      await cluster("kill-tablet");
      killed = true;
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
      expect(taken).toBeLessThan(100 + cap / 150);
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
      const ids = await idsPerBucket(table, taken);
      const all = [...ids.values()].flat();
      expect(all.length).toBe(taken);
      expect(new Set(all).size).toBe(taken);
    } finally {
      if (killed) await cluster("restart-tablet");
      await strict.close();
    }
  }, 120_000);
});
