/** The codec warm-up run by each codec worker: the decoder before it reports ready, the encoder once it is loaded. */
import { describe, expect, it } from "vitest";
import { ZSTD_WARM_UP_FRAMES } from "../../../src/gen-data/zstd-warm-up-frames.js";
import { warmUpDecoder, warmUpEncoder, warmUpSamples } from "../../../src/wire/records/compression/codec-warm-up.js";
import type { BufferCodec } from "../../../src/wire/records/compression/codec.js";
import { createCodec } from "../../../src/wire/records/compression/zstd-codec.js";
import { sameBytes } from "./seeded.js";

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

describe("codec warm-up", () => {
  it("ships frames that decode to exactly its samples (the generated file is current)", async () => {
    const codec = await createCodec();
    const samples = warmUpSamples();
    expect(ZSTD_WARM_UP_FRAMES.map((f) => f.length)).toEqual(samples.map((s) => s.length));
    ZSTD_WARM_UP_FRAMES.forEach(({ base64 }, i) => {
      const frame = new Uint8Array(Buffer.from(base64, "base64"));
      expect(sameBytes(codec.decompress(frame, samples[i]!.length), samples[i]!)).toBe(true);
    });
  });

  it("warms the decoder up without an encoder: every frame, round after round", async () => {
    const { codec, compressed, decompressed } = recording(await createCodec());
    warmUpDecoder(codec, 3);
    const lengths = ZSTD_WARM_UP_FRAMES.map((f) => f.length);
    expect(decompressed).toEqual([...lengths, ...lengths, ...lengths]);
    expect(compressed).toEqual([]);
  });

  it("warms the encoder up once it is loaded, and stops at once where it cannot compress", async () => {
    const universal = await createCodec();
    await universal.prepareCompression?.();
    const { codec, compressed } = recording(universal);
    warmUpEncoder(codec, 2);
    const lengths = warmUpSamples().map((s) => s.length);
    expect(compressed).toEqual([...lengths, ...lengths]);
    const unable = recording({ name: "ZSTD", compress: () => null, decompress: () => new Uint8Array(0) });
    warmUpEncoder(unable.codec);
    expect(unable.compressed).toEqual([lengths[0]]);
  });
});
