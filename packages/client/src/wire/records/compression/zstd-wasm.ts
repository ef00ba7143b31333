import { FlussError } from "../../../errors/index.js";
import { bytesFromBase64 } from "./base64.js";

/**
 * fluss-edge's own build of the reference zstd library for WebAssembly
 * (native/zstd-wasm.c, built by scripts/build-zstd-wasm.sh): compression and
 * decompression in one module of about 500 KB that imports nothing.
 *
 * It replaced two npm packages (an Emscripten decoder and a separate
 * Emscripten encoder) because:
 * - the encoder package unpacked and compiled its WebAssembly in about
 *   120–180 ms of each thread that loaded it (a writer's codec workers and
 *   its JS thread); this module compiles in about 10 ms, so a writer no
 *   longer waits for its encoder;
 * - both allocated and freed WebAssembly memory on every buffer and set up
 *   a fresh zstd context for each; here one compression and one
 *   decompression context live as long as the instance, and input and
 *   output go through two scratch regions that only grow;
 * - one compiled `WebAssembly.Module` serves every instance in the thread,
 *   and is posted to the codec workers, which then instantiate it rather
 *   than compile it again (and never load its bytes).
 *
 * An instance's memory stays at its high-water mark (WebAssembly memory
 * cannot shrink): the largest buffer it has handled, in and out, plus the
 * contexts, a few MiB at Fluss's default level 3 (a table that asks for
 * level 22 keeps tens of MiB per thread for its compression context, as
 * native zstd needs while it compresses).
 */
export interface ZstdWasm {
  /** One ZSTD frame of `data` at `level`. */
  compress(data: Uint8Array, level: number): Uint8Array;
  /** The frame(s) in `data`, which must expand to exactly `uncompressedLength` bytes (fresh memory, owned by the caller). */
  decompress(data: Uint8Array, uncompressedLength: number): Uint8Array;
}

/** The exports of native/zstd-wasm.c. Sizes are int32; -1 means a zstd error. */
interface ZstdExports {
  memory: WebAssembly.Memory;
  fe_alloc(size: number): number;
  fe_free(pointer: number): void;
  fe_compress_bound(size: number): number;
  fe_compress(out: number, capacity: number, input: number, size: number, level: number): number;
  fe_decompress(out: number, expected: number, input: number, size: number): number;
}

/**
 * The largest buffer handled in one call: sizes cross into the module as
 * int32, and a 32-bit memory holds input and output side by side. A Fluss
 * buffer is far smaller: a writer's batch is a few MiB, and a fetch response
 * is bounded by `scanner.log.fetch.max-bytes` (16 MiB by default).
 */
export const ZSTD_WASM_MAX_BYTES = 1 << 30;

let compiling: Promise<WebAssembly.Module> | undefined;
let compiled: WebAssembly.Module | undefined;

/**
 * The module, compiled once per thread (asynchronously: browsers refuse
 * large synchronous compiles on the page's thread). Its bytes are a chunk
 * of their own, loaded only here.
 */
export function compileZstdWasm(): Promise<WebAssembly.Module> {
  compiling ??= import("../../../gen-data/zstd-wasm.js")
    .then(({ ZSTD_WASM_BASE64 }) => WebAssembly.compile(bytesFromBase64(ZSTD_WASM_BASE64) as Uint8Array<ArrayBuffer>))
    .then((module) => (compiled = module));
  compiling.catch(() => {
    compiling = undefined; // let a later call try again
  });
  return compiling;
}

/** The module if this thread has compiled it already (what a codec worker pool posts to its workers). */
export function compiledZstdWasm(): WebAssembly.Module | undefined {
  return compiled;
}

/** Whether the application gave this thread its module ({@link useZstdWasmModule}). */
export function zstdWasmModuleProvided(): boolean {
  return provided;
}

let provided = false;

/**
 * Gives the client the ZSTD WebAssembly module compiled by the platform, for
 * runtimes that forbid compiling WebAssembly at run time but accept modules
 * compiled at deploy time: Cloudflare Workers (workerd), where
 * `import zstdWasm from "@fluss-edge/client/zstd.wasm"` yields a compiled
 * `WebAssembly.Module`. Without it, such a runtime decodes ZSTD in pure JS
 * (about 60 MB/s) and writes ZSTD tables' batches uncompressed. A page may
 * use it too, with the same file compiled as it streams in (a bundler's URL
 * of `@fluss-edge/client/zstd.wasm`), instead of the base64 copy the client
 * would otherwise import. Call it before the first table with ZSTD
 * compression is opened; returns false (and changes nothing) once the
 * module is compiled or given already. Anything but a `WebAssembly.Module`
 * is a FlussError CLIENT_ERROR.
 */
export function useZstdWasmModule(module: WebAssembly.Module): boolean {
  if (!(module instanceof WebAssembly.Module)) {
    throw FlussError.client("useZstdWasmModule takes a WebAssembly.Module (the default export of @fluss-edge/client/zstd.wasm)");
  }
  if (compiled || compiling) return false;
  compiled = module;
  compiling = Promise.resolve(module);
  provided = true;
  return true;
}

/** A new instance with its own memory and contexts. */
export async function instantiateZstdWasm(module?: WebAssembly.Module): Promise<ZstdWasm> {
  const instance = await WebAssembly.instantiate(module ?? (await compileZstdWasm()), {});
  return new ZstdInstance(instance.exports as unknown as ZstdExports);
}

/** A block of the instance's memory kept between calls. */
interface Scratch {
  pointer: number;
  capacity: number;
}

/** The smallest scratch block: small buffers then never reallocate. */
const MIN_SCRATCH = 64 * 1024;

class ZstdInstance implements ZstdWasm {
  readonly #exports: ZstdExports;
  #heap: Uint8Array;
  readonly #input: Scratch = { pointer: 0, capacity: 0 };
  readonly #output: Scratch = { pointer: 0, capacity: 0 };

  constructor(exports: ZstdExports) {
    this.#exports = exports;
    // Growing a memory detaches its old ArrayBuffer, and the first detach in a thread makes V8
    // throw away every optimized function that reads typed arrays (they assumed no buffer is ever
    // detached). The memory grows on some first buffer of a scan, which then ran its CRC and
    // Arrow code unoptimized and compiled it twice. Growing by nothing detaches too: the one
    // detach happens now, while nothing hot is compiled yet. (Any transfer of an ArrayBuffer
    // would do it later anyway; optimized code then keeps a cheap check.)
    exports.memory.grow(0);
    this.#heap = new Uint8Array(exports.memory.buffer);
  }

  compress(data: Uint8Array, level: number): Uint8Array {
    checkSize(data.length, "input");
    const bound = this.#exports.fe_compress_bound(data.length);
    if (bound < 0) throw new Error(`ZSTD cannot compress ${data.length} bytes at once`);
    const input = this.#reserve(this.#input, data.length);
    const output = this.#reserve(this.#output, bound);
    this.#view().set(data, input);
    const written = this.#exports.fe_compress(output, bound, input, data.length, level);
    if (written < 0) throw new Error(`ZSTD compression failed (level ${level})`);
    // The call may have grown the memory (a context sized for a new level): take the view afresh.
    return this.#view().slice(output, output + written);
  }

  decompress(data: Uint8Array, uncompressedLength: number): Uint8Array {
    if (uncompressedLength === 0) return new Uint8Array(0);
    checkSize(uncompressedLength, "output");
    checkSize(data.length, "input");
    const input = this.#reserve(this.#input, data.length);
    const output = this.#reserve(this.#output, uncompressedLength);
    this.#view().set(data, input);
    const written = this.#exports.fe_decompress(output, uncompressedLength, input, data.length);
    if (written < 0) throw new Error("malformed ZSTD data");
    if (written !== uncompressedLength) throw new Error(`ZSTD data expands to ${written} bytes, expected ${uncompressedLength}`);
    return this.#view().slice(output, output + written);
  }

  /** The memory as bytes; a new view after the memory has grown (growing detaches the old buffer). */
  #view(): Uint8Array {
    const buffer = this.#exports.memory.buffer;
    if (this.#heap.buffer !== buffer) this.#heap = new Uint8Array(buffer);
    return this.#heap;
  }

  /** The block's address, grown to at least `size` bytes first if needed. */
  #reserve(scratch: Scratch, size: number): number {
    if (size <= scratch.capacity) return scratch.pointer;
    if (scratch.pointer) this.#exports.fe_free(scratch.pointer);
    const capacity = Math.max(MIN_SCRATCH, size);
    const pointer = this.#exports.fe_alloc(capacity);
    if (!pointer) {
      scratch.pointer = scratch.capacity = 0;
      throw new Error(`ZSTD: cannot reserve ${capacity} bytes of WebAssembly memory`);
    }
    scratch.pointer = pointer;
    scratch.capacity = capacity;
    return pointer;
  }
}

function checkSize(size: number, what: string): void {
  if (!(Number.isInteger(size) && size >= 0 && size <= ZSTD_WASM_MAX_BYTES)) {
    throw new Error(`ZSTD ${what} of ${size} bytes: this codec handles at most ${ZSTD_WASM_MAX_BYTES} bytes per buffer`);
  }
}
