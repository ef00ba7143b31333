/**
 * fluss-edge's own ZSTD WebAssembly build (src/wire/records/compression/zstd-wasm.ts): what its
 * glue promises beyond a plain round trip (compression.test.ts covers the samples): scratch
 * memory that grows and is reused across calls of every size, every level Fluss accepts, frames
 * from other encoders, and bad input refused with an error rather than a crash or a huge
 * allocation.
 */
import { describe, expect, it } from "vitest";
import { ZSTD_WASM_VERSION } from "../../../src/gen-data/zstd-wasm.js";
import { compileZstdWasm, instantiateZstdWasm, ZSTD_WASM_MAX_BYTES } from "../../../src/wire/records/compression/zstd-wasm.js";
import { sameBytes, seededBytes, seededRandom } from "./seeded.js";


const text = (s: string) => new TextEncoder().encode(s);

function ascendingLongs(count: number, start = 1_700_000_000_000): Uint8Array {
  const out = new Uint8Array(count * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) view.setBigInt64(i * 8, BigInt(start + i * 3), true);
  return out;
}

describe("zstd WebAssembly build", () => {
  it("is zstd 1.5.7, compiled once per thread and shared by every instance", async () => {
    expect(ZSTD_WASM_VERSION).toBe("1.5.7");
    expect(await compileZstdWasm()).toBe(await compileZstdWasm());
    expect(WebAssembly.Module.imports(await compileZstdWasm())).toEqual([]);
  });

  it("round-trips buffers of growing and shrinking sizes through the same instance (scratch memory grows, then is reused)", async () => {
    const zstd = await instantiateZstdWasm();
    const rnd = seededRandom(7);
    const sizes = [0, 1, 100, 70_000, 3_000_000, 17, 40_000_000, 5, 1_000_000];
    for (const size of sizes) {
      const data = size === 40_000_000 ? ascendingLongs(size / 8) : seededBytes(rnd, size);
      const frame = zstd.compress(data, 3);
      const back = zstd.decompress(frame, data.length);
      expect(back.length).toBe(size);
      expect(sameBytes(back, data)).toBe(true);
      // The result is the caller's own memory, not a view of the module's.
      expect(back.buffer).not.toBe(frame.buffer);
      expect(back.byteLength).toBe(back.buffer.byteLength);
    }
  });

  it("compresses at every level Fluss accepts (1–22) and a negative (fast) level, each frame readable by another instance", async () => {
    const writer = await instantiateZstdWasm();
    const reader = await instantiateZstdWasm();
    const data = text("fluss-edge ".repeat(5_000) + "payload-000000000042".repeat(2_000));
    const sizes: number[] = [];
    for (const level of [-1, 1, 3, 9, 19, 22, 3]) {
      const frame = writer.compress(data, level);
      sizes.push(frame.length);
      expect(sameBytes(reader.decompress(frame, data.length), data)).toBe(true);
    }
    expect(sizes[5]!).toBeLessThanOrEqual(sizes[1]!); // level 22 is no larger than level 1
    expect(sizes[6]).toBe(sizes[2]); // back to level 3: the same frame as before
  });

  it("reads two frames written back to back as one buffer (the format allows it)", async () => {
    const zstd = await instantiateZstdWasm();
    const a = text("first frame ".repeat(100));
    const b = ascendingLongs(1000);
    const fa = zstd.compress(a, 3);
    const fb = zstd.compress(b, 1);
    const joined = new Uint8Array(fa.length + fb.length);
    joined.set(fa);
    joined.set(fb, fa.length);
    const out = zstd.decompress(joined, a.length + b.length);
    expect(sameBytes(out.subarray(0, a.length), a)).toBe(true);
    expect(sameBytes(out.subarray(a.length), b)).toBe(true);
  });

  it("refuses garbage, truncated frames and wrong lengths with an Error, and keeps working afterwards", async () => {
    const zstd = await instantiateZstdWasm();
    const data = ascendingLongs(50_000);
    const frame = zstd.compress(data, 3);
    expect(() => zstd.decompress(seededBytes(seededRandom(3), 500), 1000)).toThrow(/malformed ZSTD data/);
    expect(() => zstd.decompress(frame.subarray(0, frame.length - 10), data.length)).toThrow(/malformed ZSTD data/);
    // Longer than announced: the frame does not fit the room given, so it fails instead of growing.
    expect(() => zstd.decompress(frame, data.length - 1)).toThrow(/malformed ZSTD data/);
    // Shorter than announced.
    expect(() => zstd.decompress(frame, data.length + 8)).toThrow(/expands to 400000 bytes, expected 400008/);
    expect(sameBytes(zstd.decompress(frame, data.length), data)).toBe(true);
  });

  it("refuses an announced length beyond its limit before reserving any memory for it", async () => {
    const zstd = await instantiateZstdWasm();
    const frame = zstd.compress(text("small"), 3);
    for (const bogus of [ZSTD_WASM_MAX_BYTES + 1, 2 ** 40, -5, 1.5, Number.NaN]) {
      expect(() => zstd.decompress(frame, bogus)).toThrow(/at most 1073741824 bytes per buffer/);
    }
    expect(sameBytes(zstd.decompress(frame, 5), text("small"))).toBe(true);
  });
});
