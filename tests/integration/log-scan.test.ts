/**
 * The log scanner against rows the official Java client wrote: every type,
 * each compression, projection, partitions, offsets, and a scan that follows
 * rows appended while it runs. Runs over TCP and through the gateway.
 */
import {
  EARLIEST_OFFSET,
  type FlussAdmin,
  FlussConnection,
  OffsetSpec,
  type ScanRecord,
  TablePath,
} from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_TYPES_ROWS, ALL_TYPES_SCHEMA } from "../../packages/client/test/fixtures/all-types.js";
import { rowToProbeJson, type ProbeJson } from "../../packages/client/test/fixtures/probe-json.js";
import { ensurePeersReady, runJavaProbe } from "../interop/peers.js";
import { targets, uniqueName } from "./targets.js";
import { ensureTableReady } from "../support/table-ready.js";

const DB = uniqueName("scan_db");
const COLUMNS = ALL_TYPES_SCHEMA.columns.map((c) => ({ name: c.name, type: c.type.toString() }));
/** The `table.log.format`s whose batches carry rows instead of Arrow. */
const ROW_LOG_FORMATS = ["INDEXED", "COMPACTED"] as const;
/**
 * The columns of each row-format table: every type, except CHAR in INDEXED, which the Java client
 * 0.9.1 cannot write there (`IndexedRowWriter`: ArrayIndexOutOfBoundsException on a CHAR(5) value
 * longer than 5 bytes in UTF-8, such as the fixture's non-ASCII one).
 */
const ROW_FORMAT_COLUMNS: Record<(typeof ROW_LOG_FORMATS)[number], string[]> = {
  INDEXED: ALL_TYPES_SCHEMA.getColumnNames().filter((name) => name !== "c_char"),
  COMPACTED: ALL_TYPES_SCHEMA.getColumnNames(),
};
/** The fixture's rows (probe JSON) with only `names`' values. */
function rowsOf(names: readonly string[]): ProbeJson[][] {
  const all = ALL_TYPES_SCHEMA.getColumnNames();
  return ALL_TYPES_ROWS.map((row) => names.map((name) => row[all.indexOf(name)]!));
}

async function createWithJava(table: string, extra: Record<string, unknown> = {}): Promise<void> {
  await ensureTableReady(setupAdmin, new TablePath(DB, table), () =>
    runJavaProbe("create-table", { database: DB, table, columns: COLUMNS, ...extra }),
  );
}

async function appendWithJava(table: string, rows: ProbeJson[][]): Promise<void> {
  await runJavaProbe("append-rows", { database: DB, table, rows });
}

/** Polls until `expected` records arrived (or fails after `timeoutMs`). */
async function pollAll(scanner: { poll(ms: number): Promise<Iterable<ScanRecord>> }, expected: number, timeoutMs = 30_000): Promise<ScanRecord[]> {
  const out: ScanRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < expected && Date.now() < deadline) {
    for (const record of await scanner.poll(1000)) out.push(record);
  }
  return out;
}

let setupConn: FlussConnection;
let setupAdmin: FlussAdmin;

beforeAll(async () => {
  await ensurePeersReady();
  setupConn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
  setupAdmin = setupConn.getAdmin();
  await setupAdmin.createDatabase(DB);
  for (const compression of ["NONE", "LZ4_FRAME", "ZSTD"]) {
    const table = `all_types_${compression.toLowerCase()}`;
    await createWithJava(table, { bucketCount: 1, properties: { "table.log.arrow.compression.type": compression } });
    await appendWithJava(table, ALL_TYPES_ROWS);
  }
  for (const logFormat of ROW_LOG_FORMATS) {
    const table = `all_types_${logFormat.toLowerCase()}_log`;
    const names = ROW_FORMAT_COLUMNS[logFormat];
    await ensureTableReady(setupAdmin, new TablePath(DB, table), () =>
      runJavaProbe("create-table", { database: DB, table, columns: COLUMNS.filter((c) => names.includes(c.name)), bucketCount: 1, logFormat }),
    );
    await appendWithJava(table, rowsOf(names));
  }
}, 300_000);

afterAll(async () => {
  await setupAdmin?.dropDatabase(DB, { ignoreIfNotExists: true, cascade: true });
  await setupConn?.close();
});

describe.each(targets)("log scanner over $name", (target) => {
  let conn: FlussConnection;
  beforeAll(async () => {
    conn = await FlussConnection.create(target.config());
  });
  afterAll(async () => {
    await conn?.close();
  });

  it.each(["NONE", "LZ4_FRAME", "ZSTD"])("reads every type exactly as the Java client wrote it (%s)", async (compression) => {
    const table = await conn.getTable(new TablePath(DB, `all_types_${compression.toLowerCase()}`));
    const scanner = table.newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    const records = await pollAll(scanner, ALL_TYPES_ROWS.length);
    expect(records.map((r) => r.offset)).toEqual(ALL_TYPES_ROWS.map((_, i) => i));
    expect(records.every((r) => r.changeType === "+A")).toBe(true);
    expect(records.every((r) => r.timestamp > Date.now() - 3_600_000)).toBe(true);
    const columns = ALL_TYPES_SCHEMA.columns;
    expect(records.map((r) => rowToProbeJson(r.row, columns))).toEqual(ALL_TYPES_ROWS);
  });

  it.each(ROW_LOG_FORMATS)("reads every type of a %s log table (rows, not Arrow, on the wire) as the Java client wrote it", async (logFormat) => {
    const table = await conn.getTable(new TablePath(DB, `all_types_${logFormat.toLowerCase()}_log`));
    const scanner = table.newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    const records = await pollAll(scanner, ALL_TYPES_ROWS.length);
    expect(records.map((r) => r.offset)).toEqual(ALL_TYPES_ROWS.map((_, i) => i));
    expect(records.every((r) => r.changeType === "+A")).toBe(true);
    const names = ROW_FORMAT_COLUMNS[logFormat];
    const columns = names.map((name) => ALL_TYPES_SCHEMA.columns.find((c) => c.name === name)!);
    expect(records.map((r) => rowToProbeJson(r.row, columns))).toEqual(rowsOf(names));
    await scanner.close();
  });

  it.each(ROW_LOG_FORMATS)("reads a %s log table as Arrow, equal to the same rows in an ARROW table, and projects it", async (logFormat) => {
    const arrowRows = async (name: string, project?: string[]) => {
      const scan = (await conn.getTable(new TablePath(DB, name))).newScan();
      if (project) scan.projectByName(project);
      const scanner = scan.createRecordBatchLogScanner();
      scanner.subscribe(0, EARLIEST_OFFSET);
      const rows: unknown[] = [];
      const deadline = Date.now() + 30_000;
      while (rows.length < ALL_TYPES_ROWS.length && Date.now() < deadline) {
        for (const row of (await scanner.pollArrow(1000)).toArray()) rows.push(row.toJSON());
      }
      await scanner.close();
      // Plain values (arrow-js's nested rows are views whose internals differ with their buffers).
      return JSON.parse(JSON.stringify(rows, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v))) as unknown[];
    };
    // The ARROW table has every column: read it with the row-format table's.
    const fromArrowTable = await arrowRows("all_types_none", ROW_FORMAT_COLUMNS[logFormat]);
    expect(fromArrowTable).toHaveLength(ALL_TYPES_ROWS.length);
    expect(await arrowRows(`all_types_${logFormat.toLowerCase()}_log`)).toEqual(fromArrowTable);
    // Projected by the client: the server projects ARROW batches only.
    const names = ALL_TYPES_SCHEMA.getColumnNames();
    const chosen = [names[3]!, names[0]!];
    expect(await arrowRows(`all_types_${logFormat.toLowerCase()}_log`, chosen)).toEqual(await arrowRows("all_types_none", chosen));
  });

  it("projects columns in the order asked, and starts from a given offset", async () => {
    const table = await conn.getTable(new TablePath(DB, "all_types_zstd"));
    const names = ALL_TYPES_SCHEMA.getColumnNames();
    const chosen = [names[5]!, names[0]!, names[2]!];
    const scanner = table.newScan().projectByName(chosen).createLogScanner();
    scanner.subscribe(0, 10);
    const records = await pollAll(scanner, ALL_TYPES_ROWS.length - 10);
    expect(records[0]!.offset).toBe(10);
    expect(Object.keys(records[0]!.row)).toEqual(chosen);
    const byName = (name: string) => ALL_TYPES_SCHEMA.columns.find((c) => c.name === name)!;
    const projected = ALL_TYPES_ROWS.slice(10).map((row) => chosen.map((n) => row[names.indexOf(n)]!));
    expect(records.map((r) => rowToProbeJson(r.row, chosen.map(byName)))).toEqual(projected);
  });

  it("starts from EARLIEST_OFFSET with fetches alone: getTable learned the leaders, the server finds the log's start", async () => {
    const table = await conn.getTable(new TablePath(DB, "all_types_zstd"));
    const asked = new Set<string>();
    // The table's cluster client (internal): every request of the scan goes through these two.
    type Call = (...args: unknown[]) => Promise<unknown>;
    const cluster = (table as unknown as { cluster: { callCoordinator: Call; callTabletServer: Call } }).cluster;
    const toCoordinator = cluster.callCoordinator.bind(cluster);
    const toTabletServer = cluster.callTabletServer.bind(cluster);
    cluster.callCoordinator = (key, ...rest) => (asked.add(`coordinator:${String(key)}`), toCoordinator(key, ...rest));
    cluster.callTabletServer = (node, key, ...rest) => (asked.add(`tablet server:${String(key)}`), toTabletServer(node, key, ...rest));
    const scanner = table.newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    const records = await pollAll(scanner, ALL_TYPES_ROWS.length);
    expect(records.map((r) => r.offset)).toEqual(ALL_TYPES_ROWS.map((_, i) => i));
    // FetchLog (1015) only: no GetMetadata (1012) for the leaders, no ListOffsets (1021) for the start.
    expect([...asked]).toEqual(["tablet server:1015"]);
  });

  it("re-subscribing at another offset drops what was fetched ahead for the old one", async () => {
    const table = await conn.getTable(new TablePath(DB, "all_types_none"));
    const scanner = table.newScan().project([0]).createLogScanner();
    scanner.subscribe(0, 0);
    const first = await scanner.poll(5000);
    expect(first.count()).toBeGreaterThan(0);
    // A fetch for the old position is in flight now (prefetch); the new start must win.
    scanner.subscribe(0, 3);
    const records = await pollAll(scanner, ALL_TYPES_ROWS.length - 3);
    expect(records.map((r) => r.offset)).toEqual(ALL_TYPES_ROWS.slice(3).map((_, i) => i + 3));
  });

  it("returns Arrow tables and record batches", async () => {
    const table = await conn.getTable(new TablePath(DB, "all_types_lz4_frame"));
    const scanner = table.newScan().project([0, 1]).createRecordBatchLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    let rows = 0;
    const deadline = Date.now() + 30_000;
    while (rows < ALL_TYPES_ROWS.length && Date.now() < deadline) {
      const arrow = await scanner.pollArrow(1000);
      expect(arrow.schema.fields.map((f) => f.name)).toEqual(ALL_TYPES_SCHEMA.getColumnNames().slice(0, 2));
      rows += arrow.numRows;
    }
    expect(rows).toBe(ALL_TYPES_ROWS.length);
    const empty = await scanner.pollArrow(100);
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields).toHaveLength(2);
  });

  it("follows rows appended while it runs, and finds offsets by timestamp", async () => {
    const name = uniqueName("live");
    await createWithJava(name, { bucketCount: 2 });
    const table = await conn.getTable(new TablePath(DB, name));
    const scanner = table.newScan().createLogScanner();
    scanner.subscribeBuckets({ 0: EARLIEST_OFFSET, 1: EARLIEST_OFFSET });
    expect((await scanner.poll(200)).isEmpty()).toBe(true);
    const before = Date.now();
    const batch = ALL_TYPES_ROWS.slice(0, 40);
    const seen = pollAll(scanner, batch.length);
    await appendWithJava(name, batch);
    expect((await seen).length).toBe(batch.length);

    const admin = conn.getAdmin();
    const latest = await admin.listOffsets(new TablePath(DB, name), [0, 1], OffsetSpec.latest());
    expect([...latest.values()].reduce((a, b) => a + b, 0)).toBe(batch.length);
    const fromBefore = await admin.listOffsets(new TablePath(DB, name), [0, 1], OffsetSpec.timestamp(before - 1000));
    expect([...fromBefore.values()]).toEqual([0, 0]);
  });

  it("iterates with for await, and rejects overlapping polls and polls without subscriptions", async () => {
    const table = await conn.getTable(new TablePath(DB, "all_types_none"));
    const idle = table.newScan().createLogScanner();
    await expect(idle.poll(10)).rejects.toMatchObject({ errorCode: -2 });
    const scanner = table.newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    let total = 0;
    for await (const records of scanner) {
      total += records.count();
      if (total >= ALL_TYPES_ROWS.length) scanner.close();
    }
    expect(total).toBe(ALL_TYPES_ROWS.length);
  });
});
