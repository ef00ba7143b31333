/**
 * Where the package's Node build (de)compresses ZSTD in this runtime: on a
 * pool of worker threads (the async forms exist) or on the JS thread only.
 * Loads the BUILT module by path (the codec loader is not a public export;
 * a computed specifier keeps the type check from needing dist/).
 */

/** The part of a loaded codec this probe uses. */
interface LoadedCodec {
  compress(data: Uint8Array, level: number): Uint8Array | null;
  compressAsync?(data: Uint8Array, level: number): Promise<Uint8Array | null>;
  decompressPartsAsync?(input: Uint8Array, parts: { offset: number; length: number; uncompressedLength: number }[]): Promise<Uint8Array[]>;
}

export interface NodeCodecProbe {
  /** Whole batches go to worker threads (the codec has its async forms). */
  offThread: boolean;
  /** A 1 MiB buffer compressed and decompressed that way came back unchanged. */
  roundTrip: boolean;
}

export async function nodeCodecProbe(): Promise<NodeCodecProbe> {
  const path = "../../packages/client/dist/node/zstd-for-node.js";
  const { loadZstdForNode } = (await import(path)) as { loadZstdForNode(): Promise<LoadedCodec> };
  const codec = await loadZstdForNode();
  const data = new Uint8Array(1 << 20);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) >>> 24) & 0x0f;
  if (!codec.compressAsync || !codec.decompressPartsAsync) return { offThread: false, roundTrip: false };
  const frame = await codec.compressAsync(data, 3);
  const back = frame === null ? undefined : (await codec.decompressPartsAsync(frame, [{ offset: 0, length: frame.length, uncompressedLength: data.length }]))[0];
  return { offThread: true, roundTrip: back !== undefined && back.length === data.length && back.every((b, i) => b === data[i]) };
}
