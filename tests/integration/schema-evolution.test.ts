/**
 * A log table whose columns change while it holds rows (`alterTable`): every
 * log batch names the schema it was written with, and a scanner reads each
 * with its own schema, then as one of its table handle's (columns matched by
 * id; a column the batch lacks reads as null, one the handle does not know is
 * left out), as the Java client does. Runs over TCP and through the gateway;
 * the last suite checks the Java client reads the same rows.
 */
import {
  DataTypes,
  EARLIEST_OFFSET,
  ErrorCode,
  type FlussAdmin,
  FlussConnection,
  type FlussTable,
  Schema,
  type ScanRecord,
  TableChange,
  TableDescriptor,
  TablePath,
} from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowToProbeJson } from "../../packages/client/test/fixtures/probe-json.js";
import { ensurePeersReady, runJavaProbe } from "../interop/peers.js";
import { expectFlussError } from "./expect-fluss-error.js";
import { targets, uniqueName } from "./targets.js";
import { createTableReady } from "../support/table-ready.js";

const DB = uniqueName("evolution_db");
const FIRST_SCHEMA = new Schema([
  { name: "id", type: DataTypes.int() },
  { name: "name", type: DataTypes.string() },
]);

/** `expectFlussError`, and the message says `words`. */
async function expectRefusal(promise: Promise<unknown>, code: number, words: RegExp): Promise<void> {
  expect((await expectFlussError(promise, code)).message).toMatch(words);
}

/** Polls `table` from the earliest offset of its one bucket until `expected` records arrived. */
async function readAll(table: FlussTable, expected: number, project?: readonly string[]): Promise<ScanRecord[]> {
  const scan = table.newScan();
  if (project) scan.projectByName(project);
  const scanner = scan.createLogScanner();
  scanner.subscribe(0, EARLIEST_OFFSET);
  const out: ScanRecord[] = [];
  const deadline = Date.now() + 30_000;
  try {
    while (out.length < expected && Date.now() < deadline) for (const record of await scanner.poll(500)) out.push(record);
  } finally {
    await scanner.close();
  }
  return out;
}

/** The same rows through `pollArrow`, as plain objects. */
async function readAllArrow(table: FlussTable, expected: number, project?: readonly string[]): Promise<{ fields: string[]; rows: unknown[] }> {
  const scan = table.newScan();
  if (project) scan.projectByName(project);
  const scanner = scan.createRecordBatchLogScanner();
  scanner.subscribe(0, EARLIEST_OFFSET);
  const rows: unknown[] = [];
  let fields: string[] = [];
  const deadline = Date.now() + 30_000;
  try {
    while (rows.length < expected && Date.now() < deadline) {
      const arrow = await scanner.pollArrow(500);
      if (arrow.numRows === 0) continue;
      fields = arrow.schema.fields.map((f) => f.name);
      for (const row of arrow.toArray()) rows.push({ ...row.toJSON() });
    }
  } finally {
    await scanner.close();
  }
  return { fields, rows };
}

/** Three rows, a column added, two rows with it from a new handle and one more from a writer of the old handle. */
async function evolvedTable(conn: FlussConnection, admin: FlussAdmin, name: string): Promise<{ before: FlussTable; after: FlussTable }> {
  const path = new TablePath(DB, name);
  await createTableReady(admin, path, new TableDescriptor(FIRST_SCHEMA, { bucketCount: 1 }));
  const before = await conn.getTable(path);
  const oldWriter = before.newAppend().createWriter();
  for (let i = 0; i < 3; i++) oldWriter.append({ id: i, name: `n${i}` });
  await oldWriter.flush();
  await admin.alterTable(path, [TableChange.addColumn("score", DataTypes.bigint(), { comment: "added later" })]);
  const after = await conn.getTable(path);
  const newWriter = after.newAppend().createWriter();
  for (let i = 3; i < 5; i++) newWriter.append({ id: i, name: `n${i}`, score: BigInt(i * 100) });
  await newWriter.flush();
  // A writer made before the change still writes batches of the first schema.
  oldWriter.append({ id: 5, name: "from the old writer" });
  await oldWriter.flush();
  await Promise.all([oldWriter.close(), newWriter.close()]);
  return { before, after };
}

/** What every reader of the current schema sees. */
const EVOLVED_ROWS = [
  { id: 0, name: "n0", score: null },
  { id: 1, name: "n1", score: null },
  { id: 2, name: "n2", score: null },
  { id: 3, name: "n3", score: 300n },
  { id: 4, name: "n4", score: 400n },
  { id: 5, name: "from the old writer", score: null },
];

let setupConn: FlussConnection;

beforeAll(async () => {
  setupConn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
  await setupConn.getAdmin().createDatabase(DB);
});

afterAll(async () => {
  await setupConn?.getAdmin().dropDatabase(DB, { ignoreIfNotExists: true, cascade: true });
  await setupConn?.close();
});

describe.each(targets)("a log table whose columns change, over $name", (target) => {
  let conn: FlussConnection;
  let admin: FlussAdmin;
  let before: FlussTable;
  let after: FlussTable;

  beforeAll(async () => {
    conn = await FlussConnection.create(target.config());
    admin = conn.getAdmin();
    ({ before, after } = await evolvedTable(conn, admin, `added_${target.name}`));
  }, 120_000);

  afterAll(async () => {
    await conn?.close();
  });

  it("keeps every schema of the table by id", async () => {
    const path = after.getTablePath();
    expect(before.getTableInfo().schemaId).toBe(1);
    expect(after.getTableInfo().schemaId).toBe(2);
    const latest = await admin.getTableSchema(path);
    expect(latest.schemaId).toBe(2);
    expect(latest.schema.columns.map(String)).toEqual(["id INT", "name STRING", "score BIGINT COMMENT 'added later'"]);
    const first = await admin.getTableSchema(path, 1);
    expect(first.schema.columns.map(String)).toEqual(["id INT", "name STRING"]);
    // The added column gets an id of its own: it is matched by id, not by position.
    expect(latest.schema.columns.map((c) => c.id)).toEqual([...first.schema.columns.map((c) => c.id), 2]);
    await expectFlussError(admin.getTableSchema(path, 3), ErrorCode.SCHEMA_NOT_EXIST);
  });

  it("reads rows written before the column was added with null in it", async () => {
    const records = await readAll(after, EVOLVED_ROWS.length);
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(records.map((r) => r.row)).toEqual(EVOLVED_ROWS);
  });

  it("reads the same as Arrow, in the table's current schema", async () => {
    const { fields, rows } = await readAllArrow(after, EVOLVED_ROWS.length);
    expect(fields).toEqual(["id", "name", "score"]);
    expect(rows).toEqual(EVOLVED_ROWS);
  });

  it("reads rows written after the change through a handle made before it, without the new column", async () => {
    const records = await readAll(before, EVOLVED_ROWS.length);
    expect(records.map((r) => r.row)).toEqual(EVOLVED_ROWS.map(({ id, name }) => ({ id, name })));
    const { fields, rows } = await readAllArrow(before, EVOLVED_ROWS.length);
    expect(fields).toEqual(["id", "name"]);
    expect(rows).toEqual(EVOLVED_ROWS.map(({ id, name }) => ({ id, name })));
  });

  it("projects the added column over rows written before it (which Fluss 0.9.1 cannot project itself)", async () => {
    const expected = EVOLVED_ROWS.map(({ id, score }) => ({ score, id }));
    expect((await readAll(after, expected.length, ["score", "id"])).map((r) => r.row)).toEqual(expected);
    const { fields, rows } = await readAllArrow(after, expected.length, ["score", "id"]);
    expect(fields).toEqual(["score", "id"]);
    expect(rows).toEqual(expected);
  });

  it("projects columns every schema has on the server, as before", async () => {
    const expected = EVOLVED_ROWS.map(({ id, name }) => ({ name, id }));
    expect((await readAll(after, expected.length, ["name", "id"])).map((r) => r.row)).toEqual(expected);
    expect((await readAll(before, expected.length, ["name", "id"])).map((r) => r.row)).toEqual(expected);
  });

  it("changes table properties: custom ones and those Fluss 0.9.1 lets change", async () => {
    const path = new TablePath(DB, `properties_${target.name}`);
    await createTableReady(admin, path, new TableDescriptor(FIRST_SCHEMA, { bucketCount: 1 }));
    await admin.alterTable(path, [TableChange.set("owner.team", "dashboards"), TableChange.set("table.log.tiered.local-segments", "3")]);
    let info = await admin.getTableInfo(path);
    expect(info.getCustomProperties()).toMatchObject({ "owner.team": "dashboards" });
    expect(info.getProperties()).toMatchObject({ "table.log.tiered.local-segments": "3" });
    await admin.alterTable(path, [TableChange.reset("owner.team"), TableChange.reset("table.log.tiered.local-segments")]);
    info = await admin.getTableInfo(path);
    expect(info.getCustomProperties()).not.toHaveProperty("owner.team");
    expect(info.getProperties()).not.toHaveProperty("table.log.tiered.local-segments");
    // A property Fluss 0.9.1 does not let change: the server's INVALID_ALTER_TABLE_EXCEPTION, naming it.
    await expectRefusal(admin.alterTable(path, [TableChange.set("table.log.ttl", "3 d")]), ErrorCode.INVALID_ALTER_TABLE_EXCEPTION, /table\.log\.ttl/);
  });

  it("reports the changes Fluss 0.9.1 refuses with the server's words, and changes nothing", async () => {
    const path = new TablePath(DB, `refused_${target.name}`);
    await createTableReady(admin, path, new TableDescriptor(FIRST_SCHEMA, { bucketCount: 1 }));
    await expectRefusal(admin.alterTable(path, [TableChange.addColumn("name", DataTypes.string())]), ErrorCode.INVALID_ALTER_TABLE_EXCEPTION, /already exists/);
    for (const [change, words] of [
      [TableChange.addColumn("strict", DataTypes.int().notNull()), /must be nullable/],
      [TableChange.dropColumn("name"), /drop column/],
      [TableChange.renameColumn("name", "title"), /rename column/],
      [TableChange.modifyColumn("name", DataTypes.string(), { comment: "c" }), /modify column/],
    ] as const) {
      await expectRefusal(admin.alterTable(path, [change]), ErrorCode.UNKNOWN_SERVER_ERROR, words);
    }
    expect((await admin.getTableSchema(path)).schemaId).toBe(1);
    await expectFlussError(
      admin.alterTable(new TablePath(DB, "no_such_table"), [TableChange.addColumn("x", DataTypes.int())]),
      ErrorCode.TABLE_NOT_EXIST,
    );
    await admin.alterTable(new TablePath(DB, "no_such_table"), [TableChange.addColumn("x", DataTypes.int())], { ignoreIfNotExists: true });
  });
});

describe("a log table whose columns change, with the Java client", () => {
  let admin: FlussAdmin;
  let after: FlussTable;
  const table = "added_java";

  beforeAll(async () => {
    await ensurePeersReady();
    admin = setupConn.getAdmin();
    ({ after } = await evolvedTable(setupConn, admin, table));
  }, 300_000);

  it("reads what fluss-edge wrote across the change as fluss-edge does", async () => {
    const javaRows = await runJavaProbe<{ offset: number; row: unknown[] }[]>("scan-rows", { database: DB, table, expected: EVOLVED_ROWS.length });
    const columns = after.getTableInfo().schema.columns;
    expect(javaRows.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(javaRows.map((r) => r.row)).toEqual(EVOLVED_ROWS.map((row) => rowToProbeJson(row, columns)));
  });

  it("writes rows of the new schema that fluss-edge reads", async () => {
    const columns = after.getTableInfo().schema.columns;
    await runJavaProbe("append-rows", { database: DB, table, rows: [rowToProbeJson({ id: 6, name: "from java", score: 600n }, columns)] });
    const records = await readAll(after, EVOLVED_ROWS.length + 1);
    expect(records.at(-1)?.row).toEqual({ id: 6, name: "from java", score: 600n });
  });
});
