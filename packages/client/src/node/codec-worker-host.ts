import { Worker } from "node:worker_threads";
import type { CodecWorkerReply } from "../codec-workers/protocol.js";
import { type CodecWorkerHandle, reportFailureOnce } from "../codec-workers/worker-pool.js";

/**
 * Starts a codec worker thread (codec-worker.ts). Idle workers are unref'd by
 * the pool: an idle pool never keeps the process alive.
 */
export function spawnNodeCodecWorker(): CodecWorkerHandle {
  const worker = createWorker();
  const handle: CodecWorkerHandle = {
    onMessage: undefined,
    onFailure: undefined,
    post: (message, transfer) => worker.postMessage(message, transfer),
    setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: async () => {
      await worker.terminate();
    },
  };
  const fail = reportFailureOnce(handle);
  worker.on("message", (message: CodecWorkerReply) => handle.onMessage?.(message));
  worker.on("error", (error) => fail(new Error(`codec worker failed: ${error.message}`)));
  worker.on("exit", (code) => fail(new Error(`codec worker exited with code ${code}`)));
  return handle;
}

/**
 * The worker: the compiled JS next to this file, or, when this module runs
 * from its TypeScript source (tests, tsx), that source loaded through tsx's
 * loader registered inside the worker (a dev-only path).
 */
function createWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./codec-worker.js", import.meta.url));
  const source = new URL("./codec-worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true });
}
