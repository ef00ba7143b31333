/**
 * The edge ingest example (examples/edge-ingest), bundled as a Cloudflare
 * Worker served by workerd (settings as bindings) and as a Deno server
 * (settings in its environment), both from npm, writing into the real
 * cluster through a gateway that wants a token; same assertions for each: the
 * events POSTed come back identical from a Node scan; a bad event fails the
 * request with 400, names the event and column, and writes nothing (so do
 * a body that is not JSON or too large); an unreachable gateway is a 502
 * and a missing table a 404 with TABLE_NOT_EXIST.
 */
import { Config, DataTypes, EARLIEST_OFFSET, FlussConnection, Schema, TableDescriptor, TablePath } from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/closed-port.js";
import { silentLogger, startGateway } from "../../gateway/src/index.js";
import { connectClusterClient } from "../support/cluster-client.js";
import { fetchRawLogBatches } from "../support/raw-log-batches.js";
import { createTableReady } from "../support/table-ready.js";
import { assertClientBuilt, bundle, copyZstdWasm, startDenoServer, startWorkerd, stopAll, type Bundle, type RunningServer } from "./edge-harness.js";

const TOKEN = "ingest-example-token";

interface IngestAnswer {
  written?: number;
  table?: string;
  error?: string;
  errorCode?: number;
  errorName?: string;
}

/** How one runtime serves the example: bundled once, then started with a set of settings. */
interface IngestRuntime {
  name: string;
  bundle(): Promise<Bundle>;
  start(built: Bundle, settings: Readonly<Record<string, string>>): Promise<RunningServer>;
}

const runtimes: IngestRuntime[] = [
  {
    name: "workerd",
    // The worker imports "@fluss-edge/client/zstd.wasm", which wrangler would compile at deploy time:
    // left out of the bundle here, and given to workerd as a wasm module under that name.
    bundle: () => bundle("../../examples/edge-ingest/src/worker.ts", ["workerd", "worker", "browser"], ["*.wasm"]),
    start: (built, settings) => startWorkerd(built.dir, { bindings: settings, wasmModules: { "@fluss-edge/client/zstd.wasm": copyZstdWasm(built.dir) } }),
  },
  {
    name: "Deno",
    // The package maps `deno` to its Node build; bundle the browser build, as for the other Deno tests.
    bundle: () => bundle("../../examples/edge-ingest/src/deno.ts", ["browser"]),
    start: (built, settings) => startDenoServer(built.file, { ...settings, HOST: "127.0.0.1", PORT: "0" }),
  },
];

describe.each(runtimes)("edge ingest example in $name", (runtime) => {
  const database = `edge_ingest_${runtime.name.toLowerCase()}_${Date.now().toString(36)}`;
  const path = new TablePath(database, "events");
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let conn: FlussConnection;
  let built: Bundle;
  let worker: RunningServer;
  let missingTableWorker: RunningServer;
  let noGatewayWorker: RunningServer;

  beforeAll(async () => {
    assertClientBuilt();
    gateway = await startGateway({ bootstrapServers: process.env.FLUSS_BOOTSTRAP_SERVERS!, port: 0, token: TOKEN, logger: silentLogger });
    conn = await FlussConnection.create(new Config({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! }));
    const admin = conn.getAdmin();
    await admin.createDatabase(database);
    const schema = new Schema([
      { name: "user_id", type: DataTypes.bigint().notNull() },
      { name: "action", type: DataTypes.string() },
      { name: "amount", type: DataTypes.decimal(10, 2) },
    ]);
    await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: 1 }));
    built = await runtime.bundle();
    const settings = { FLUSS_GATEWAY_URL: gateway.url, FLUSS_GATEWAY_TOKEN: TOKEN };
    worker = await runtime.start(built, { ...settings, FLUSS_TABLE: `${database}.events` });
    missingTableWorker = await runtime.start(built, { ...settings, FLUSS_TABLE: `${database}.missing` });
    noGatewayWorker = await runtime.start(built, { ...settings, FLUSS_GATEWAY_URL: `ws://127.0.0.1:${await closedPort()}/fluss`, FLUSS_TABLE: `${database}.events` });
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    built?.cleanup();
    await conn?.getAdmin().dropDatabase(database, { ignoreIfNotExists: true, cascade: true });
    await conn?.close();
    await gateway?.close();
  });

  async function post(target: RunningServer, body: string): Promise<{ status: number; answer: IngestAnswer }> {
    const response = await fetch(`${target.url}/events`, { method: "POST", body, headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(25_000) });
    return { status: response.status, answer: (await response.json()) as IngestAnswer };
  }

  /** Every row of the table, as `user_id|action|amount`. */
  async function tableRows(expected: number): Promise<string[]> {
    const scanner = (await conn.getTable(path)).newScan().createLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    const rows: string[] = [];
    const deadline = Date.now() + 15_000;
    while (rows.length < expected && Date.now() < deadline) {
      for (const { row } of await scanner.poll(500)) rows.push(`${String(row.user_id)}|${String(row.action)}|${String(row.amount)}`);
    }
    // One more short poll: nothing beyond the expected rows may be there.
    for (const { row } of await scanner.poll(300)) rows.push(`${String(row.user_id)}|${String(row.action)}|${String(row.amount)}`);
    scanner.close();
    return rows;
  }

  it("writes the POSTed events, then refuses a batch with a bad event without writing any of it", async () => {
    const events = [
      { user_id: 1, action: "login", amount: null },
      { user_id: 2, action: "pay ünïcode €", amount: "19.99" },
      { user_id: 9007199254740991, action: "logout", amount: "-0.01" },
    ];
    expect(await post(worker, JSON.stringify(events))).toEqual({ status: 200, answer: { written: 3, table: `${database}.events` } });
    expect(await post(worker, JSON.stringify({ user_id: 3, action: "single" }))).toEqual({ status: 200, answer: { written: 1, table: `${database}.events` } });

    const bad = await post(worker, JSON.stringify([{ user_id: 4, action: "fine" }, { user_id: null, action: "no user" }]));
    expect(bad.status).toBe(400);
    expect(bad.answer).toMatchObject({ errorCode: -2, errorName: "CLIENT_ERROR" });
    expect(bad.answer.error).toMatch(/^event 1: .*user_id/);
    expect(await post(worker, "{not json")).toMatchObject({ status: 400, answer: { errorName: "CLIENT_ERROR", error: "the body is not UTF-8 JSON" } });
    const tooBig = JSON.stringify([{ user_id: 5, action: "x".repeat(1024 * 1024) }]);
    expect(await post(worker, tooBig)).toMatchObject({ status: 400, answer: { error: "the body is larger than 1048576 bytes" } });

    expect(await tableRows(4)).toEqual(["1|login|null", "2|pay ünïcode €|19.99", "9007199254740991|logout|-0.01", "3|single|null"]);
  });

  it("stores a larger POST's batch ZSTD-compressed, as the table (Fluss's default compression) asks", async () => {
    const events = Array.from({ length: 2_000 }, (_, i) => ({ user_id: 100 + i, action: `bulk action ${i % 7}`, amount: `${i}.50` }));
    expect(await post(worker, JSON.stringify(events))).toEqual({ status: 200, answer: { written: 2_000, table: `${database}.events` } });
    const cluster = await connectClusterClient(process.env.FLUSS_BOOTSTRAP_SERVERS!);
    try {
      const batches = await fetchRawLogBatches(cluster, (await conn.getTable(path)).getTableInfo(), 4 + 2_000);
      const bulk = batches.find((batch) => batch.records.numRows === 2_000);
      // workerd compresses through the module its worker imported (@fluss-edge/client/zstd.wasm); Deno compiles its own.
      expect(bulk?.storage).toEqual({ codec: "ZSTD", allBuffersRaw: false });
    } finally {
      await cluster.close();
    }
  });

  it("answers 502 with CLIENT_ERROR when the gateway cannot be reached", async () => {
    const { status, answer } = await post(noGatewayWorker, JSON.stringify({ user_id: 1 }));
    expect(status).toBe(502);
    expect(answer).toMatchObject({ errorName: "CLIENT_ERROR", errorCode: -2 });
    expect(answer.error).toMatch(/cannot connect to the gateway/);
  });

  it("answers 404 with TABLE_NOT_EXIST when its table is missing", async () => {
    const { status, answer } = await post(missingTableWorker, JSON.stringify({ user_id: 1 }));
    expect(status).toBe(404);
    expect(answer).toMatchObject({ errorName: "TABLE_NOT_EXIST", errorCode: 7 });
  });
});
