/**
 * fluss-edge's own ZSTD WebAssembly build (src/wire/records/compression/zstd-wasm.ts): what its
 * glue promises beyond a plain round trip (compression.test.ts covers the samples): scratch
 * memory that grows and is reused across calls of every size, every level Fluss accepts, frames
 * from other encoders, and bad input refused with an error rather than a crash or a huge
 * allocation.
 */
import { decompress as fzstdDecompress } from "fzstd";
import { describe, expect, it, vi } from "vitest";
import { ZSTD_WASM_VERSION } from "../../../src/gen-data/zstd-wasm.js";
import { compileZstdWasm, instantiateZstdWasm, ZSTD_WASM_MAX_BYTES } from "../../../src/wire/records/compression/zstd-wasm.js";
import { sameBytes, seededBytes, seededRandom } from "./seeded.js";


const text = (s: string) => new TextEncoder().encode(s);

/** Words drawn with a skewed distribution: literals that Huffman coding shrinks, and matches at many distances. */
function wordySample(rnd: () => number, bytes: number): Uint8Array {
  const words = ["fluss", "edge", "arrow", "bucket", "offset", "écrire", "流", "log", "tablet", "zstd", "row", "0", "42"];
  let s = "";
  while (s.length < bytes) s += words[Math.floor(rnd() ** 2 * words.length)]! + (rnd() < 0.1 ? "\n" : " ");
  return text(s).subarray(0, bytes);
}

function float64Column(rnd: () => number, count: number): Uint8Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.round(rnd() * 1e6) / 100;
  return new Uint8Array(out.buffer);
}

/**
 * Inputs that drive the decoder down each of its paths: raw and RLE blocks, single- and
 * four-stream Huffman literals (below and above 1 KiB of literals), long runs of sequences,
 * and the column shapes of Arrow bodies.
 */
function decoderCorpus(): Uint8Array[] {
  const rnd = seededRandom(11);
  return [
    seededBytes(rnd, 3_000), // incompressible: raw blocks
    new Uint8Array(200_000).fill(7), // RLE
    wordySample(rnd, 600),
    wordySample(rnd, 5_000),
    wordySample(rnd, 2_500_000),
    ascendingLongs(300_000),
    float64Column(rnd, 250_000),
    Uint8Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 251 ^ (i >> 12)),
  ];
}

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

  it("detaches its memory's first buffer as it is created: a thread's first detach, which costs V8's optimized code, comes before any of it is hot", async () => {
    const grow = vi.spyOn(WebAssembly.Memory.prototype, "grow");
    try {
      const zstd = await instantiateZstdWasm();
      expect(grow).toHaveBeenCalledTimes(1);
      expect(grow).toHaveBeenCalledWith(0);
      const data = text("detached once, before the first buffer");
      expect(sameBytes(zstd.decompress(zstd.compress(data, 3), data.length), data)).toBe(true);
    } finally {
      grow.mockRestore();
    }
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

  it("agrees with an independent decoder (fzstd) on every block and literal shape, at several levels", async () => {
    const zstd = await instantiateZstdWasm();
    for (const data of decoderCorpus()) {
      for (const level of [1, 3, 12, 19]) {
        if (level > 3 && data.length > 1_000_000) continue; // slow levels on the small inputs only
        const frame = zstd.compress(data, level);
        expect(sameBytes(zstd.decompress(frame, data.length), data)).toBe(true);
        expect(sameBytes(fzstdDecompress(frame, new Uint8Array(data.length)), data)).toBe(true);
      }
    }
  });

  it("survives thousands of corrupted frames: each fails cleanly or yields the announced length, and the instance's memory stays intact", async () => {
    const zstd = await instantiateZstdWasm();
    const rnd = seededRandom(29);
    const corpus = decoderCorpus().map((data) => data.subarray(0, 120_000));
    const frames = corpus.map((data) => zstd.compress(data, 3));
    const check = ascendingLongs(20_000);
    const checkFrame = zstd.compress(check, 3);
    let refused = 0;
    for (let round = 0; round < 3_000; round++) {
      const which = round % frames.length;
      const bad = frames[which]!.slice();
      const mode = round % 3;
      if (mode === 0) {
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
          const at = Math.floor(rnd() * bad.length);
          bad[at] = bad[at]! ^ (1 << Math.floor(rnd() * 8));
        }
      } else if (mode === 1) {
        const at = 4 + Math.floor(rnd() * (bad.length - 4));
        bad.fill(Math.floor(rnd() * 256), at, Math.min(bad.length, at + 1 + Math.floor(rnd() * 16)));
      } else {
        bad.copyWithin(Math.floor(rnd() * bad.length), Math.floor(rnd() * bad.length));
      }
      try {
        expect(zstd.decompress(bad, corpus[which]!.length).length).toBe(corpus[which]!.length);
      } catch (e) {
        expect((e as Error).message).toMatch(/malformed ZSTD data|expands to/);
        refused++;
      }
      // A decoder that wrote outside its buffers would damage its tables or scratch memory.
      if (round % 50 === 0) expect(sameBytes(zstd.decompress(checkFrame, check.length), check)).toBe(true);
    }
    expect(refused).toBeGreaterThan(1_000);
    for (let i = 0; i < frames.length; i++) expect(sameBytes(zstd.decompress(frames[i]!, corpus[i]!.length), corpus[i]!)).toBe(true);
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
