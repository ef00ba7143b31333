/**
 * Scenarios that run INSIDE a non-Node runtime against the real cluster
 * through the gateway: the Chromium page (tests/browser/page/main.ts), Deno and
 * workerd (tests/edge/). Each is bundled with esbuild so that
 * "@fluss-edge/client" resolves to the package's built browser entry; results
 * are plain JSON-friendly objects the Node-side test can assert on.
 */
import {
  Config,
  DataTypes,
  EARLIEST_OFFSET,
  ErrorCode,
  FlussConnection,
  FlussError,
  FlussTimestamp,
  Schema,
  TableDescriptor,
  TablePath,
  type FlussTable,
} from "@fluss-edge/client";
import { createTableReady } from "../support/table-ready.js";

/** What createAndList and connectToDownGateway report. */
export interface ScenarioResult {
  ok: boolean;
  databases?: string[];
  errorName?: string;
  errorCode?: number;
  message?: string;
}

/** What writeAndScan and scanLog report. */
export interface LogRoundTrip {
  written: number;
  read: number;
  /** Rows read back, as JSON-friendly strings, in offset order. */
  rows: string[];
  arrowRows: number;
}

/**
 * How a scenario reaches the cluster: a gateway URL (`ws://…`, every
 * runtime), or bootstrap servers (`host:port`, runtimes with TCP: Node, Bun).
 */
export function connectionSettings(target: string): Record<string, string> {
  return /^wss?:\/\//.test(target) ? { "gateway.url": target } : { "bootstrap.servers": target };
}

/** `ErrorCode.CLIENT_ERROR`, for callers that only see JSON. */
export const CLIENT_ERROR_CODE: number = ErrorCode.CLIENT_ERROR;

/** Rows each log scenario writes. */
export const LOG_ROWS = 500;

/** Creates a database, lists databases, drops it again. */
export async function createAndList(target: string, database: string): Promise<ScenarioResult> {
  const conn = await FlussConnection.create(new Config(connectionSettings(target)));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { comment: "made outside Node" });
    const databases = await admin.listDatabases();
    await admin.dropDatabase(database);
    return { ok: true, databases };
  } finally {
    await conn.close();
  }
}

/** Connects to a gateway (or, with TCP, a server) that is not there; reports the FlussError it gets. */
export async function connectToDownGateway(target: string): Promise<ScenarioResult> {
  try {
    const conn = await FlussConnection.create(new Config({ ...connectionSettings(target), "connect-timeout": 3000 }));
    await conn.close();
    return { ok: true };
  } catch (error) {
    return failedWith(error);
  }
}

/**
 * Connects with SASL/PLAIN credentials (the official docs' `client.`-prefixed
 * keys) and lists the databases; reports the FlussError instead of throwing.
 */
export async function listWithSasl(target: string, username: string, password: string): Promise<ScenarioResult> {
  try {
    const conn = await FlussConnection.create(
      new Config({
        ...connectionSettings(target),
        "client.security.protocol": "sasl",
        "client.security.sasl.username": username,
        "client.security.sasl.password": password,
      }),
    );
    try {
      return { ok: true, databases: await conn.getAdmin().listDatabases() };
    } finally {
      await conn.close();
    }
  } catch (error) {
    return failedWith(error);
  }
}

/** A failure as a scenario reports it: the FlussError's code name, code and message. */
function failedWith(error: unknown): ScenarioResult {
  if (!(error instanceof FlussError)) return { ok: false, message: `not a FlussError: ${String(error)}` };
  return { ok: false, errorName: error.errorCodeName, errorCode: error.errorCode, message: error.message };
}

/** The log table of a compression scenario: `<database>.events_<compression>`. */
function logTablePath(database: string, compression: string): TablePath {
  return new TablePath(database, `events_${compression.toLowerCase()}`);
}

/**
 * Writes rows into a log table compressed with `compression` and reads them
 * back, all inside the runtime: the Arrow codecs (ZSTD, LZ4 frames) run here.
 */
export async function writeAndScan(target: string, database: string, compression: string): Promise<LogRoundTrip> {
  const conn = await FlussConnection.create(new Config(connectionSettings(target)));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { ignoreIfExists: true });
    const path = logTablePath(database, compression);
    const schema = new Schema([
      { name: "id", type: DataTypes.bigint() },
      { name: "name", type: DataTypes.string() },
      { name: "amount", type: DataTypes.decimal(10, 2) },
      { name: "at", type: DataTypes.timestampLtz(6) },
      { name: "payload", type: DataTypes.bytes() },
    ]);
    await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: 1, properties: { "table.log.arrow.compression.type": compression } }));
    const table = await conn.getTable(path);
    const writer = table.newAppend().createWriter();
    for (let i = 0; i < LOG_ROWS; i++) {
      await writer.ready();
      writer.append({
        id: BigInt(i) * 1_000_000_007n,
        name: `événement ${i} ${"x".repeat(i % 40)}`,
        amount: `${i}.${String(i % 100).padStart(2, "0")}`,
        at: new FlussTimestamp(1_764_000_000_000 + i, (i * 1000) % 1_000_000),
        payload: new Uint8Array([i & 0xff, 0x80, 0xff]),
      });
    }
    await writer.close();
    return await scanTable(table, LOG_ROWS);
  } finally {
    await conn.close();
  }
}

/**
 * Reads back the table a writeAndScan wrote ELSEWHERE (e.g. in Node, whose
 * ZSTD encoder really compresses): proves this runtime decodes batches it
 * could not have produced itself.
 */
export async function scanLog(target: string, database: string, compression: string): Promise<LogRoundTrip> {
  const conn = await FlussConnection.create(new Config(connectionSettings(target)));
  try {
    return await scanTable(await conn.getTable(logTablePath(database, compression)), LOG_ROWS);
  } finally {
    await conn.close();
  }
}

/** Scans bucket 0 from the start with the row scanner and the Arrow scanner until `expected` rows or 20 s. */
async function scanTable(table: FlussTable, expected: number): Promise<LogRoundTrip> {
  const scanner = table.newScan().createLogScanner();
  scanner.subscribe(0, EARLIEST_OFFSET);
  const rows: string[] = [];
  const deadline = Date.now() + 20_000;
  while (rows.length < expected && Date.now() < deadline) {
    for (const record of await scanner.poll(1000)) {
      const r = record.row;
      const at = r.at as FlussTimestamp;
      rows.push(`${record.offset}|${String(r.id)}|${String(r.name)}|${String(r.amount)}|${at.epochMillis}.${at.nanoOfMillisecond}|${Array.from(r.payload as Uint8Array).join(",")}`);
    }
  }
  const arrowScanner = table.newScan().project([1, 0]).createRecordBatchLogScanner();
  arrowScanner.subscribe(0, EARLIEST_OFFSET);
  let arrowRows = 0;
  while (arrowRows < expected && Date.now() < deadline) arrowRows += (await arrowScanner.pollArrow(1000)).numRows;
  return { written: expected, read: rows.length, rows, arrowRows };
}

/** What upsertAndLookup reports. */
export interface KvRoundTrip {
  /** `id|name|score` of every key 0..KV_KEYS-1 looked up, or `id|null` where there is no row. */
  found: string[];
  /** The changelog's change types, counted. */
  changes: Record<string, number>;
}

/** Keys upsertAndLookup writes. */
export const KV_KEYS = 60;

/**
 * Upserts KV_KEYS rows into a primary-key table, deletes every fifth, updates
 * every third one left (a partial update of `score`), then looks every key up
 * and reads the changelog back, all inside the runtime.
 */
export async function upsertAndLookup(target: string, database: string): Promise<KvRoundTrip> {
  const conn = await FlussConnection.create(new Config(connectionSettings(target)));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { ignoreIfExists: true });
    const path = new TablePath(database, "users");
    const schema = new Schema(
      [
        { name: "id", type: DataTypes.bigint().notNull() },
        { name: "name", type: DataTypes.string() },
        { name: "score", type: DataTypes.decimal(10, 2) },
      ],
      { primaryKeys: ["id"] },
    );
    await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: 2 }));
    const table = await conn.getTable(path);
    const writer = table.newUpsert().createWriter();
    for (let i = 0; i < KV_KEYS; i++) writer.upsert({ id: BigInt(i), name: `ütilisateur ${i}`, score: `${i}.50` });
    for (let i = 0; i < KV_KEYS; i += 5) writer.delete({ id: BigInt(i) });
    await writer.close();
    const scores = table.newUpsert().partialUpdateByName(["id", "score"]).createWriter();
    // Not the deleted keys: a partial update of a key that is not there inserts it.
    for (let i = 1; i < KV_KEYS; i += 3) if (i % 5 !== 0) scores.upsert({ id: BigInt(i), score: `${i * 100}.00` });
    await scores.close();

    const lookuper = table.newLookup().createLookuper();
    const rows = await Promise.all(Array.from({ length: KV_KEYS }, (_, i) => lookuper.lookup({ id: BigInt(i) })));
    const found = rows.map((row, i) => (row ? `${String(row.id)}|${String(row.name)}|${String(row.score)}` : `${i}|null`));

    const scanner = table.newScan().createLogScanner();
    scanner.subscribeBuckets({ 0: EARLIEST_OFFSET, 1: EARLIEST_OFFSET });
    const changes: Record<string, number> = {};
    let seen = 0;
    const expected = KV_KEYS + KV_KEYS / 5 + 2 * kvUpdatedKeys();
    const deadline = Date.now() + 20_000;
    while (seen < expected && Date.now() < deadline) {
      for (const record of await scanner.poll(1000)) {
        changes[record.changeType] = (changes[record.changeType] ?? 0) + 1;
        seen++;
      }
    }
    scanner.close();
    return { found, changes };
  } finally {
    await conn.close();
  }
}

/** Keys upsertAndLookup updates that it has not deleted (each leaves -U and +U in the changelog). */
export function kvUpdatedKeys(): number {
  let count = 0;
  for (let i = 1; i < KV_KEYS; i += 3) if (i % 5 !== 0) count++;
  return count;
}

/** What upsertAndLookup must report, wherever it runs. */
export function expectedKvRoundTrip(): KvRoundTrip {
  const found = Array.from({ length: KV_KEYS }, (_, i) => {
    if (i % 5 === 0) return `${i}|null`;
    const score = (i - 1) % 3 === 0 ? `${i * 100}.00` : `${i}.50`;
    return `${i}|ütilisateur ${i}|${score}`;
  });
  return { found, changes: { "+I": KV_KEYS, "-D": KV_KEYS / 5, "-U": kvUpdatedKeys(), "+U": kvUpdatedKeys() } };
}
