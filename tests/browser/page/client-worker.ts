/**
 * A dedicated module Web Worker that runs the client, as a dashboard that
 * keeps all of Fluss off its page's thread would: the WebSocket to the
 * gateway, the batching, and ZSTD (on codec workers the client starts from
 * inside this worker). The page (in-worker.ts) sends it a call by name and
 * gets the result, or the FlussError's name, code and message, back.
 */
import { FlussError } from "@fluss-edge/client";
import { writeAndScan } from "../scenarios.js";
import { bigScan, codecWorkerStats, timedArrowScan, watchCodecWorkers } from "./codec-workers.js";

/** The calls the page may make, by name. */
export const WORKER_CALLS = { writeAndScan, bigScan, timedArrowScan, codecWorkerStats };
export type WorkerCalls = typeof WORKER_CALLS;

/** One call from the page. */
export interface WorkerCall {
  id: number;
  name: keyof WorkerCalls;
  args: unknown[];
}

/** Its outcome. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: { name: string; errorCode?: number; message: string } };

/** The part of a dedicated worker's global scope used here (the DOM typings describe a window). */
interface WorkerScope {
  addEventListener(type: "message", listener: (event: MessageEvent<WorkerCall>) => void): void;
  postMessage(message: WorkerReply): void;
}

// Before the client opens a table: it starts its codec workers then.
watchCodecWorkers();

const scope = globalThis as unknown as WorkerScope;
scope.addEventListener("message", (event) => {
  const { id, name, args } = event.data;
  const call = WORKER_CALLS[name] as (...args: unknown[]) => unknown;
  Promise.resolve()
    .then(() => call(...args))
    .then(
      (result) => scope.postMessage({ id, result }),
      (error: unknown) => {
        const failure = FlussError.from(error);
        scope.postMessage({ id, error: { name: failure.name, errorCode: failure.errorCode, message: failure.message } });
      },
    );
});
