import { serverRuntime } from "../client/runtime.js";
import { withCodecWorkers } from "../codec-workers/pooled-zstd.js";
import { codecWorkerSettings } from "../codec-workers/settings.js";
import type { CodecWorkerReply } from "../codec-workers/protocol.js";
import { type CodecWorkerHandle, CodecWorkerPool, reportFailureOnce } from "../codec-workers/worker-pool.js";
import type { BufferCodec } from "../wire/records/compression/codec.js";
import { createCodec as createUniversalZstd } from "../wire/records/compression/zstd-codec.js";
import { compiledZstdWasm } from "../wire/records/compression/zstd-wasm.js";

/**
 * The ZSTD codec of the universal entry: the WebAssembly codec, with whole
 * batches (de)compressed on Web Workers where the runtime has them (pages
 * and their workers, on two or more cores). A page's JS thread then keeps
 * drawing while a big scan decompresses: without workers a 2 MiB batch
 * costs it a few milliseconds and a scan of 100 MB a fraction of a second
 * of blocked UI. Runtimes without `Worker` (Cloudflare workerd) keep the
 * codec on their one thread, and so do server runtimes that run this entry
 * (Deno, Bun: a live worker would keep their process from exiting, and a
 * bundled server has no worker script next to it).
 *
 * Inputs reach the workers through shared inboxes where the page is
 * cross-origin isolated (`crossOriginIsolated`: SharedArrayBuffer exists),
 * else as one copy per buffer moved to the worker; either way each input is
 * copied once and each output moved back without a copy.
 */
export async function loadZstdForWeb(): Promise<BufferCodec> {
  const inThread = await createUniversalZstd();
  if (!hasWebWorkers()) return inThread;
  const { url } = codecWorkerSettings();
  const sharedInbox = typeof SharedArrayBuffer === "function" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const zstdModule = compiledZstdWasm();
  return withCodecWorkers(inThread, coreCount(), (size) => CodecWorkerPool.start(() => spawnWebCodecWorker(url), { size, sharedInbox, zstdModule }));
}

function spawnWebCodecWorker(url: string | URL | undefined): CodecWorkerHandle {
  // The literal `new Worker(new URL("…", import.meta.url), …)` is the form bundlers recognise
  // (Vite: examples/browser-dashboard): they bundle the worker script and rewrite the URL.
  const worker =
    url === undefined
      ? new Worker(new URL("./fluss-codec-worker.js", import.meta.url), { type: "module", name: "fluss-edge codec" })
      : new Worker(url, { type: "module", name: "fluss-edge codec" });
  const handle: CodecWorkerHandle = {
    onMessage: undefined,
    onFailure: undefined,
    post: (message, transfer) => worker.postMessage(message, transfer),
    setBusy: () => undefined,
    terminate: async () => worker.terminate(),
  };
  const fail = reportFailureOnce(handle);
  worker.addEventListener("message", (event: MessageEvent<CodecWorkerReply>) => handle.onMessage?.(event.data));
  worker.addEventListener("error", (event) => {
    // Handled here: a worker that cannot load costs the off-thread speed-up, not a console error.
    event.preventDefault();
    fail(new Error(`codec worker failed: ${event.message || "its script could not be loaded"}`));
  });
  worker.addEventListener("messageerror", () => fail(new Error("codec worker got a message it could not read")));
  return handle;
}

/** Logical cores of this machine as the runtime reports them (1 where it does not). */
function coreCount(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof cores === "number" && cores > 0 ? cores : 1;
}

/** A browser page or worker: `Worker` exists and this is not a server runtime that also has one. */
function hasWebWorkers(): boolean {
  return typeof Worker === "function" && serverRuntime() === undefined;
}
