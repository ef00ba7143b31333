/**
 * The ingest function as a Cloudflare Worker (also runs in workerd). Its
 * settings come from the worker's bindings: FLUSS_GATEWAY_URL,
 * FLUSS_GATEWAY_TOKEN (a secret, optional) and FLUSS_TABLE ("db.table").
 *
 * Workers may not compile WebAssembly at run time, but the platform
 * compiles `.wasm` imports when the worker is deployed: handing the
 * client's ZSTD module over makes ZSTD tables (Fluss's default) get
 * compressed batches, as the table asks, instead of raw ones.
 */
import { useZstdWasmModule } from "@fluss-edge/client";
import zstdWasm from "@fluss-edge/client/zstd.wasm";
import { handleIngest } from "./ingest.js";

useZstdWasmModule(zstdWasm);

interface Env {
  FLUSS_GATEWAY_URL: string;
  FLUSS_GATEWAY_TOKEN?: string;
  FLUSS_TABLE: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return handleIngest(request, { gatewayUrl: env.FLUSS_GATEWAY_URL, gatewayToken: env.FLUSS_GATEWAY_TOKEN, table: env.FLUSS_TABLE });
  },
};
