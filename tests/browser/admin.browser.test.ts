import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../support/closed-port.js";
import { startBrowserSuite, type BrowserSuite } from "./browser-harness.js";
import { expectedKvRoundTrip } from "./scenarios.js";

describe("in Chromium, through the gateway", () => {
  let suite: BrowserSuite;
  let page: Page;
  let gatewayUrl: string;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    gatewayUrl = suite.gatewayUrl;
    page = await suite.openPage();
  }, 120_000);

  afterAll(async () => {
    await suite?.close();
  });

  it("creates and lists a database", async () => {
    const database = `browser_${Date.now().toString(36)}`;
    const result = await page.evaluate(([url, db]) => window.fluss.createAndList(url, db), [gatewayUrl, database] as const);
    expect(result.ok).toBe(true);
    expect(result.databases).toContain(database);
    expect(await page.textContent("#databases")).toContain(database);
  });

  it.each(["ZSTD", "LZ4_FRAME", "NONE"])("writes and reads a %s-compressed log table in the page", async (compression) => {
    const database = `browser_log_${Date.now().toString(36)}`;
    const result = await page.evaluate(([url, db, c]) => window.fluss.writeAndScan(url, db, c), [gatewayUrl, database, compression] as const);
    expect(result.read).toBe(result.written);
    expect(result.arrowRows).toBe(result.written);
    expect(result.rows[0]).toBe("0|0|événement 0 |0.00|1764000000000.0|0,128,255");
    expect(result.rows[499]).toBe(`499|${499n * 1_000_000_007n}|événement 499 ${"x".repeat(499 % 40)}|499.99|1764000000499.499000|243,128,255`);
    expect(await page.textContent(`#log-${compression}`)).toBe("500 rows");
  });

  it("upserts into, deletes from and looks up a primary-key table in the page, and reads its changelog", async () => {
    const database = `browser_kv_${Date.now().toString(36)}`;
    const result = await page.evaluate(([url, db]) => window.fluss.upsertAndLookup(url, db), [gatewayUrl, database] as const);
    expect(result).toEqual(expectedKvRoundTrip());
  });

  it("shows a FlussError with CLIENT_ERROR when the gateway is down", async () => {
    const downUrl = `ws://127.0.0.1:${await closedPort()}/fluss`;
    const result = await page.evaluate((url) => window.fluss.connectToDownGateway(url), downUrl);
    expect(result).toMatchObject({ ok: false, errorName: "CLIENT_ERROR", errorCode: -2 });
    expect(await page.textContent("#error")).toMatch(/^CLIENT_ERROR \(-2\)/);
  });
});
