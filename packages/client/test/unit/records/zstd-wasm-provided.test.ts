/**
 * `useZstdWasmModule`: a runtime that may not compile WebAssembly (workerd) gets ZSTD in
 * WebAssembly when the application hands the client a module the platform compiled. A file of
 * its own: the module is set once per thread.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { ZSTD_WASM_BASE64 } from "../../../src/gen-data/zstd-wasm.js";
import { bytesFromBase64 } from "../../../src/wire/records/compression/base64.js";
import { createCodec } from "../../../src/wire/records/compression/zstd-codec.js";
import { compileZstdWasm, useZstdWasmModule } from "../../../src/wire/records/compression/zstd-wasm.js";

const RealModule = WebAssembly.Module;

afterEach(() => {
  WebAssembly.Module = RealModule;
});

describe("useZstdWasmModule", () => {
  it("takes only a WebAssembly.Module: anything else is a FlussError CLIENT_ERROR", () => {
    let thrown: unknown;
    try {
      useZstdWasmModule(new Uint8Array(8) as unknown as WebAssembly.Module);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlussError);
    expect(thrown).toMatchObject({ errorCode: ErrorCode.CLIENT_ERROR, message: expect.stringMatching(/takes a WebAssembly.Module/) });
  });

  it("makes ZSTD compress and decode in WebAssembly where compiling at run time is refused, and is taken once", async () => {
    const platformCompiled = new WebAssembly.Module(bytesFromBase64(ZSTD_WASM_BASE64) as Uint8Array<ArrayBuffer>);
    expect(useZstdWasmModule(platformCompiled)).toBe(true);
    expect(useZstdWasmModule(platformCompiled)).toBe(false);
    // A wrong argument is reported even once a module is in place, not silently ignored.
    expect(() => useZstdWasmModule("zstd.wasm" as unknown as WebAssembly.Module)).toThrow(/takes a WebAssembly.Module/);
    expect(await compileZstdWasm()).toBe(platformCompiled);

    // As in workerd: "Wasm code generation disallowed by embedder".
    WebAssembly.Module = function refused() {
      throw new WebAssembly.CompileError("Wasm code generation disallowed by embedder");
    } as unknown as typeof WebAssembly.Module;
    const codec = await createCodec();
    const data = new TextEncoder().encode("fluss-edge on the edge ".repeat(2_000));
    const frame = codec.compress(data, 3);
    expect(frame).not.toBeNull();
    expect(frame!.length).toBeLessThan(data.length / 20);
    expect(codec.decompress(frame!, data.length)).toEqual(data);
  });
});
