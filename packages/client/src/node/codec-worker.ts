/**
 * A codec worker thread of the Node entry (started by codec-worker-host.ts):
 * serve-codec-jobs.ts over the thread's `parentPort`, with Node's own zstd
 * in front of the WebAssembly codec where Node has it.
 */
import { parentPort } from "node:worker_threads";
import type { CodecWorkerRequest } from "../codec-workers/protocol.js";
import { serveCodecJobs } from "../codec-workers/serve-codec-jobs.js";
import { createNativeZstdCodec } from "./native-zstd-codec.js";

const port = parentPort;
if (!port) throw new Error("codec-worker.js runs as a worker thread only");

serveCodecJobs(
  {
    post: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (listener) => port.on("message", (message: CodecWorkerRequest) => listener(message)),
  },
  // Where node:zlib has zstd (Node ≥ 22.15), large decompressions use it here as on the JS thread
  // (node/native-zstd-codec.ts). Measured: a fresh 1M-row Arrow scan of the log bench's table on Node
  // 22.23, six interleaved runs each, median 0.184 s against 0.197 s with WebAssembly alone.
  (universal) => createNativeZstdCodec(universal) ?? universal,
);
