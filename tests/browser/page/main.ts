/**
 * The page under test: it imports the client's BROWSER build (esbuild resolves
 * "@fluss-edge/client" with the `browser` condition, so no Node built-in can
 * sneak in) and exposes one function per scenario (tests/browser/scenarios.ts,
 * shared with the Deno and workerd tests) for the Playwright test, showing
 * each outcome on the page as well.
 */
import {
  CLIENT_ERROR_CODE,
  connectToDownGateway as connectToDown,
  createAndList as createAndListDatabases,
  upsertAndLookup,
  writeAndScan as writeAndScanLog,
  type LogRoundTrip,
  type ScenarioResult,
} from "../scenarios.js";
import { bigScan, codecWorkerStats, scanArrowTable, watchCodecWorkers } from "./codec-workers.js";
import { inWorker, readmeWorker, scanInWorker } from "./in-worker.js";

// Before anything opens a table: the client starts its codec workers then.
watchCodecWorkers();

function show(id: string, text: string): void {
  const element = document.createElement("pre");
  element.id = id;
  element.textContent = text;
  document.body.append(element);
}

async function createAndList(gatewayUrl: string, database: string): Promise<ScenarioResult> {
  const result = await createAndListDatabases(gatewayUrl, database);
  show("databases", (result.databases ?? []).join("\n"));
  return result;
}

async function connectToDownGateway(gatewayUrl: string): Promise<ScenarioResult> {
  const result = await connectToDown(gatewayUrl);
  if (result.errorName !== undefined) show("error", `${result.errorName} (${result.errorCode}): ${result.message}`);
  return result;
}

async function writeAndScan(gatewayUrl: string, database: string, compression: string): Promise<LogRoundTrip> {
  const result = await writeAndScanLog(gatewayUrl, database, compression);
  show(`log-${compression}`, `${result.read} rows`);
  return result;
}

declare global {
  interface Window {
    fluss: {
      createAndList: typeof createAndList;
      writeAndScan: typeof writeAndScan;
      upsertAndLookup: typeof upsertAndLookup;
      connectToDownGateway: typeof connectToDownGateway;
      bigScan: typeof bigScan;
      scanArrowTable: typeof scanArrowTable;
      codecWorkerStats: typeof codecWorkerStats;
      /** Runs a call of tests/browser/page/client-worker.ts in a dedicated worker of this page. */
      inWorker: typeof inWorker;
      scanInWorker: typeof scanInWorker;
      /** Runs the README's worker recipe (tests/browser/browser-harness.ts builds it from README.md). */
      readmeWorker: typeof readmeWorker;
      clientErrorCode: number;
    };
  }
}

window.fluss = { createAndList, writeAndScan, upsertAndLookup, connectToDownGateway, bigScan, scanArrowTable, codecWorkerStats, inWorker, scanInWorker, readmeWorker, clientErrorCode: CLIENT_ERROR_CODE };
show("ready", "ready");
