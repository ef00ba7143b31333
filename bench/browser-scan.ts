/**
 * Full-scan throughput in a browser page, with and without the codec Web
 * Workers, against fluss-edge in Node through the same gateway, same run.
 *
 *   bash scripts/bench.sh browser     (starts the cluster if needed)
 *
 * Env: BENCH_ROWS (default 1 000 000), BENCH_BUCKETS (4), BENCH_ROUNDS (3: best of).
 *
 * The table (bench/log-schema.json, ZSTD, the table default) is written once
 * by fluss-edge over TCP. Each round then scans it, cases interleaved:
 * headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * on the test suite's page bundle (tests/browser/page, built with esbuild
 * against the built package), served three ways: an ordinary page (codec
 * workers, each input copied and moved to them), a cross-origin isolated
 * page (codec workers, shared inboxes) and a page whose worker script is
 * missing (ZSTD on the page's thread); the ordinary page once more with the
 * whole client in a dedicated worker of the page (tests/browser/page/
 * client-worker.ts, which starts its own codec workers; the page observes
 * its long tasks over the whole call); and bench/edge-log-bench.ts in Node
 * through the same gateway (the same client code, worker threads). Each
 * browser case is a fresh tab that scans twice: the first scan is a
 * dashboard's first load (the page-thread codec still runs WebAssembly's
 * first tier; workers warm up before the clock, inside getTable), the second
 * a later one. Besides rows/s, the page records the long
 * tasks (≥ 50 ms on its thread, PerformanceObserver "longtask") seen during
 * the scan: the time a dashboard could not draw or react.
 *
 * Writes bench/results/browser-scan.json and .md.
 */
/// <reference path="../tests/browser/page/main.ts" />
import { writeFileSync } from "node:fs";
import { Config, FlussConnection, TableDescriptor, TablePath } from "@fluss-edge/client";
import { silentLogger, startGateway } from "../gateway/src/index.js";
import { buildPage, launchChromium, servePage, type PageVariant } from "../tests/browser/browser-harness.js";
import type { ArrowScanTiming } from "../tests/browser/page/codec-workers.js";
import { createTableReady } from "../tests/support/table-ready.js";
import { BENCH_SCHEMA, BYTES_PER_ROW, bestWithRounds, runHeader, type PhaseResult } from "./log-bench-schema.js";
import { EDGE_DRIVER_ENV, lastJsonLine, run } from "./processes.js";
import { round } from "./stats.js";

const bootstrap = process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BUCKETS = Number(process.env.BENCH_BUCKETS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface CaseResult {
  seconds: number;
  rowsPerSec: number;
  mbPerSec: number;
  /** Browser cases: long tasks on the page's thread during the scan. */
  longTasks?: number;
  longestTaskMs?: number;
  longTaskMs?: number;
  /** Browser cases: CPU time of the page's main thread during the scan (CDP Performance.getMetrics TaskDuration). */
  pageThreadMs?: number;
}

const LABELS = {
  workers: "Chromium, codec workers (inputs moved)",
  isolated: "Chromium, codec workers (shared inboxes, isolated page)",
  pageThread: "Chromium, no codec workers (page thread)",
  inWorker: "Chromium, client in a dedicated worker (codec workers nested)",
  node: "Node, same gateway (worker threads)",
} as const;
const VARIANT_OF: Readonly<Record<string, PageVariant>> = {
  [LABELS.workers]: "plain",
  [LABELS.isolated]: "isolated",
  [LABELS.pageThread]: "no-worker",
  [LABELS.inWorker]: "plain",
};
const BROWSER_LABELS = [LABELS.workers, LABELS.isolated, LABELS.pageThread, LABELS.inWorker];
const firstScan = (label: string) => `${label}, first scan`;
const secondScan = (label: string) => `${label}, second scan`;

async function main(): Promise<void> {
  const bundle = await buildPage();
  const site = await servePage(bundle.dir);
  const gateway = await startGateway({ bootstrapServers: bootstrap, port: 0, logger: silentLogger, allowedOrigins: [site.origin] });
  const conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap }));
  const admin = conn.getAdmin();
  const database = `bench_browser_${Date.now().toString(36)}`;
  const browser = await launchChromium();
  const best = new Map<string, CaseResult>();
  const all = new Map<string, number[]>();
  try {
    await admin.createDatabase(database);
    // With bucket leaders before the first case (Fluss 0.9.1's coordinator can miss a new table).
    await createTableReady(admin, new TablePath(database, "t"), new TableDescriptor(BENCH_SCHEMA, { bucketCount: BUCKETS }), { leadersTimeoutMs: 10_000 });
    const dbArgs = ["--database", database, "--table", "t", "--rows", String(ROWS)];
    lastJsonLine<PhaseResult>(
      await run(process.execPath, ["--import", "tsx", "bench/edge-log-bench.ts", "--bootstrap", bootstrap, ...dbArgs, "--phase", "append", "--api", "arrow"], EDGE_DRIVER_ENV),
    );
    /** Two scans in one fresh tab: the first (codecs cold, as a dashboard's first load), then again (warm). */
    const inBrowser = async (label: string): Promise<[CaseResult, CaseResult]> => {
      const variant = VARIANT_OF[label]!;
      const page = await browser.newPage();
      try {
        await page.goto(site.urlOf(variant));
        await page.waitForSelector("#ready");
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("Performance.enable");
        const taskSeconds = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration")?.value ?? Number.NaN;
        const scan = async (): Promise<CaseResult> => {
          const args = [gateway.url, database, ROWS] as const;
          const tasksBefore = await taskSeconds();
          const timing: ArrowScanTiming =
            label === LABELS.inWorker
              ? await page.evaluate(([url, db, n]) => window.fluss.scanInWorker(url, db, "t", n), args)
              : await page.evaluate(([url, db, n]) => window.fluss.scanArrowTable(url, db, "t", n), args);
          if (timing.read !== ROWS) throw new Error(`${variant}: read ${timing.read} rows, expected ${ROWS}`);
          const pageThreadMs = Math.round(((await taskSeconds()) - tasksBefore) * 1000);
          const seconds = timing.ms / 1000;
          return { seconds, rowsPerSec: ROWS / seconds, mbPerSec: (ROWS * BYTES_PER_ROW) / 1e6 / seconds, ...timing, pageThreadMs };
        };
        const first = await scan();
        return [first, await scan()];
      } finally {
        await page.close();
      }
    };
    const inNode = async (): Promise<CaseResult> => {
      const out = await run(process.execPath, ["--import", "tsx", "bench/edge-log-bench.ts", "--gateway", gateway.url, ...dbArgs, "--phase", "scan", "--api", "arrow"], EDGE_DRIVER_ENV);
      const result = lastJsonLine<PhaseResult>(out);
      return { seconds: result.seconds, rowsPerSec: result.rowsPerSec, mbPerSec: result.mbPerSec };
    };
    const record = (r: number, label: string, result: CaseResult) => {
      all.set(label, [...(all.get(label) ?? []), Math.round(result.rowsPerSec)]);
      const previous = best.get(label);
      if (!previous || result.rowsPerSec > previous.rowsPerSec) best.set(label, result);
      const blocked =
        result.longTaskMs === undefined ? "" : `  long tasks ${result.longTasks} (${result.longTaskMs} ms, longest ${result.longestTaskMs} ms), page thread ${result.pageThreadMs} ms`;
      console.error(`[round ${r + 1}/${ROUNDS}] ${label.padEnd(72)} ${Math.round(result.rowsPerSec).toLocaleString("en-US").padStart(11)} rows/s${blocked}`);
    };
    for (let r = 0; r < ROUNDS; r++) {
      for (const label of BROWSER_LABELS) {
        const [first, second] = await inBrowser(label);
        record(r, firstScan(label), first);
        record(r, secondScan(label), second);
      }
      record(r, LABELS.node, await inNode());
    }
  } finally {
    await browser.close();
    await site.close();
    bundle.cleanup();
    await admin.dropDatabase(database, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
    await conn.close();
    await gateway.close();
  }
  report(best, all);
}

function report(best: Map<string, CaseResult>, all: Map<string, number[]>): void {
  const get = (label: string) => best.get(label)!;
  const ratio = (a: string, b: string) => round(get(a).rowsPerSec / get(b).rowsPerSec, 3);
  const ratios = {
    "workers ÷ page thread, first scan (rows/s)": ratio(firstScan(LABELS.workers), firstScan(LABELS.pageThread)),
    "workers ÷ page thread, second scan (rows/s)": ratio(secondScan(LABELS.workers), secondScan(LABELS.pageThread)),
    "isolated workers ÷ page thread, second scan (rows/s)": ratio(secondScan(LABELS.isolated), secondScan(LABELS.pageThread)),
    "client in a worker ÷ on the page with workers, first scan (rows/s)": ratio(firstScan(LABELS.inWorker), firstScan(LABELS.workers)),
    "client in a worker ÷ on the page with workers, second scan (rows/s)": ratio(secondScan(LABELS.inWorker), secondScan(LABELS.workers)),
    "Chromium with workers, second scan ÷ Node, same gateway (rows/s)": ratio(secondScan(LABELS.workers), LABELS.node),
  };
  const result = {
    benchmark: "full scan in a browser page (with / without codec workers) and in Node, through the same gateway, same run",
    ...runHeader({ rows: ROWS, buckets: BUCKETS, rounds: ROUNDS }),
    results: bestWithRounds(best, all),
    ratios,
  };
  writeFileSync(new URL("./results/browser-scan.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");
  const row = (label: string) => {
    const r = get(label);
    const blocked = r.longTaskMs === undefined ? "— | — | —" : `${r.pageThreadMs} ms | ${r.longTaskMs} ms in ${r.longTasks} | ${r.longestTaskMs} ms`;
    return `| ${label} | ${Math.round(r.rowsPerSec).toLocaleString("en-US")} | ${r.mbPerSec.toFixed(1)} | ${r.seconds.toFixed(2)} | ${blocked} |`;
  };
  const md = [
    `# Full scan in a browser page, with and without codec workers (${result.date})`,
    "",
    `${ROWS.toLocaleString("en-US")} rows of the 10-column table of bench/log-schema.json (written by fluss-edge), ${BUCKETS} buckets, ` +
      `ZSTD (the table default); best of ${ROUNDS} round(s) by rows/s; headless Chromium (Debian) and Node ${process.version}, ` +
      "both through one gateway in the orchestrator's process; one local Fluss 0.9.1 cluster on the same 2-core machine. " +
      `MB = rows × ${BYTES_PER_ROW} bytes (uncompressed Arrow payload). Timed from the scanner's creation (after getTable, which starts the workers) ` +
      "to the last row; each browser case is a fresh tab scanning twice (first: codecs as a new page has them; second: warm); " +
      "busy = the page's main thread's task time (Chromium's TaskDuration metric) over the whole call (connect, getTable, scan); " +
      "blocked = long tasks (≥ 50 ms) on the page's thread during the scan (over the whole call for the client in a worker); both of the best round.",
    "",
    "| case | rows/s | MB/s | s | page thread busy | page thread blocked | longest task |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...[...best.keys()].map(row),
    "",
    "## Ratios",
    "",
    ...Object.entries(ratios).map(([k, v]) => `- ${k} = ${v}`),
    "",
    `Rows/s of every round: ${[...all].map(([label, rates]) => `${label}: ${rates.map((v) => v.toLocaleString("en-US")).join(", ")}`).join("; ")}.`,
    "",
  ].join("\n");
  writeFileSync(new URL("./results/browser-scan.md", import.meta.url), md);
  console.log(md);
}

await main();
