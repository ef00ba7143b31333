/**
 * Which codec a new writer may take at once (`codecReadyToCompress`): one
 * that needs no preparing, or whose encoder has been prepared through the
 * shared loader, whichever caller prepared it. A file of its own: the codec
 * registry is per process, and here ZSTD starts unloaded, with a provider
 * whose codec must be prepared (as the codec worker pool's is).
 */
import { describe, expect, it } from "vitest";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { RowBatchBuilder } from "../../../src/row/index.js";
import { createCodec as createUniversalZstd } from "../../../src/wire/records/compression/zstd-codec.js";
import { registerCodecProvider } from "../../../src/wire/records/compression/codec.js";
import { codecReadyToCompress, encodeArrowRecordBatch, loadCodec, parseArrowMessage } from "../../../src/wire/records/index.js";

let prepareCalls = 0;
registerCodecProvider("ZSTD", async () => {
  const universal = await createUniversalZstd();
  let prepared: Promise<void> | undefined;
  return {
    ...universal,
    prepareCompression: () => (prepared ??= new Promise<void>((resolve) => setTimeout(() => resolve(void prepareCalls++), 5))),
  };
});

describe("codecReadyToCompress", () => {
  it("is nothing for a codec loaded for reading, and the codec once encodeArrowRecordBatch has prepared its encoder", async () => {
    expect(codecReadyToCompress("ZSTD")).toBeUndefined();
    await loadCodec("ZSTD"); // the decoder, as getTable loads it
    expect(codecReadyToCompress("ZSTD")).toBeUndefined();

    const builder = new RowBatchBuilder(new Schema([{ name: "text", type: DataTypes.string() }]));
    for (let i = 0; i < 2_000; i++) builder.append({ text: `fluss row ${i % 10}` });
    const { bytes, payloadOffset } = await encodeArrowRecordBatch(builder.build(), { compression: { codec: "ZSTD", level: 3 } });
    expect(parseArrowMessage(bytes.subarray(payloadOffset)).codec).toBe("ZSTD");
    expect(prepareCalls).toBe(1);
    expect(codecReadyToCompress("ZSTD")).toBe(await loadCodec("ZSTD"));
  });

  it("is the codec at once for one that needs no preparing (LZ4_FRAME, and ZSTD outside a worker pool)", async () => {
    const lz4 = await loadCodec("LZ4_FRAME");
    expect(lz4.prepareCompression).toBeUndefined();
    expect(codecReadyToCompress("LZ4_FRAME")).toBe(lz4);
  });
});
