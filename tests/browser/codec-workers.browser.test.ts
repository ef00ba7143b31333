/**
 * ZSTD off the page's thread: in Chromium, the client (de)compresses whole
 * batches on Web Workers, with inputs moved to them (an ordinary page) or
 * through shared inboxes (a cross-origin isolated page), and a page whose
 * bundle lacks the worker script still reads and writes correctly on its
 * own thread. Each variant is a fresh page: the codec loads once per page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCodecJobsOffThread } from "./codec-expectations.js";
import { expectedBigScan } from "./page/codec-workers.js";
import { startBrowserSuite, type BrowserSuite, type PageVariant } from "./browser-harness.js";

const ROWS = 30_000;

describe("codec Web Workers in Chromium", () => {
  let suite: BrowserSuite;

  beforeAll(async () => {
    suite = await startBrowserSuite();
  }, 120_000);

  afterAll(async () => {
    await suite?.close();
  });

  async function writeAndScanIn(variant: PageVariant) {
    const page = await suite.openPage(variant);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const database = `browser_codec_${variant.replace("-", "_")}_${Date.now().toString(36)}`;
    const result = await page.evaluate(([url, db, rows]) => window.fluss.bigScan(url, db, rows), [suite.gatewayUrl, database, ROWS] as const);
    const stats = await page.evaluate(() => window.fluss.codecWorkerStats());
    await page.close();
    return { result, stats, errors };
  }

  it("moves each batch's buffers to the workers on an ordinary page", async () => {
    const { result, stats, errors } = await writeAndScanIn("plain");
    expect(result).toEqual(expectedBigScan(ROWS));
    expectCodecJobsOffThread(stats, "moved");
    expect(errors).toEqual([]);
  });

  it("uses shared inboxes on a cross-origin isolated page", async () => {
    const { result, stats, errors } = await writeAndScanIn("isolated");
    expect(result).toEqual(expectedBigScan(ROWS));
    expectCodecJobsOffThread(stats, "shared");
    expect(errors).toEqual([]);
  });

  it("reads and writes on the page's own thread when the worker script is missing", async () => {
    const { result, stats, errors } = await writeAndScanIn("no-worker");
    expect(result).toEqual(expectedBigScan(ROWS));
    expect(stats.started).toBeGreaterThanOrEqual(1);
    expect(stats.answered).toBe(0);
    expect(stats.compressJobs + stats.decompressJobs).toBe(0);
    expect(errors).toEqual([]);
  });
});
