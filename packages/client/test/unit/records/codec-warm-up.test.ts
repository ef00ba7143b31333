/** The codec warm-up run by each codec worker before it reports ready. */
import { describe, expect, it } from "vitest";
import { warmUpCodec } from "../../../src/wire/records/compression/codec-warm-up.js";
import type { BufferCodec } from "../../../src/wire/records/compression/codec.js";
import { createCodec } from "../../../src/wire/records/compression/zstd-codec.js";

/** Wraps a codec, recording every call. */
function recording(codec: BufferCodec): { codec: BufferCodec; compressed: number[]; decompressed: number[] } {
  const compressed: number[] = [];
  const decompressed: number[] = [];
  return {
    compressed,
    decompressed,
    codec: {
      name: codec.name,
      compress: (data, level) => {
        compressed.push(data.length);
        return codec.compress(data, level);
      },
      decompress: (data, n) => {
        const out = codec.decompress(data, n);
        decompressed.push(out.length);
        return out;
      },
    },
  };
}

describe("warmUpCodec", () => {
  it("compresses each sample once and decompresses every frame back to its length, round after round", async () => {
    const { codec, compressed, decompressed } = recording(await createCodec());
    warmUpCodec(codec, 3);
    expect(compressed.length).toBe(3); // longs, text, random bytes
    expect(compressed.reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000_000);
    expect(decompressed).toEqual([...compressed, ...compressed, ...compressed]);
  });

  it("does nothing more where the codec cannot compress (no WebAssembly)", () => {
    const { codec, compressed, decompressed } = recording({
      name: "ZSTD",
      compress: () => null,
      decompress: () => {
        throw new Error("not reached");
      },
    });
    expect(() => warmUpCodec(codec)).not.toThrow();
    expect(compressed.length).toBe(3);
    expect(decompressed).toEqual([]);
  });
});
