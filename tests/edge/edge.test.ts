/**
 * The built client in Deno, Cloudflare's workerd and Bun, against the real
 * cluster through a gateway this file starts, and over TCP in the runtimes
 * that run the package as installed (Bun, and Deno with node_modules: the
 * package's Node build): the scenarios of tests/browser/scenarios.ts
 * (shared with the Chromium test) run INSIDE each runtime, which answers
 * JSON.
 *
 * ZSTD: Deno compiles WebAssembly, so it compresses and decompresses with the
 * reference zstd. workerd forbids compiling WebAssembly at run time, so there
 * the codec decodes with the pure-JS fzstd and writes ZSTD tables' buffers
 * uncompressed, unless the worker hands the client `@fluss-edge/client/zstd.wasm`
 * as a module workerd compiled (the "workerd with zstd.wasm" runs); `codecProbe`
 * shows which path a runtime took, a raw fetch shows how workerd's ZSTD batches
 * are stored, and the "reads a table Node wrote" case makes workerd decode
 * batches that really are ZSTD.
 * The Node build (de)compresses ZSTD batches on worker threads in Bun and
 * Deno as in Node.
 */
import { Config, FlussConnection, TablePath } from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/closed-port.js";
import { silentLogger, startGateway } from "../../gateway/src/index.js";
import { expectedKvRoundTrip, LOG_ROWS, writeAndScan, type KvRoundTrip, type LogRoundTrip, type ScenarioResult } from "../browser/scenarios.js";
import { connectClusterClient } from "../support/cluster-client.js";
import { fetchRawLogBatches } from "../support/raw-log-batches.js";
import { expectedBigScan, type BigScanResult } from "../browser/page/codec-workers.js";
import type { CodecProbe } from "./codec-probe.js";
import type { NodeCodecProbe } from "./node-codec-probe.js";
import {
  assertClientBuilt,
  bundle,
  callWorker,
  copyZstdWasm,
  resultOf,
  runBun,
  runDeno,
  runDenoInstalled,
  startWorkerd,
  stopAll,
  type Bundle,
  type EdgeAnswer,
  type RunningWorkerd,
} from "./edge-harness.js";

/** Parameters of one scenario run, by name (see tests/edge/run-scenario.ts). */
/** `target`: the gateway URL, or (Bun) bootstrap servers. */
type Params = { scenario: string; target?: string; database?: string; compression?: string; username?: string; password?: string };

/** How a test reaches one runtime: set up once, run scenarios, tear down. */
interface Runtime {
  name: string;
  /** What codecProbe must report there. */
  codec: CodecProbe;
  /**
   * Where the codec runs on the one thread (workerd), whether a ZSTD table's batches it writes
   * are stored compressed (true) or with every buffer raw (false). Unset where codec workers
   * warm the encoder up while a small first batch may go out raw (see record-accumulator.ts).
   */
  writesZstdCompressed?: boolean;
  setUp(): Promise<void>;
  run<T>(params: Params): Promise<EdgeAnswer<T>>;
  tearDown(): Promise<void>;
}

function denoRuntime(): Runtime {
  let built: Bundle | undefined;
  return {
    name: "Deno",
    codec: { wasmCompilation: true, zstdCompresses: true, zstdDecodes: true },
    async setUp() {
      // The package maps `deno` to its Node build; bundle the browser build explicitly instead.
      built = await bundle("./process-main.ts", ["browser"]);
    },
    run: (p) => runDeno(built!.file, [p.scenario, p.target ?? "", p.database ?? "", p.compression ?? ""]),
    async tearDown() {
      built?.cleanup();
    },
  };
}

/**
 * workerd as it is, or (`zstdWasm`) with the client given `@fluss-edge/client/zstd.wasm` as a
 * module workerd compiled (useZstdWasmModule): then ZSTD compresses and decodes in WebAssembly
 * there too, although the worker may not compile WebAssembly itself.
 */
function workerdRuntime(zstdWasm: boolean): Runtime {
  let built: Bundle | undefined;
  let server: RunningWorkerd | undefined;
  return {
    name: zstdWasm ? "workerd with zstd.wasm" : "workerd",
    codec: { wasmCompilation: false, zstdCompresses: zstdWasm, zstdDecodes: true },
    writesZstdCompressed: zstdWasm,
    async setUp() {
      if (zstdWasm) {
        built = await bundle("./worker-zstd-wasm.ts", ["workerd", "worker", "browser"], ["*.wasm"]);
        server = await startWorkerd(built.dir, { wasmModules: { "zstd.wasm": copyZstdWasm(built.dir) } });
      } else {
        built = await bundle("./worker.ts", ["workerd", "worker", "browser"]);
        server = await startWorkerd(built.dir);
      }
    },
    run: (p) => callWorker(server!, { target: "", database: "", compression: "", ...p }),
    async tearDown() {
      await server?.stop();
      built?.cleanup();
    },
  };
}

/**
 * A runtime that runs the package as installed, unbundled (node_modules, its
 * `node` / `deno` export: the Node build), through `run` (runBun,
 * runDenoInstalled).
 */
function installedRuntime(name: string, run: <T>(entry: string, args: string[]) => Promise<EdgeAnswer<T>>): Runtime {
  return {
    name,
    codec: { wasmCompilation: true, zstdCompresses: true, zstdDecodes: true },
    setUp: async () => undefined,
    run: (p) => run("./process-main.ts", [p.scenario, p.target ?? "", p.database ?? "", p.compression ?? "", p.username ?? "", p.password ?? ""]),
    tearDown: async () => undefined,
  };
}

const bunRuntime = () => installedRuntime("Bun", runBun);
const denoInstalledRuntime = () => installedRuntime("Deno (installed)", runDenoInstalled);

/** The rows writeAndScan writes, as scanTable renders them: first and last. */
function expectFullLog(result: LogRoundTrip): void {
  expect(result.read).toBe(result.written);
  expect(result.arrowRows).toBe(result.written);
  expect(result.rows[0]).toBe("0|0|événement 0 |0.00|1764000000000.0|0,128,255");
  expect(result.rows[499]).toBe(`499|${499n * 1_000_000_007n}|événement 499 ${"x".repeat(499 % 40)}|499.99|1764000000499.499000|243,128,255`);
}

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
/** Databases made here, dropped (with their tables) at the end. */
const databases: string[] = [];
/** A database holding a ZSTD table that Node wrote (really compressed: Node has WebAssembly). */
let nodeWritten = "";

/** How each stored batch of bucket 0 of `path` keeps its Arrow buffers (fetched raw from the cluster). */
async function storedArrow(path: TablePath): Promise<{ codec: string | null; allBuffersRaw: boolean }[]> {
  const conn = await FlussConnection.create(new Config({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! }));
  const cluster = await connectClusterClient(process.env.FLUSS_BOOTSTRAP_SERVERS!);
  try {
    const info = (await conn.getTable(path)).getTableInfo();
    return (await fetchRawLogBatches(cluster, info, LOG_ROWS)).map((batch) => batch.storage);
  } finally {
    await cluster.close();
    await conn.close();
  }
}

/** A runtime's name as part of a database name. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_");
}

function database(prefix: string): string {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  databases.push(name);
  return name;
}

beforeAll(async () => {
  assertClientBuilt();
  // No allowedOrigins: Deno and workerd send no Origin header, which the gateway admits.
  gateway = await startGateway({ bootstrapServers: process.env.FLUSS_BOOTSTRAP_SERVERS!, port: 0, logger: silentLogger });
  nodeWritten = database("edge_node");
  expectFullLog(await writeAndScan(gateway.url, nodeWritten, "ZSTD"));
}, 60_000);

afterAll(async () => {
  try {
    if (gateway && databases.length > 0) {
      const conn = await FlussConnection.create(new Config({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! }));
      try {
        for (const name of databases) await conn.getAdmin().dropDatabase(name, { ignoreIfNotExists: true, cascade: true });
      } finally {
        await conn.close();
      }
    }
  } finally {
    await stopAll();
    await gateway?.close();
  }
}, 60_000);

describe.each([denoRuntime(), workerdRuntime(false), workerdRuntime(true), bunRuntime()])("in $name, through the gateway", (runtime) => {
  beforeAll(async () => {
    await runtime.setUp();
  }, 30_000);

  afterAll(async () => {
    await runtime.tearDown();
  }, 30_000);

  it("takes the expected ZSTD path", async () => {
    expect(resultOf(await runtime.run<CodecProbe>({ scenario: "codecProbe" }))).toEqual(runtime.codec);
  });

  it("creates and lists a database", async () => {
    const name = database(`edge_${slug(runtime.name)}`);
    const result = resultOf(await runtime.run<ScenarioResult>({ scenario: "createAndList", target: gateway!.url, database: name }));
    expect(result.ok).toBe(true);
    expect(result.databases).toContain(name);
  });

  it.each(["ZSTD", "LZ4_FRAME"])("writes and reads a %s-compressed log table", async (compression) => {
    const name = database(`edge_${slug(runtime.name)}_log`);
    expectFullLog(resultOf(await runtime.run<LogRoundTrip>({ scenario: "writeAndScan", target: gateway!.url, database: name, compression })));
    if (compression === "ZSTD" && runtime.writesZstdCompressed !== undefined) {
      // How the server stores what this runtime wrote: compressed, or every buffer raw.
      const storage = await storedArrow(new TablePath(name, "events_zstd"));
      expect(storage.every((s) => s.codec === "ZSTD")).toBe(true);
      expect(storage.some((s) => !s.allBuffersRaw)).toBe(runtime.writesZstdCompressed);
    }
  });

  it("reads a ZSTD table Node wrote", async () => {
    expectFullLog(resultOf(await runtime.run<LogRoundTrip>({ scenario: "scanLog", target: gateway!.url, database: nodeWritten, compression: "ZSTD" })));
  });

  it("upserts into, deletes from and looks up a primary-key table, and reads its changelog", async () => {
    const name = database(`edge_${slug(runtime.name)}_kv`);
    expect(resultOf(await runtime.run<KvRoundTrip>({ scenario: "upsertAndLookup", target: gateway!.url, database: name }))).toEqual(expectedKvRoundTrip());
  });

  it("gets a FlussError with CLIENT_ERROR when the gateway is down", async () => {
    const downUrl = `ws://127.0.0.1:${await closedPort()}/fluss`;
    const result = resultOf(await runtime.run<ScenarioResult>({ scenario: "connectToDownGateway", target: downUrl }));
    expect(result).toMatchObject({ ok: false, errorName: "CLIENT_ERROR", errorCode: -2 });
    expect(result.message).toBeTruthy();
  });
});

describe.each([bunRuntime(), denoInstalledRuntime()])("in $name, the package's Node build over TCP (bootstrap.servers)", (runtime) => {
  const bootstrap = () => process.env.FLUSS_BOOTSTRAP_SERVERS!;

  it("creates and lists a database", async () => {
    const name = database(`edge_${slug(runtime.name)}_tcp`);
    const result = resultOf(await runtime.run<ScenarioResult>({ scenario: "createAndList", target: bootstrap(), database: name }));
    expect(result.ok).toBe(true);
    expect(result.databases).toContain(name);
  });

  it.each(["ZSTD", "LZ4_FRAME", "NONE"])("writes and reads a %s-compressed log table", async (compression) => {
    const name = database(`edge_${slug(runtime.name)}_tcp_log`);
    expectFullLog(resultOf(await runtime.run<LogRoundTrip>({ scenario: "writeAndScan", target: bootstrap(), database: name, compression })));
  });

  it("reads a ZSTD table Node wrote", async () => {
    expectFullLog(resultOf(await runtime.run<LogRoundTrip>({ scenario: "scanLog", target: bootstrap(), database: nodeWritten, compression: "ZSTD" })));
  });

  it("upserts into, deletes from and looks up a primary-key table, and reads its changelog", async () => {
    const name = database(`edge_${slug(runtime.name)}_tcp_kv`);
    expect(resultOf(await runtime.run<KvRoundTrip>({ scenario: "upsertAndLookup", target: bootstrap(), database: name }))).toEqual(expectedKvRoundTrip());
  });

  it("gets a FlussError with CLIENT_ERROR naming the address when the server is down", async () => {
    const down = `127.0.0.1:${await closedPort()}`;
    const result = resultOf(await runtime.run<ScenarioResult>({ scenario: "connectToDownGateway", target: down }));
    expect(result).toMatchObject({ ok: false, errorName: "CLIENT_ERROR", errorCode: -2 });
    expect(result.message).toContain(down);
  });

  it("authenticates with SASL/PLAIN on the cluster's SASL listener", async () => {
    const result = resultOf(
      await runtime.run<ScenarioResult>({ scenario: "listWithSasl", target: process.env.FLUSS_SASL_BOOTSTRAP_SERVERS!, username: "alice", password: "alice-secret" }),
    );
    expect(result.ok).toBe(true);
    expect(result.databases).toContain("fluss");
  });

  it("refuses a wrong SASL password with AUTHENTICATE_EXCEPTION and never echoes it", async () => {
    const password = "not-alice-secret-42";
    const result = resultOf(await runtime.run<ScenarioResult>({ scenario: "listWithSasl", target: process.env.FLUSS_SASL_BOOTSTRAP_SERVERS!, username: "alice", password }));
    expect(result).toMatchObject({ ok: false, errorName: "AUTHENTICATE_EXCEPTION" });
    expect(result.message).not.toContain(password);
  });

  it("(de)compresses whole ZSTD batches on worker threads, as in Node", async () => {
    expect(resultOf(await runtime.run<NodeCodecProbe>({ scenario: "nodeCodecProbe" }))).toEqual({ offThread: true, roundTrip: true });
  });

  it("writes and scans 30,000 rows in ZSTD batches of about 1 MiB", async () => {
    const name = database(`edge_${slug(runtime.name)}_tcp_big`);
    expect(resultOf(await runtime.run<BigScanResult>({ scenario: "bigScan", target: bootstrap(), database: name }))).toEqual(expectedBigScan(30_000));
  });
});
