/**
 * The page's end of client-worker.ts: starts the worker on first use (from
 * the page's own directory, so each served variant, e.g. cross-origin
 * isolated, has its own) and runs calls in it.
 */
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
