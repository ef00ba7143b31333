import type { BufferCodec } from "./codec.js";
import { lz4FrameCompress, lz4FrameDecompress } from "./lz4-frame.js";

/** The LZ4_FRAME codec: pure TypeScript, so it runs in every runtime (including workerd). */
export function createCodec(): Promise<BufferCodec> {
  return Promise.resolve({
    name: "LZ4_FRAME",
    compress: (data) => lz4FrameCompress(data),
    decompress: (data, uncompressedLength) => lz4FrameDecompress(data, uncompressedLength),
  });
}
