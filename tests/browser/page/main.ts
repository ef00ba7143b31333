/**
 * The page under test: it imports the client's BROWSER build (esbuild resolves
 * "@fluss-edge/client" with the `browser` condition, so no Node built-in can
 * sneak in) and exposes one function per scenario for the Playwright test.
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
} from "@fluss-edge/client";

interface ScenarioResult {
  ok: boolean;
  databases?: string[];
  errorName?: string;
  errorCode?: number;
  message?: string;
}

function show(id: string, text: string): void {
  const element = document.createElement("pre");
  element.id = id;
  element.textContent = text;
  document.body.append(element);
}

async function createAndList(gatewayUrl: string, database: string): Promise<ScenarioResult> {
  const conn = await FlussConnection.create(new Config({ "gateway.url": gatewayUrl }));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { comment: "made in a browser" });
    const databases = await admin.listDatabases();
    await admin.dropDatabase(database);
    show("databases", databases.join("\n"));
    return { ok: true, databases };
  } finally {
    await conn.close();
  }
}

async function connectToDownGateway(gatewayUrl: string): Promise<ScenarioResult> {
  try {
    await FlussConnection.create(new Config({ "gateway.url": gatewayUrl, "connect-timeout": 3000 }));
    return { ok: true };
  } catch (error) {
    if (!(error instanceof FlussError)) return { ok: false, message: `not a FlussError: ${String(error)}` };
    show("error", `${error.errorCodeName} (${error.errorCode}): ${error.message}`);
    return {
      ok: false,
      errorName: error.errorCodeName,
      errorCode: error.errorCode,
      message: error.message,
    };
  }
}

interface LogRoundTrip {
  written: number;
  read: number;
  /** Rows read back, as JSON-friendly strings, in offset order. */
  rows: string[];
  arrowRows: number;
}

/**
 * Writes rows into a log table compressed with `compression` and reads them
 * back, all inside the browser: the Arrow codecs (WASM ZSTD, LZ4 frames) run here.
 */
async function writeAndScan(gatewayUrl: string, database: string, compression: string): Promise<LogRoundTrip> {
  const conn = await FlussConnection.create(new Config({ "gateway.url": gatewayUrl }));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { ignoreIfExists: true });
    const path = new TablePath(database, `events_${compression.toLowerCase()}`);
    const schema = new Schema([
      { name: "id", type: DataTypes.bigint() },
      { name: "name", type: DataTypes.string() },
      { name: "amount", type: DataTypes.decimal(10, 2) },
      { name: "at", type: DataTypes.timestampLtz(6) },
      { name: "payload", type: DataTypes.bytes() },
    ]);
    await admin.createTable(path, new TableDescriptor(schema, { bucketCount: 1, properties: { "table.log.arrow.compression.type": compression } }));
    const table = await conn.getTable(path);
    const writer = table.newAppend().createWriter();
    const written = 500;
    for (let i = 0; i < written; i++) {
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

    const scanner = table.newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    const rows: string[] = [];
    const deadline = Date.now() + 20_000;
    while (rows.length < written && Date.now() < deadline) {
      for (const record of await scanner.poll(1000)) {
        const r = record.row;
        const at = r.at as FlussTimestamp;
        rows.push(`${record.offset}|${String(r.id)}|${String(r.name)}|${String(r.amount)}|${at.epochMillis}.${at.nanoOfMillisecond}|${Array.from(r.payload as Uint8Array).join(",")}`);
      }
    }
    const arrowScanner = table.newScan().project([1, 0]).createRecordBatchLogScanner();
    arrowScanner.subscribe(0, EARLIEST_OFFSET);
    let arrowRows = 0;
    while (arrowRows < written && Date.now() < deadline) arrowRows += (await arrowScanner.pollArrow(1000)).numRows;
    show(`log-${compression}`, `${rows.length} rows`);
    return { written, read: rows.length, rows, arrowRows };
  } finally {
    await conn.close();
  }
}

declare global {
  interface Window {
    fluss: {
      createAndList: typeof createAndList;
      writeAndScan: typeof writeAndScan;
      connectToDownGateway: typeof connectToDownGateway;
      clientErrorCode: number;
    };
  }
}

window.fluss = { createAndList, writeAndScan, connectToDownGateway, clientErrorCode: ErrorCode.CLIENT_ERROR };
show("ready", "ready");
