import type { BufferCodec } from "./codec.js";
import { instantiateZstdWasm, zstdWasmModuleProvided } from "./zstd-wasm.js";

/**
 * The ZSTD codec.
 *
 * - Where the runtime compiles WebAssembly: fluss-edge's own build of the
 *   reference zstd library (zstd-wasm.ts), compression and decompression in
 *   one module, ready as soon as it is instantiated (about 10 ms).
 * - Where a runtime forbids compiling WebAssembly at run time (Cloudflare
 *   workerd) and the application gave no compiled module
 *   (`useZstdWasmModule`): the pure-JS `fzstd` decoder (about 60 MB/s), and
 *   `compress` returns null, so that batches are stored uncompressed
 *   (Arrow's −1 length prefix), which Fluss reads fine.
 *
 * Nothing is fetched over the network: the WebAssembly bytes ship inside the
 * package (src/gen-data/zstd-wasm.ts). A codec worker passes the module
 * its pool compiled (`compiled`), which it then only instantiates.
 */
export async function createCodec(compiled?: WebAssembly.Module): Promise<BufferCodec> {
  // A module posted by another thread is only instantiated; should the runtime have passed
  // something unusable, compile here after all.
  const fromPosted = compiled && (await instantiateZstdWasm(compiled).catch(() => undefined));
  const usable = zstdWasmModuleProvided() || wasmCompilationAllowed();
  const wasm = fromPosted ?? (usable ? await instantiateZstdWasm().catch(() => undefined) : undefined);
  if (!wasm) return pureJsCodec();
  return {
    name: "ZSTD",
    compress: (data, level) => wasm.compress(data, level),
    decompress: (data, uncompressedLength) => wasm.decompress(data, uncompressedLength),
  };
}

async function pureJsCodec(): Promise<BufferCodec> {
  const fzstd = await import("fzstd");
  return {
    name: "ZSTD",
    compress: () => null,
    decompress: (data, n) => {
      if (n === 0) return new Uint8Array(0);
      const out = new Uint8Array(n);
      const result = fzstd.decompress(data, out);
      if (result.length !== n) throw new Error(`ZSTD data expands to ${result.length} bytes, expected ${n}`);
      return result;
    },
  };
}

/** Whether this runtime compiles WebAssembly from bytes (workerd does not: "Wasm code generation disallowed by embedder"). */
function wasmCompilationAllowed(): boolean {
  try {
    // The smallest valid module: magic + version.
    return typeof WebAssembly === "object" && new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)) !== null;
  } catch {
    return false;
  }
}
