import type { CodecWorkerPool } from "../../../src/codec-workers/worker-pool.js";
import type { BufferCodec } from "../../../src/wire/records/compression/codec.js";

/**
 * One ZSTD frame decompressed as a one-part job, through the pool itself or
 * a codec's `decompressPartsAsync` (which the Arrow decoder calls with every
 * compressed buffer of a batch at once).
 */
export async function decompressOne(through: CodecWorkerPool | BufferCodec, frame: Uint8Array, uncompressedLength: number): Promise<Uint8Array> {
  const parts = [{ offset: 0, length: frame.length, uncompressedLength }];
  const outputs = "decompressParts" in through ? await through.decompressParts(frame, parts) : await through.decompressPartsAsync!(frame, parts);
  return outputs[0]!;
}
