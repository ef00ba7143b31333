/**
 * The workerd entry (worker.ts) with the client given its ZSTD module the way a Cloudflare
 * Worker gets it: imported as a `.wasm` module, which the platform compiles when it loads the
 * worker (at deploy time on Cloudflare), because the worker itself may not compile WebAssembly.
 * The test copies `@fluss-edge/client/zstd.wasm` next to the bundle as `zstd.wasm`.
 */
import { useZstdWasmModule } from "@fluss-edge/client";
// codec-probe.ts runs the codec from the client's sources (a copy of its own in this bundle):
// that copy gets the module too.
import { useZstdWasmModule as useZstdWasmModuleInProbe } from "../../packages/client/src/wire/records/compression/zstd-wasm.js";
import zstdWasm from "./zstd.wasm";

if (!useZstdWasmModule(zstdWasm) || !useZstdWasmModuleInProbe(zstdWasm)) throw new Error("useZstdWasmModule refused the module");

export { default } from "./worker.js";
