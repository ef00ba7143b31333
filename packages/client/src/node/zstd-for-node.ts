import * as os from "node:os";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import { createCodec as createUniversalZstd } from "../wire/records/compression/zstd-codec.js";
import { createNativeZstdCodec, hasNativeZstd } from "./native-zstd-codec.js";

/**
 * Cores at or below which (de)compression stays on the JS thread. Measured on
 * a 2-core machine that also runs the Fluss cluster (bench/log-throughput.ts,
 * 1M rows, ZSTD): moving it off the JS thread, to worker threads on Node 20
 * or to libuv's pool with native ZSTD on Node 22, made appends 25–45% and
 * scans 10–40% slower than doing it in line — there is no idle core to win,
 * only copies, thread hand-offs and contention with the servers. With more
 * cores the work spreads instead.
 */
const IN_LINE_MAX_CORES = 2;

/**
 * The ZSTD codec of the Node entry, loaded on first use:
 * - Node with native ZSTD (`node:zlib`, ≥ 22.15 / 23.8): native decoding;
 *   async forms on libuv's thread pool when there are spare cores;
 * - other Nodes (20): the WebAssembly codec on the JS thread, and, when there
 *   are spare cores, a pool of worker threads for the async forms, which the
 *   writer and the scanner use (the pool starts in the background; until it
 *   is up, everything runs on the JS thread);
 * - runtimes that only emulate Node (Deno, Bun): the WebAssembly codec on the
 *   JS thread.
 */
export async function loadZstdForNode(): Promise<BufferCodec> {
  const universal = await createUniversalZstd();
  const offThread = coreCount() > IN_LINE_MAX_CORES;
  if (hasNativeZstd()) {
    return createNativeZstdCodec(universal, { async: offThread })!;
  }
  if (!offThread || !isPlainNode()) return universal;
  // Nobody waits for the workers: until they are up (or if they cannot start) the async forms
  // run on the JS thread, like the synchronous ones.
  const { CodecWorkerPool, pooledCodec } = await import("./codec-worker-pool.js");
  const codec = pooledCodec(universal);
  CodecWorkerPool.start().then(
    (pool) => codec.attach(pool),
    () => undefined,
  );
  return codec;
}

/** Cores this process may use (1 where the runtime cannot tell). */
function coreCount(): number {
  try {
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length || 1;
  } catch {
    return 1;
  }
}

function isPlainNode(): boolean {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { release?: { name?: string } } };
  return g.Deno === undefined && g.Bun === undefined && g.process?.release?.name === "node";
}
