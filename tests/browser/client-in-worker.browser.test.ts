/**
 * The client in a dedicated Web Worker of a page, as a dashboard that keeps
 * all of Fluss off its page's thread would run it (README, "Keeping a page
 * responsive"): the WebSocket to the gateway, writing, scanning, and ZSTD on
 * codec workers that the client starts from inside that worker. The same
 * scenarios as on the page itself, with the same expectations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { Config, DataTypes, FlussConnection, Schema, TableDescriptor, TablePath } from "@fluss-edge/client";
import { createTableReady } from "../support/table-ready.js";
import { expectCodecJobsOffThread } from "./codec-expectations.js";
import { expectedBigScan } from "./page/codec-workers.js";
import { startBrowserSuite, type BrowserSuite, type PageVariant } from "./browser-harness.js";

const BIG_ROWS = 30_000;

describe("the client in a dedicated Web Worker (Chromium)", () => {
  let suite: BrowserSuite;
  let page: Page;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    page = await suite.openPage();
  }, 120_000);

  afterAll(async () => {
    await suite?.close();
  });

  it.each(["ZSTD", "LZ4_FRAME", "NONE"])("writes and reads a %s-compressed log table from the worker", async (compression) => {
    const database = `browser_worker_log_${Date.now().toString(36)}`;
    const result = await page.evaluate(([url, db, c]) => window.fluss.inWorker("writeAndScan", url, db, c), [suite.gatewayUrl, database, compression] as const);
    if ("failed" in result) throw new Error(`the worker failed: ${result.message}`);
    expect(result.read).toBe(result.written);
    expect(result.arrowRows).toBe(result.written);
    expect(result.rows[0]).toBe("0|0|événement 0 |0.00|1764000000000.0|0,128,255");
    expect(result.rows[499]).toBe(`499|${499n * 1_000_000_007n}|événement 499 ${"x".repeat(499 % 40)}|499.99|1764000000499.499000|243,128,255`);
  });

  it("hands a failure in the worker to the page as a FlussError's code and message", async () => {
    const result = await page.evaluate((url) => window.fluss.inWorker("timedArrowScan", url, "no_such_database_in_worker", "t", 1), suite.gatewayUrl);
    expect(result).toMatchObject({ failed: true, name: "FlussError", errorCode: 7 });
    expect((result as { message: string }).message).toMatch(/no_such_database_in_worker/);
  });

  it("runs the README's worker recipe as written: the page rebuilds the rows it posts", async () => {
    const database = `browser_readme_worker_${Date.now().toString(36)}`;
    const rows = 2_000;
    const conn = await FlussConnection.create(new Config({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! }));
    try {
      const admin = conn.getAdmin();
      await admin.createDatabase(database);
      const schema = new Schema([
        { name: "id", type: DataTypes.bigint() },
        { name: "item", type: DataTypes.string() },
      ]);
      const path = new TablePath(database, "orders");
      await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: 1 }));
      const writer = (await conn.getTable(path)).newAppend().createWriter();
      for (let i = 0; i < rows; i++) writer.append({ id: BigInt(i), item: `item ${i}` });
      await writer.close();
      const result = await page.evaluate(([url, db, n]) => window.fluss.readmeWorker(url, db, n), [suite.gatewayUrl, database, rows] as const);
      expect(result.error).toBeUndefined();
      expect(result.rows).toBe(rows);
      expect(result.ids).toEqual(Array.from({ length: rows }, (_, i) => String(i)));
      await admin.dropDatabase(database, { cascade: true });
    } finally {
      await conn.close();
    }
  });

  it("the README's worker recipe posts a failure as its code and message", async () => {
    const result = await page.evaluate((url) => window.fluss.readmeWorker(url, "no_such_database_for_readme", 1), suite.gatewayUrl);
    expect(result.rows).toBe(0);
    expect(result.error?.errorCode).toBe(7);
    expect(result.error?.message).toMatch(/no_such_database_for_readme/);
  });

  async function bigScanInWorker(variant: PageVariant) {
    const workerPage = await suite.openPage(variant);
    try {
      const database = `browser_worker_big_${variant}_${Date.now().toString(36)}`;
      const result = await workerPage.evaluate(([url, db, rows]) => window.fluss.inWorker("bigScan", url, db, rows), [suite.gatewayUrl, database, BIG_ROWS] as const);
      const stats = await workerPage.evaluate(() => window.fluss.inWorker("codecWorkerStats"));
      const pageStats = await workerPage.evaluate(() => window.fluss.codecWorkerStats());
      return { result, stats, pageStats };
    } finally {
      await workerPage.close();
    }
  }

  it("compresses and decompresses on codec workers started from the worker", async () => {
    const { result, stats, pageStats } = await bigScanInWorker("plain");
    expect(result).toEqual(expectedBigScan(BIG_ROWS));
    if ("failed" in stats) throw new Error(stats.message);
    expectCodecJobsOffThread(stats, "moved");
    // The page started one worker, the client's own, and sent no codec job: all of the client ran there.
    expect(pageStats.started).toBe(1);
    expect(pageStats.compressJobs + pageStats.decompressJobs).toBe(0);
  });

  it("uses shared inboxes from a worker of a cross-origin isolated page", async () => {
    const { result, stats } = await bigScanInWorker("isolated");
    expect(result).toEqual(expectedBigScan(BIG_ROWS));
    if ("failed" in stats) throw new Error(stats.message);
    expectCodecJobsOffThread(stats, "shared");
  });
});
