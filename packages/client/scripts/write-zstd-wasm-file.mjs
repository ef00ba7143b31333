// Writes dist/zstd.wasm, the ZSTD module as a file of its own (the package export
// "@fluss-edge/client/zstd.wasm"), from the base64 that src/gen-data/zstd-wasm.ts carries: for
// platforms that compile WebAssembly at deploy time only (Cloudflare Workers), whose bundlers turn
// `import zstdWasm from "@fluss-edge/client/zstd.wasm"` into a compiled module (see
// useZstdWasmModule). Run by `pnpm run build` after tsc.
import { writeFileSync } from "node:fs";

const { ZSTD_WASM_BASE64 } = await import(new URL("../dist/gen-data/zstd-wasm.js", import.meta.url).href);
const bytes = Buffer.from(ZSTD_WASM_BASE64, "base64");
new WebAssembly.Module(bytes); // a sanity check: the bytes are a module
writeFileSync(new URL("../dist/zstd.wasm", import.meta.url), bytes);
