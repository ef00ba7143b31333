/**
 * Which ZSTD path a runtime takes. The codec registry is not part of the
 * package's public exports, so this imports the client's codec source
 * directly (esbuild compiles it into the runtime's bundle); it is the same
 * code as the built package's, and the log scenarios exercise the built one.
 */
import { loadCodecForCompression } from "../../packages/client/src/wire/records/compression/codec.js";

/** What codecProbe reports about this runtime's ZSTD codec. */
export interface CodecProbe {
  /** Whether `new WebAssembly.Module(bytes)` is allowed here (workerd forbids it). */
  wasmCompilation: boolean;
  /** Whether the ZSTD codec compresses here; false means it stores buffers uncompressed. */
  zstdCompresses: boolean;
  /** Whether a ZSTD frame (made here, or embedded below when nothing here compresses) decodes back. */
  zstdDecodes: boolean;
}

/**
 * "fluss-edge codec probe " × 100 as a ZSTD frame (2300 bytes uncompressed),
 * made with the reference zstd (level 3) through the client's Node codec, so a
 * runtime without a ZSTD encoder still proves its decoder.
 */
const EMBEDDED_FRAME_BASE64 = "KLUv/WD8B/0AALhmbHVzcy1lZGdlIGNvZGVjIHByb2JlIAEAxaH+bAI=";

const SAMPLE = "fluss-edge codec probe ".repeat(100);

/** Probes WebAssembly compilation and the ZSTD codec in this runtime. */
export async function codecProbe(): Promise<CodecProbe> {
  let wasmCompilation: boolean;
  try {
    wasmCompilation = new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)) instanceof WebAssembly.Module;
  } catch {
    wasmCompilation = false;
  }
  const zstd = await loadCodecForCompression("ZSTD");
  const sample = new TextEncoder().encode(SAMPLE);
  const compressed = zstd.compress(sample, 3);
  const frame = compressed ?? Uint8Array.from(atob(EMBEDDED_FRAME_BASE64), (c) => c.charCodeAt(0));
  const decoded = new TextDecoder().decode(zstd.decompress(frame, sample.length));
  return { wasmCompilation, zstdCompresses: compressed !== null, zstdDecodes: decoded === SAMPLE };
}
