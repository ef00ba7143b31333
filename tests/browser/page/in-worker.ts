/**
 * The page's end of client-worker.ts: starts the worker on first use (from
 * the page's own directory, so each served variant, e.g. cross-origin
 * isolated, has its own) and runs calls in it.
 */
import { tableFromIPC } from "apache-arrow";
import type { TimedScan } from "./codec-workers.js";
import type { WorkerCall, WorkerCalls, WorkerReply } from "./client-worker.js";
import { withLongTasks } from "./codec-workers.js";

/** A call that failed in the worker, as the page sees it. */
export interface WorkerFailure {
  failed: true;
  name: string;
  errorCode?: number;
  message: string;
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, (reply: WorkerReply) => void>();

function clientWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./client-worker.js", document.baseURI), { type: "module", name: "fluss-edge client" });
    worker.addEventListener("message", (event: MessageEvent<WorkerReply>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    });
  }
  return worker;
}

/** Runs one of the worker's calls; a failure comes back as a {@link WorkerFailure}. */
export function inWorker<K extends keyof WorkerCalls>(name: K, ...args: Parameters<WorkerCalls[K]>): Promise<Awaited<ReturnType<WorkerCalls[K]>> | WorkerFailure> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, (reply) => resolve("error" in reply ? { failed: true, ...reply.error } : (reply.result as Awaited<ReturnType<WorkerCalls[K]>>)));
    const call: WorkerCall = { id, name, args };
    clientWorker().postMessage(call);
  });
}

/**
 * The worker scans (timedArrowScan) while the page records its own long
 * tasks: what a dashboard that runs the client in a worker keeps of its
 * thread. The whole call is observed, the worker's connect and getTable too.
 */
export async function scanInWorker(gatewayUrl: string, database: string, tableName: string, rows: number) {
  return withLongTasks(async (): Promise<TimedScan> => {
    const result = await inWorker("timedArrowScan", gatewayUrl, database, tableName, rows);
    if ("failed" in result) throw new Error(`the scan in the worker failed: ${result.message}`);
    return result;
  });
}

/** What the README's worker recipe delivered to the page. */
export interface ReadmeWorkerResult {
  /** Rows rebuilt on the page from the IPC bytes the worker posted. */
  rows: number;
  /** The `id` column of those rows, in order, as strings. */
  ids: string[];
  /** What the recipe posts when it fails. */
  error?: { errorCode: number; message: string };
  timedOut?: boolean;
}

/**
 * Starts the README's "client in a Web Worker" recipe (readme-worker.js,
 * built from the README by the harness) against `gatewayUrl` and
 * `database`, and rebuilds what it posts with `tableFromIPC`, as its
 * comment tells the page to, until `expectedRows` rows or a failure came.
 */
export function readmeWorker(gatewayUrl: string, database: string, expectedRows: number, timeoutMs = 20_000): Promise<ReadmeWorkerResult> {
  const url = new URL("./readme-worker.js", document.baseURI);
  url.searchParams.set("gateway", gatewayUrl);
  url.searchParams.set("database", database);
  const recipe = new Worker(url, { type: "module" });
  return new Promise((resolve) => {
    const result: ReadmeWorkerResult = { rows: 0, ids: [] };
    const done = (extra: Partial<ReadmeWorkerResult> = {}) => {
      clearTimeout(timer);
      recipe.terminate();
      resolve({ ...result, ...extra });
    };
    const timer = setTimeout(() => done({ timedOut: true }), timeoutMs);
    recipe.addEventListener("message", (event: MessageEvent<{ rows?: Uint8Array; errorCode?: number; message?: string }>) => {
      const { rows, errorCode, message } = event.data;
      if (rows === undefined) return done({ error: { errorCode: errorCode!, message: message! } });
      const table = tableFromIPC(rows);
      const ids = table.getChild("id")!;
      for (let i = 0; i < table.numRows; i++) result.ids.push(String(ids.get(i)));
      result.rows += table.numRows;
      if (result.rows >= expectedRows) done();
    });
  });
}
