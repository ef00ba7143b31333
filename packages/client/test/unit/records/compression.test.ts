import { decompress as fzstdDecompress } from "fzstd";
import { describe, expect, it } from "vitest";
import { loadCodec, loadCodecForCompression, loadedCodec } from "../../../src/wire/records/compression/codec.js";
import { createCodec as createUniversalZstd } from "../../../src/wire/records/compression/zstd-codec.js";
import { Lz4FormatError } from "../../../src/wire/records/compression/lz4-block.js";
import { lz4FrameCompress, lz4FrameDecompress } from "../../../src/wire/records/compression/lz4-frame.js";
import { xxhash32 } from "../../../src/wire/records/compression/xxhash32.js";
import { sameBytes, seededBytes, seededRandom } from "./seeded.js";

const text = (s: string) => new TextEncoder().encode(s);

function samples(): [string, Uint8Array][] {
  const rnd = seededRandom(11);
  const ints = new Uint8Array(300_000);
  const dv = new DataView(ints.buffer);
  for (let i = 0; i < ints.length / 8; i++) dv.setBigInt64(i * 8, BigInt(1_700_000_000_000 + i * 17), true);
  return [
    ["empty", new Uint8Array(0)],
    ["one byte", new Uint8Array([42])],
    ["12 bytes", text("hello world!")],
    ["incompressible 100 KiB", seededBytes(rnd, 100_000)],
    ["zeros 1 MiB", new Uint8Array(1 << 20)],
    ["int64 column 300 KB", ints],
    ["repetitive text", text("user-1-region-2,".repeat(20_000))],
    ["overlapping match (run of one byte after literals)", text(`abc${"x".repeat(5000)}def`)],
  ];
}

describe("xxhash32", () => {
  it("matches reference vectors", () => {
    expect(xxhash32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxhash32(text("a"))).toBe(0x550d7456);
    expect(xxhash32(text("abc"))).toBe(0x32d153ff);
    expect(xxhash32(text("Nobody inspects the spammish repetition"))).toBe(0xe2293b2f);
  });
});

describe("LZ4 frame", () => {
  it("writes the frame header Fluss's Java codec accepts (version 01, independent 64 KiB blocks)", () => {
    const frame = lz4FrameCompress(text("x".repeat(1000)));
    expect([...frame.subarray(0, 6)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
    expect(frame[6]).toBe((xxhash32(frame, 4, 6) >>> 8) & 0xff);
    expect([...frame.subarray(-4)]).toEqual([0, 0, 0, 0]);
  });

  for (const [name, data] of samples()) {
    it(`round-trips ${name}`, () => {
      const frame = lz4FrameCompress(data);
      expect(sameBytes(lz4FrameDecompress(frame, data.length), data)).toBe(true);
    });
  }

  it("compresses repetitive data well and stores incompressible blocks raw", () => {
    expect(lz4FrameCompress(new Uint8Array(1 << 20)).length).toBeLessThan(10_000);
    const random = seededBytes(seededRandom(5), 70_000);
    expect(lz4FrameCompress(random).length).toBeLessThanOrEqual(random.length + 7 + 8 + 4);
  });

  it("rejects a wrong announced length, bad magic and a bad header checksum", () => {
    const data = text("abcdefgh".repeat(100));
    const frame = lz4FrameCompress(data);
    expect(() => lz4FrameDecompress(frame, data.length - 1)).toThrow(Lz4FormatError);
    expect(() => lz4FrameDecompress(frame, data.length + 1)).toThrow(Lz4FormatError);
    const badMagic = frame.slice();
    badMagic[0] = 0;
    expect(() => lz4FrameDecompress(badMagic, data.length)).toThrow(/magic/);
    const badHeader = frame.slice();
    badHeader[6] = badHeader[6]! ^ 1;
    expect(() => lz4FrameDecompress(badHeader, data.length)).toThrow(/checksum/);
  });

  it("never crashes or overruns on truncated or mutated frames (seeded fuzz)", () => {
    const rnd = seededRandom(99);
    const data = text("The quick brown fox jumps over the lazy dog. ".repeat(300));
    const frame = lz4FrameCompress(data);
    for (let round = 0; round < 2000; round++) {
      let input = frame.slice();
      if (round % 3 === 0) input = input.subarray(0, Math.floor(rnd() * frame.length));
      else for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) input[Math.floor(rnd() * input.length)] = Math.floor(rnd() * 256);
      try {
        const out = lz4FrameDecompress(input, data.length);
        expect(out.length).toBe(data.length);
      } catch (e) {
        expect(e).toBeInstanceOf(Lz4FormatError);
      }
    }
  });
});

describe("codecs", () => {
  it("load lazily, once", async () => {
    const lz4 = await loadCodec("LZ4_FRAME");
    expect(loadedCodec("LZ4_FRAME")).toBe(lz4);
    expect(await loadCodec("LZ4_FRAME")).toBe(lz4);
  });

  for (const name of ["LZ4_FRAME", "ZSTD"] as const) {
    it(`${name} round-trips every sample`, async () => {
      const codec = await loadCodecForCompression(name);
      for (const [, data] of samples()) {
        if (data.length === 0) continue;
        const compressed = codec.compress(data, 3);
        expect(compressed).not.toBeNull();
        expect(sameBytes(codec.decompress(compressed!, data.length), data)).toBe(true);
      }
    });

    it(`${name} rejects garbage and a wrong length without crashing`, async () => {
      const codec = await loadCodecForCompression(name);
      const data = text("abc".repeat(1000));
      const compressed = codec.compress(data, 3)!;
      expect(() => codec.decompress(compressed, data.length + 5)).toThrow();
      const rnd = seededRandom(17);
      for (let i = 0; i < 300; i++) {
        const garbage = compressed.slice();
        for (let k = 0; k < 3; k++) garbage[Math.floor(rnd() * garbage.length)] = Math.floor(rnd() * 256);
        try {
          expect(codec.decompress(garbage, data.length).length).toBe(data.length);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }
    });
  }

  it("ZSTD compresses as soon as it is loaded: encoder and decoder are one WebAssembly module, nothing to prepare", async () => {
    const codec = await createUniversalZstd();
    expect(codec.prepareCompression).toBeUndefined();
    const data = text("fluss ".repeat(10_000));
    const frame = codec.compress(data, 3)!;
    expect(frame.length).toBeLessThan(data.length / 20);
    expect(sameBytes(codec.decompress(frame, data.length), data)).toBe(true);
  });

  it("ZSTD output also decodes with the pure-JS fallback decoder (fzstd)", async () => {
    const codec = await loadCodecForCompression("ZSTD");
    const data = text("fluss ".repeat(10_000));
    const compressed = codec.compress(data, 3)!;
    expect(compressed.length).toBeLessThan(data.length / 20);
    expect(sameBytes(fzstdDecompress(compressed, new Uint8Array(data.length)), data)).toBe(true);
  });
});
