/**
 * Body-compression codecs of Arrow IPC record batches as Fluss uses them
 * (`table.log.arrow.compression.type`): LZ4_FRAME and ZSTD. Each codec is
 * loaded on first use (a dynamic import, plus WebAssembly for ZSTD), so a
 * client that never meets a compressed batch never loads them.
 */

/** Codec names, as in Fluss's `ArrowCompressionType` (NONE means no codec). */
export type CompressionCodecName = "LZ4_FRAME" | "ZSTD";

/** The `CompressionType` enum value of the Arrow IPC flatbuffer for a codec. */
export const ARROW_COMPRESSION_TYPE: Readonly<Record<CompressionCodecName, number>> = { LZ4_FRAME: 0, ZSTD: 1 };

/** A loaded codec. Both methods are synchronous; loading is the only async part. */
export interface BufferCodec {
  readonly name: CompressionCodecName;
  /**
   * Compresses one buffer. Returns `null` when this runtime cannot compress
   * with this codec (e.g. WebAssembly compilation is forbidden); the caller
   * then stores the buffer uncompressed, which every Arrow reader accepts.
   */
  compress(data: Uint8Array, level: number): Uint8Array | null;
  /**
   * Decompresses one buffer that must expand to exactly `uncompressedLength`
   * bytes; throws on malformed input or a length mismatch.
   */
  decompress(data: Uint8Array, uncompressedLength: number): Uint8Array;
}

const loaded = new Map<CompressionCodecName, BufferCodec>();
const loading = new Map<CompressionCodecName, Promise<BufferCodec>>();

/** The codec if it is already loaded (synchronous fast path). */
export function loadedCodec(name: CompressionCodecName): BufferCodec | undefined {
  return loaded.get(name);
}

/** Loads a codec once; later calls return the same instance. */
export function loadCodec(name: CompressionCodecName): Promise<BufferCodec> {
  const ready = loaded.get(name);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(name);
  if (!pending) {
    const importer = name === "LZ4_FRAME" ? import("./lz4-codec.js") : import("./zstd-codec.js");
    pending = importer.then((m) => m.createCodec()).then((codec) => {
      loaded.set(name, codec);
      return codec;
    });
    // A failed load may succeed later (e.g. a transient chunk-loading error in a browser).
    pending.catch(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending;
}
