import type { BufferCodec } from "./codec.js";

/**
 * The ZSTD codec.
 *
 * - Decompression: `zstddec` (the reference decoder compiled to WebAssembly,
 *   inlined in the package, about 600–1000 MB/s here); where a runtime
 *   forbids compiling WebAssembly at run time (Cloudflare workerd), the
 *   pure-JS `fzstd` decoder (about 60 MB/s) takes over.
 * - Compression: `@hpcc-js/wasm-zstd` (reference zstd in WebAssembly, also
 *   inlined), loaded by `prepareCompression()` only: a client that only
 *   reads never loads it. Loading it took about 55 ms of each thread that
 *   did (it unpacks its WebAssembly in JS), and the codec workers' warm-up
 *   compressed with it: opening a ZSTD table in a fresh Node process took
 *   370 ms with it loaded on every thread, 150 ms without, 80 ms with the
 *   shorter warm-up that followed (2 codec workers; bench/cold-start.ts).
 *   Until it is loaded, and without WebAssembly, `compress` returns null and
 *   the buffers are stored uncompressed (Arrow's −1 length prefix), which
 *   Fluss reads fine.
 *
 * None of them fetches anything over the network: the WebAssembly bytes ship
 * inside the npm packages (zstddec decodes them from a `data:` URL).
 */
export async function createCodec(): Promise<BufferCodec> {
  // Probe first: the Emscripten glue of the encoder leaves an unhandled rejection behind when
  // compilation is refused, so do not even load the WebAssembly packages where it would be.
  const wasm = wasmCompilationAllowed();
  const decoder = await (wasm ? loadDecoder() : loadPureJsDecoder());
  let encoder: Encode | undefined;
  let encoderLoading: Promise<void> | undefined;
  return {
    name: "ZSTD",
    compress: (data, level) => (encoder ? encoder(data, level) : null),
    prepareCompression: () =>
      (encoderLoading ??= wasm
        ? loadEncoder().then((loaded) => {
            encoder = loaded;
          })
        : Promise.resolve()),
    decompress: (data, uncompressedLength) => {
      const out = decoder(data, uncompressedLength);
      if (out.length !== uncompressedLength) {
        throw new Error(`ZSTD data expands to ${out.length} bytes, expected ${uncompressedLength}`);
      }
      return out;
    },
  };
}

type Decode = (data: Uint8Array, uncompressedLength: number) => Uint8Array;
type Encode = (data: Uint8Array, level: number) => Uint8Array;

/** The largest value the 32-bit WebAssembly build can return as a size; larger means an error code. */
const WASM_ERROR_THRESHOLD = 0xffffff00;

async function loadDecoder(): Promise<Decode> {
  try {
    const { ZSTDDecoder } = await import("zstddec");
    const decoder = new ZSTDDecoder();
    await withoutNodeFetch(() => decoder.init());
    return (data, n) => {
      if (n === 0) return new Uint8Array(0);
      const out = decoder.decode(data, n);
      // zstddec returns whatever the C decoder reported; an error code shows up as a huge or short size.
      if (out.length !== n || out.length >= WASM_ERROR_THRESHOLD) throw new Error("malformed ZSTD data");
      return out;
    };
  } catch {
    return loadPureJsDecoder();
  }
}

/**
 * Runs `load` (synchronous up to its first await) with `fetch` hidden where
 * the runtime has Node's `Buffer`. zstddec reads its WebAssembly through
 * `fetch` of a `data:` URL when `fetch` exists, else decodes the base64 with
 * `Buffer`. In Node (and Deno and Bun, which run the Node entry) the first
 * `fetch` loads the runtime's whole HTTP client: measured 25–30 ms of CPU in
 * every thread that loads the codec, 80 ms of a fresh process's first
 * `getTable` with two codec workers. zstddec decides in its synchronous part,
 * so `fetch` is back before anything else can run.
 */
function withoutNodeFetch<T>(load: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "fetch");
  if (typeof (globalThis as { Buffer?: unknown }).Buffer !== "function" || !descriptor?.configurable) return load();
  Object.defineProperty(globalThis, "fetch", { value: undefined, configurable: true, writable: true });
  try {
    return load();
  } finally {
    Object.defineProperty(globalThis, "fetch", descriptor);
  }
}

async function loadPureJsDecoder(): Promise<Decode> {
  const fzstd = await import("fzstd");
  return (data, n) => {
    const out = new Uint8Array(n);
    const result = fzstd.decompress(data, out);
    return result.length === n ? result : out.subarray(0, result.length);
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

async function loadEncoder(): Promise<Encode | undefined> {
  try {
    const { Zstd } = await import("@hpcc-js/wasm-zstd");
    const zstd = await Zstd.load();
    fastCopyOut(zstd, (data, level) => zstd.compress(data, level));
    return (data, level) => zstd.compress(data, level);
  } catch {
    return undefined;
  }
}

/** The Emscripten glue object inside `Zstd` that copies results out of the WebAssembly heap. */
interface HeapGlue {
  heapView(pointer: unknown): Uint8Array;
  heapToUint8Array(pointer: unknown): Uint8Array;
}

/**
 * `@hpcc-js/wasm-zstd` (1.12.5) copies every compressed result out of the
 * WebAssembly heap with `new Uint8Array([...view])`, a JS array of one
 * number per byte: measured at 86 ms per 2 MiB batch of poorly compressible
 * data against 14 ms with a plain `slice()`, i.e. most of the append time
 * (bench/log-throughput.ts profile). Its public API has no other way out, so
 * swap the glue's copy for `heapView(p).slice()` (the same bytes, one
 * memcpy), check the result against the stock path once, and keep the stock
 * path when the private shape differs or the check fails.
 */
function fastCopyOut(zstd: object, compress: Encode): void {
  const glue = (zstd as { _mainModule?: Partial<HeapGlue> })._mainModule;
  if (!glue || typeof glue.heapView !== "function" || typeof glue.heapToUint8Array !== "function") return;
  const stock = glue.heapToUint8Array;
  const sample = new TextEncoder().encode("fluss-edge zstd self-check ".repeat(64));
  const expected = compress(sample, 3);
  glue.heapToUint8Array = function (this: HeapGlue, pointer: unknown) {
    return this.heapView(pointer).slice();
  };
  const actual = compress(sample, 3);
  if (actual.length !== expected.length || actual.some((b, i) => b !== expected[i])) glue.heapToUint8Array = stock;
}
