/**
 * Gives the client its ZSTD WebAssembly as a file of the build, compiled while it downloads.
 *
 * Without this the client imports the same module as a base64 JavaScript chunk the first time a
 * ZSTD table is opened: about 670 KB of JavaScript to download, parse and decode, against a
 * 500 KB `.wasm` file that Vite emits from the `?url` import below and the browser compiles as it
 * streams in. It must be given before the first ZSTD table is opened, so the page starts it at
 * load and the table waits for it.
 */
import { useZstdWasmModule } from "@fluss-edge/client";
import zstdWasmUrl from "@fluss-edge/client/zstd.wasm?url";

let loading: Promise<void> | undefined;

/** Compiles the module once and hands it to the client; if that fails, the client uses its own copy. */
export function loadZstdModule(): Promise<void> {
  loading ??= compileZstdModule().then(
    (module) => {
      useZstdWasmModule(module);
    },
    (error: unknown) => console.warn("fluss-edge: ZSTD module not loaded from its file, using the built-in copy", error),
  );
  return loading;
}

async function compileZstdModule(): Promise<WebAssembly.Module> {
  const response = await fetch(zstdWasmUrl);
  if (!response.ok) throw new Error(`${zstdWasmUrl}: HTTP ${response.status}`);
  // Streaming compilation needs the application/wasm type; a server that sends another gets the plain compile.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
