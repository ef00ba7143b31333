/**
 * The LZ4 block format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md):
 * a greedy single-probe compressor (the "fast" strategy of the reference
 * implementation) and a decompressor that checks every length and offset
 * against its input and output bounds, so corrupt input fails cleanly.
 */

const MIN_MATCH = 4;
/** The last match must start at least this many bytes before the block end. */
const MF_LIMIT = 12;
/** The last 5 bytes of a block are always literals. */
const LAST_LITERALS = 5;
const HASH_BITS = 14;
const MAX_OFFSET = 65535;

/** Thrown by {@link decompressBlock}; callers turn it into a FlussError with context. */
export class Lz4FormatError extends Error {}

/** Worst-case compressed size of `n` input bytes. */
export function compressBlockBound(n: number): number {
  return n + ((n / 255) | 0) + 16;
}

function hash4(v: number): number {
  return Math.imul(v, 2654435761) >>> (32 - HASH_BITS);
}

function read32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function writeLength(dst: Uint8Array, d: number, n: number): number {
  while (n >= 255) {
    dst[d++] = 255;
    n -= 255;
  }
  dst[d++] = n;
  return d;
}

/**
 * Compresses `src[start, end)` as one independent block into `dst` at `dPos`
 * (needs {@link compressBlockBound} bytes of room). `table` is scratch space
 * of 2^14 entries; it is reset here. Returns the new end position in `dst`.
 */
export function compressBlock(
  src: Uint8Array,
  start: number,
  end: number,
  dst: Uint8Array,
  dPos: number,
  table: Int32Array,
): number {
  table.fill(-1);
  let d = dPos;
  let anchor = start;
  const matchLimit = end - LAST_LITERALS;
  const mfLimit = end - MF_LIMIT;
  let i = start;
  if (end - start >= MF_LIMIT + 1) {
    let skip = 64; // grows while no match is found, as in the reference "acceleration"
    while (i < mfLimit) {
      const seq = read32(src, i);
      const h = hash4(seq);
      const candidate = table[h]!;
      table[h] = i;
      if (candidate < 0 || i - candidate > MAX_OFFSET || read32(src, candidate) !== seq) {
        i += skip++ >> 6;
        continue;
      }
      skip = 64;
      // Extend the match backwards over pending literals.
      let mStart = i;
      let ref = candidate;
      while (mStart > anchor && ref > start && src[mStart - 1] === src[ref - 1]) {
        mStart--;
        ref--;
      }
      // Extend forwards, keeping the last literals out of the match.
      let mEnd = i + MIN_MATCH;
      let r = candidate + MIN_MATCH;
      while (mEnd < matchLimit && src[mEnd] === src[r]) {
        mEnd++;
        r++;
      }
      const literals = mStart - anchor;
      const matchLen = mEnd - mStart - MIN_MATCH;
      const token = d++;
      dst[token] = ((literals >= 15 ? 15 : literals) << 4) | (matchLen >= 15 ? 15 : matchLen);
      if (literals >= 15) d = writeLength(dst, d, literals - 15);
      dst.set(src.subarray(anchor, mStart), d);
      d += literals;
      const offset = mStart - ref;
      dst[d++] = offset & 0xff;
      dst[d++] = offset >>> 8;
      if (matchLen >= 15) d = writeLength(dst, d, matchLen - 15);
      anchor = i = mEnd;
      if (i < mfLimit) table[hash4(read32(src, i - 2))] = i - 2;
    }
  }
  const literals = end - anchor;
  dst[d++] = (literals >= 15 ? 15 : literals) << 4;
  if (literals >= 15) d = writeLength(dst, d, literals - 15);
  dst.set(src.subarray(anchor, end), d);
  return d + literals;
}

/**
 * Decompresses one independent block `src[sPos, sEnd)` into `dst` from
 * `dPos`, never writing at or past `dEnd`. Returns the new output position.
 * Throws {@link Lz4FormatError} on malformed input.
 */
export function decompressBlock(
  src: Uint8Array,
  sPos: number,
  sEnd: number,
  dst: Uint8Array,
  dPos: number,
  dEnd: number,
): number {
  const blockStart = dPos;
  let s = sPos;
  let d = dPos;
  for (;;) {
    if (s >= sEnd) throw new Lz4FormatError("truncated LZ4 block");
    const token = src[s++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (s >= sEnd) throw new Lz4FormatError("truncated literal length");
        b = src[s++]!;
        literals += b;
      } while (b === 255);
    }
    if (literals > sEnd - s) throw new Lz4FormatError("literals run past the block");
    if (literals > dEnd - d) throw new Lz4FormatError("output longer than announced");
    if (literals < 32) {
      for (let k = 0; k < literals; k++) dst[d + k] = src[s + k]!;
    } else {
      dst.set(src.subarray(s, s + literals), d);
    }
    s += literals;
    d += literals;
    if (s === sEnd) return d; // the last sequence carries literals only
    if (sEnd - s < 2) throw new Lz4FormatError("truncated match offset");
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0 || offset > d - blockStart) throw new Lz4FormatError("match offset out of range");
    let matchLen = token & 15;
    if (matchLen === 15) {
      let b: number;
      do {
        if (s >= sEnd) throw new Lz4FormatError("truncated match length");
        b = src[s++]!;
        matchLen += b;
      } while (b === 255);
    }
    matchLen += MIN_MATCH;
    if (matchLen > dEnd - d) throw new Lz4FormatError("output longer than announced");
    let from = d - offset;
    if (offset >= matchLen) {
      dst.copyWithin(d, from, from + matchLen);
      d += matchLen;
    } else {
      // Overlapping copy repeats the last `offset` bytes: must go byte by byte.
      const stop = d + matchLen;
      while (d < stop) dst[d++] = dst[from++]!;
    }
  }
}
