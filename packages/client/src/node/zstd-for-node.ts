import * as os from "node:os";
import { withCodecWorkers } from "../codec-workers/pooled-zstd.js";
import { CodecWorkerPool } from "../codec-workers/worker-pool.js";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import { createCodec as createUniversalZstd } from "../wire/records/compression/zstd-codec.js";
import { compiledZstdWasm } from "../wire/records/compression/zstd-wasm.js";
import { spawnNodeCodecWorker } from "./codec-worker-host.js";
import { createNativeZstdCodec } from "./native-zstd-codec.js";

/**
 * The ZSTD codec of the Node entry, loaded once, on first use (`getTable` of
 * a ZSTD table loads it before returning):
 * - the synchronous forms run on the JS thread: decompression of buffers of
 *   32 KiB and more through Node's own zstd where `node:zlib` has it
 *   (≥ 22.15 / 23.8), everything else through WebAssembly; compression through WebAssembly (it keeps its context
 *   between buffers, which zlib's one-shot form does not);
 * - with two or more cores (or as `configureCodecWorkers` says), the async forms, which the writer and the
 *   scanner use for whole batches, run on a pool of worker threads, one
 *   message per batch (codec-workers/worker-pool.ts). Measured on the 2-core machine
 *   that also runs the Fluss cluster (bench/log-throughput.ts, 1M rows,
 *   ZSTD, pool started before the clock): Arrow scans ~20% and Arrow appends
 *   ~15–25% faster than on the JS thread, on Node 20 and 22 alike; Node 22's
 *   libuv-based async zstd, one thread-pool job per buffer, was slower than
 *   the JS thread, so it is not used;
 * - Bun and Deno, which run this build too (the package's `node` and `deno`
 *   exports), get the same pool: their node:worker_threads share memory and
 *   let idle workers unref, so a script still exits by itself. Measured
 *   there on the log bench's 1M rows against the JS thread alone: Arrow
 *   appends ~25% faster in both, scans ~10% (Bun) and ~20% (Deno), for
 *   ~0.3 s more in the first getTable (measured when the workers also
 *   loaded ZSTD's encoder there; they now load their decoder only).
 * The pool is up, its decoders compiled and warmed up (briefly: see
 * codec-warm-up.ts), before this resolves; if it cannot start, the JS
 * thread does everything.
 */
export async function loadZstdForNode(): Promise<BufferCodec> {
  const universal = await createUniversalZstd();
  const inThread = createNativeZstdCodec(universal) ?? universal;
  // Node, Bun and Deno all have SharedArrayBuffer: inputs go through the workers' inboxes.
  const zstdModule = compiledZstdWasm();
  return withCodecWorkers(inThread, coreCount(), (size) => CodecWorkerPool.start(spawnNodeCodecWorker, { size, sharedInbox: true, zstdModule }));
}

/** Cores this process may use (1 where the runtime cannot tell). */
function coreCount(): number {
  try {
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length || 1;
  } catch {
    return 1;
  }
}
