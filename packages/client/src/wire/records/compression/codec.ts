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

/**
 * A loaded codec. `compress`/`decompress` are synchronous; a runtime whose
 * codec can work off the JS thread (ZSTD on Node's worker threads or a
 * page's Web Workers, see codec-workers/worker-pool.ts) also offers the `…Async` forms, which async callers
 * prefer so that several buffers and batches are (de)compressed in parallel.
 */
export interface BufferCodec {
  readonly name: CompressionCodecName;
  /**
   * Compresses one buffer. Returns `null` when this runtime cannot compress
   * with this codec (e.g. WebAssembly compilation is forbidden), or cannot
   * yet: a codec with {@link prepareCompression} compresses only once that
   * has resolved. The caller then stores the buffer uncompressed, which
   * every Arrow reader accepts.
   */
  compress(data: Uint8Array, level: number): Uint8Array | null;
  /**
   * Optional: gets compression ready before the first batch. The codec
   * worker pool's ZSTD has it: its workers start with a warm decoder only
   * (most clients only read) and warm their encoders up here. Writers call
   * it before their first batch (see {@link loadCodecForCompression});
   * {@link compressAsync} needs no call. (ZSTD's WebAssembly encoder itself
   * needs no loading: it is in the decoder's module.)
   */
  prepareCompression?(): Promise<void>;
  /**
   * Decompresses one buffer that must expand to exactly `uncompressedLength`
   * bytes; throws on malformed input or a length mismatch.
   */
  decompress(data: Uint8Array, uncompressedLength: number): Uint8Array;
  /**
   * Optional {@link compress} off the JS thread: same result, except that it
   * loads what it lacks rather than returning `null` for not being prepared.
   */
  compressAsync?(data: Uint8Array, level: number): Promise<Uint8Array | null>;
  /**
   * Optional: several buffers of one input (the compressed buffers of an
   * Arrow body) decompressed off the JS thread in one job, each as
   * {@link decompress} would; one output per part, in order.
   */
  decompressPartsAsync?(input: Uint8Array, parts: readonly DecompressPart[]): Promise<Uint8Array[]>;
}

/** One compressed buffer within a larger input. */
export interface DecompressPart {
  /** Start of the compressed bytes in the input. */
  offset: number;
  /** Length of the compressed bytes. */
  length: number;
  /** What they must expand to. */
  uncompressedLength: number;
}

/** {@link BufferCodec.decompressPartsAsync}'s work done synchronously, on this thread. */
export function decompressPartsLocally(codec: BufferCodec, input: Uint8Array, parts: readonly DecompressPart[]): Uint8Array[] {
  return parts.map(({ offset, length, uncompressedLength }) => codec.decompress(input.subarray(offset, offset + length), uncompressedLength));
}

/** Creates a codec instance (called once, on first use). */
export type CodecProvider = () => Promise<BufferCodec>;

const providers = new Map<CompressionCodecName, CodecProvider>();

/**
 * Lets a runtime entry supply its own implementation of a codec; the Node
 * entry registers its ZSTD (worker threads, `node:zlib`) this way, so the
 * universal build never imports a Node built-in (the universal entry
 * registers the Web Worker one). Takes effect for the first load only: call
 * it at import time, before any batch is encoded or decoded.
 */
export function registerCodecProvider(name: CompressionCodecName, provider: CodecProvider): void {
  providers.set(name, provider);
}

const loaded = new Map<CompressionCodecName, BufferCodec>();
const loading = new Map<CompressionCodecName, Promise<BufferCodec>>();

/** The codec if it is already loaded (synchronous fast path). */
export function loadedCodec(name: CompressionCodecName): BufferCodec | undefined {
  return loaded.get(name);
}

/** Codecs whose {@link BufferCodec.prepareCompression} has resolved (through {@link loadCodecForCompression}). */
const preparedForCompression = new Set<CompressionCodecName>();

/**
 * {@link loadCodec}, then {@link BufferCodec.prepareCompression}: the codec
 * of a writer. A codec that is loaded already (`getTable` loads it) starts
 * preparing before this returns, not a tick later: the caller may go on
 * with synchronous work (building its first rows) that would otherwise hold
 * the request back until it ends.
 */
export function loadCodecForCompression(name: CompressionCodecName): Promise<BufferCodec> {
  const ready = loaded.get(name);
  const prepared = (codec: BufferCodec) => {
    preparedForCompression.add(name);
    return codec;
  };
  if (ready) return (ready.prepareCompression?.() ?? Promise.resolve()).then(() => prepared(ready));
  return loadCodec(name).then(async (codec) => {
    await codec.prepareCompression?.();
    return prepared(codec);
  });
}

/**
 * The codec if it is loaded and ready to compress now (its encoder
 * prepared, or it needs no preparing): what a new writer takes at once, so
 * that in a process that has written before, its first batch is compressed
 * like every other rather than sent while a promise settles.
 */
export function codecReadyToCompress(name: CompressionCodecName): BufferCodec | undefined {
  const codec = loaded.get(name);
  return codec && (!codec.prepareCompression || preparedForCompression.has(name)) ? codec : undefined;
}

/** Loads a codec once; later calls return the same instance. */
export function loadCodec(name: CompressionCodecName): Promise<BufferCodec> {
  const ready = loaded.get(name);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(name);
  if (!pending) {
    const provider = providers.get(name) ?? builtInProvider(name);
    pending = provider().then((codec) => {
      loaded.set(name, codec);
      return codec;
    });
    // A failed load may succeed later (e.g. a transient chunk-loading error in a browser).
    pending.catch(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending;
}

/** The universal implementations, loaded on demand (WebAssembly ZSTD, pure-TS LZ4). */
function builtInProvider(name: CompressionCodecName): CodecProvider {
  return name === "LZ4_FRAME"
    ? async () => (await import("./lz4-codec.js")).createCodec()
    : async () => (await import("./zstd-codec.js")).createCodec();
}
