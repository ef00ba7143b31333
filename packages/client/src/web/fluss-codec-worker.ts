/**
 * The codec Web Worker of the universal entry (started by zstd-for-web.ts;
 * published as `@fluss-edge/client/codec-worker`): serve-codec-jobs.ts over
 * the worker's global scope. Runs as a module worker.
 */
import type { CodecWorkerReply, CodecWorkerRequest } from "../codec-workers/protocol.js";
import { serveCodecJobs } from "../codec-workers/serve-codec-jobs.js";

/** The part of a dedicated worker's global scope used here (the DOM typings describe a window). */
interface WorkerScope {
  postMessage(message: CodecWorkerReply, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<CodecWorkerRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

serveCodecJobs({
  post: (message, transfer) => scope.postMessage(message, transfer),
  onMessage: (listener) => scope.addEventListener("message", (event) => listener(event.data)),
});
