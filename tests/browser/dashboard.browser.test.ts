/**
 * The browser dashboard example (examples/browser-dashboard), built with
 * Vite as a user would build it, served as static files and driven in
 * Chromium: it follows a ZSTD log table through the gateway (rows written
 * before and while it runs), Vite has bundled the client's codec worker and
 * the page runs it, the page hands the client ZSTD's WebAssembly as a file of
 * the build (never loading the base64 copy), and a missing table shows as the
 * FlussError's code.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Config, DataTypes, FlussConnection, Schema, TableDescriptor, TablePath, type FlussTable } from "@fluss-edge/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway } from "../../gateway/src/index.js";
import { createTableReady } from "../support/table-ready.js";
import { launchChromium, serveDirectory } from "./browser-harness.js";

const EXAMPLE_DIR = fileURLToPath(new URL("../../examples/browser-dashboard/", import.meta.url));
const FIRST_ROWS = 30_000;
const MORE_ROWS = 500;

/** Row i of the followed table: text long enough for its column buffers to go to the codec workers. */
function rowOf(i: number): [bigint, string] {
  return [BigInt(i), `event ${i} ${"payload ".repeat(1 + (i % 7))}`];
}

async function appendRows(table: FlussTable, from: number, count: number): Promise<void> {
  const writer = table.newAppend().createWriter();
  for (let i = from; i < from + count; i++) {
    await writer.ready();
    writer.append(rowOf(i));
  }
  await writer.close();
}

describe("browser dashboard example (Vite build) in Chromium", () => {
  let outDir: string;
  let site: Awaited<ReturnType<typeof serveDirectory>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let browser: Browser;
  let conn: FlussConnection;
  let table: FlussTable;
  const database = `dashboard_${Date.now().toString(36)}`;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "fluss-edge-dashboard-"));
    await promisify(execFile)("pnpm", ["exec", "vite", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], { cwd: EXAMPLE_DIR });
    site = await serveDirectory(outDir);
    gateway = await startGateway({ bootstrapServers: process.env.FLUSS_BOOTSTRAP_SERVERS!, port: 0, allowedOrigins: [site.origin], logger: silentLogger });
    browser = await launchChromium();
    conn = await FlussConnection.create(new Config({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! }));
    const admin = conn.getAdmin();
    await admin.createDatabase(database);
    const path = new TablePath(database, "events");
    const schema = new Schema([
      { name: "id", type: DataTypes.bigint() },
      { name: "message", type: DataTypes.string() },
    ]);
    await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: 2, properties: { "table.log.arrow.compression.type": "ZSTD" } }));
    table = await conn.getTable(path);
    await appendRows(table, 0, FIRST_ROWS);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await site?.close();
    await conn?.getAdmin().dropDatabase(database, { ignoreIfNotExists: true, cascade: true });
    await conn?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** The URLs each page requested, workers included. */
  const requests = new WeakMap<Page, string[]>();

  async function openDashboard(tableName: string): Promise<Page> {
    const page = await browser.newPage();
    const requested: string[] = [];
    requests.set(page, requested);
    page.context().on("request", (request) => requested.push(request.url()));
    const query = new URLSearchParams({ gateway: gateway.url, database, table: tableName, autostart: "1" });
    await page.goto(`${site.origin}/?${query}`);
    return page;
  }

  const rowCount = (page: Page) => page.textContent("#row-count");

  it("follows the table: every row written before, then rows written while it runs, on a codec worker Vite bundled", async () => {
    const page = await openDashboard("events");
    await page.waitForFunction((n) => document.getElementById("row-count")?.textContent === n, FIRST_ROWS.toLocaleString("en-US"), { timeout: 30_000 });
    expect(await page.textContent("#status")).toContain(`Following ${database}.events`);
    expect(await page.textContent("#latest-rows thead")).toBe("idmessage");
    // The newest row of either bucket is among the latest shown.
    const shown = await page.$$eval("#latest-rows tbody tr", (rows) => rows.map((row) => Array.from((row as HTMLTableRowElement).cells, (cell) => cell.textContent)));
    expect(shown.length).toBe(20);
    for (const [id, message] of shown) expect(message).toBe(rowOf(Number(id))[1]);

    // Vite turned `new Worker(new URL("./fluss-codec-worker.js", import.meta.url))` into a bundled worker, and it runs.
    const workers = page.workers().map((worker) => worker.url());
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(workers.every((url) => /\/assets\/fluss-codec-worker-[\w-]+\.js$/.test(url))).toBe(true);

    // The page gave the client the build's zstd .wasm file; neither thread loaded the base64 chunk
    // that carries the same module as JavaScript (found by the base64 of the module's first 8 bytes).
    const requested = requests.get(page)!.map((url) => new URL(url).pathname);
    const assets = readdirSync(join(outDir, "assets"));
    const base64Chunks = assets.filter((name) => name.endsWith(".js") && readFileSync(join(outDir, "assets", name), "latin1").includes("AGFzbQEAAAA"));
    expect(base64Chunks.length).toBeGreaterThanOrEqual(1);
    expect(requested.filter((path) => /^\/assets\/zstd-[\w-]+\.wasm$/.test(path))).toHaveLength(1);
    expect(requested.filter((path) => base64Chunks.some((name) => path === `/assets/${name}`))).toEqual([]);

    await appendRows(table, FIRST_ROWS, MORE_ROWS);
    await page.waitForFunction((n) => document.getElementById("row-count")?.textContent === n, (FIRST_ROWS + MORE_ROWS).toLocaleString("en-US"), { timeout: 30_000 });
    const newest = await page.$$eval("#latest-rows tbody tr:first-child td", (cells) => cells.map((cell) => cell.textContent));
    expect(Number(newest[0])).toBeGreaterThanOrEqual(FIRST_ROWS);
    expect(await page.textContent("#status")).not.toMatch(/\(\-?\d+\):/);
    await page.close();
  });

  it("shows a missing table as the FlussError's code", async () => {
    const page = await openDashboard("no_such_table");
    await page.waitForFunction(() => document.getElementById("status")?.classList.contains("error"), undefined, { timeout: 30_000 });
    expect(await page.textContent("#status")).toMatch(/^TABLE_NOT_EXIST \(\d+\): /);
    expect(await rowCount(page)).toBe("0");
    await page.close();
  });
});
