import { compressBlock, compressBlockBound, decompressBlock, Lz4FormatError } from "./lz4-block.js";
import { xxhash32 } from "./xxhash32.js";

/**
 * The LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md)
 * as Fluss's `Lz4ArrowCompressionCodec` (Kafka's `KafkaLZ4BlockOutputStream`)
 * writes and reads it: version 01, independent blocks of at most 64 KiB, no
 * block or content checksum, no content size. The Java reader rejects
 * dependent blocks, so the writer here never produces them. The reader also
 * accepts the optional fields (content size, block and content checksums,
 * dictionary id) and larger block sizes other writers may use.
 */

const MAGIC = 0x184d2204;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const BD_64KB = 4 << 4;
const BLOCK_SIZE = 64 * 1024;
const UNCOMPRESSED_BIT = 0x80000000;

let scratchTable: Int32Array | undefined;

/** Compresses `data` into one LZ4 frame. */
export function lz4FrameCompress(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / BLOCK_SIZE);
  const out = new Uint8Array(7 + blocks * (4 + compressBlockBound(BLOCK_SIZE)) + 4);
  const table = (scratchTable ??= new Int32Array(1 << 14));
  out[0] = 0x04;
  out[1] = 0x22;
  out[2] = 0x4d;
  out[3] = 0x18;
  out[4] = FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE;
  out[5] = BD_64KB;
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff;
  let d = 7;
  for (let start = 0; start < data.length; start += BLOCK_SIZE) {
    const end = Math.min(start + BLOCK_SIZE, data.length);
    const size = compressBlock(data, start, end, out, d + 4, table) - (d + 4);
    if (size >= end - start) {
      // Incompressible: store the block as it is, flagged by the high bit.
      writeU32(out, d, (end - start) | UNCOMPRESSED_BIT);
      out.set(data.subarray(start, end), d + 4);
      d += 4 + (end - start);
    } else {
      writeU32(out, d, size);
      d += 4 + size;
    }
  }
  writeU32(out, d, 0); // end mark
  return out.subarray(0, d + 4);
}

/**
 * Decompresses one LZ4 frame that must expand to exactly `expectedLength`
 * bytes. Throws {@link Lz4FormatError} on anything malformed.
 */
export function lz4FrameDecompress(frame: Uint8Array, expectedLength: number): Uint8Array {
  const end = frame.length;
  if (end < 7 || readU32(frame, 0) !== MAGIC) throw new Lz4FormatError("not an LZ4 frame (bad magic)");
  const flg = frame[4]!;
  if ((flg & 0xc0) !== FLG_VERSION_01) throw new Lz4FormatError(`unsupported LZ4 frame version in FLG 0x${flg.toString(16)}`);
  const bd = frame[5]!;
  const sizeCode = (bd >>> 4) & 7;
  if (sizeCode < 4) throw new Lz4FormatError(`invalid LZ4 block size code ${sizeCode}`);
  const maxBlock = 1 << (8 + 2 * sizeCode);
  let s = 6;
  if (flg & FLG_CONTENT_SIZE) s += 8;
  if (flg & FLG_DICT_ID) s += 4;
  if (s >= end) throw new Lz4FormatError("truncated LZ4 frame descriptor");
  if (frame[s] !== ((xxhash32(frame, 4, s) >>> 8) & 0xff)) throw new Lz4FormatError("LZ4 frame descriptor checksum mismatch");
  s++;
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  const out = new Uint8Array(expectedLength);
  let d = 0;
  for (;;) {
    if (end - s < 4) throw new Lz4FormatError("truncated LZ4 frame");
    const word = readU32(frame, s);
    s += 4;
    if (word === 0) break;
    const size = word & ~UNCOMPRESSED_BIT;
    if (size > maxBlock) throw new Lz4FormatError(`LZ4 block of ${size} bytes exceeds the frame's maximum ${maxBlock}`);
    if (size > end - s) throw new Lz4FormatError("truncated LZ4 block");
    if (word & UNCOMPRESSED_BIT) {
      if (size > expectedLength - d) throw new Lz4FormatError("output longer than announced");
      out.set(frame.subarray(s, s + size), d);
      d += size;
    } else {
      d = decompressBlock(frame, s, s + size, out, d, Math.min(expectedLength, d + maxBlock));
    }
    s += size + (blockChecksum ? 4 : 0);
  }
  if (flg & FLG_CONTENT_CHECKSUM) s += 4;
  if (s > end) throw new Lz4FormatError("truncated LZ4 frame");
  if (d !== expectedLength) throw new Lz4FormatError(`LZ4 frame expands to ${d} bytes, expected ${expectedLength}`);
  return out;
}

function readU32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function writeU32(b: Uint8Array, i: number, v: number): void {
  b[i] = v & 0xff;
  b[i + 1] = (v >>> 8) & 0xff;
  b[i + 2] = (v >>> 16) & 0xff;
  b[i + 3] = (v >>> 24) & 0xff;
}
