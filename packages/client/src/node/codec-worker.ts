/**
 * A codec worker thread of the Node entry (started by codec-worker-host.ts):
 * serve-codec-jobs.ts over the thread's `parentPort`.
 */
import { parentPort } from "node:worker_threads";
import type { CodecWorkerRequest } from "../codec-workers/protocol.js";
import { serveCodecJobs } from "../codec-workers/serve-codec-jobs.js";

const port = parentPort;
if (!port) throw new Error("codec-worker.js runs as a worker thread only");

serveCodecJobs({
  post: (message, transfer) => port.postMessage(message, transfer),
  onMessage: (listener) => port.on("message", (message: CodecWorkerRequest) => listener(message)),
});
