/**
 * The two Murmur3 x86_32 flavours that decide where Fluss rows go.
 *
 * - {@link hashBytes}: Fluss's own (`org.apache.fluss.utils.MurmurHashUtils#hashUnsafeBytes`,
 *   copied from Flink): full 4-byte little-endian words as in Murmur3, but then EVERY
 *   remaining tail byte is mixed as a block of its own (k1 mix + h1 mix), and that byte is
 *   read as a Java `byte`, i.e. SIGN-extended to 32 bits (0xc8 becomes 0xffffffc8).
 *   The Rust client (fluss-rust `util/murmur_hash.rs`) zero-extends instead, which changes
 *   the hash of every key whose tail holds a byte ≥ 0x80; see docs/bucketing.md.
 * - {@link murmur3Fixed32}: standard Murmur3 x86_32 as Guava's `Hashing.murmur3_32_fixed()`
 *   (tail bytes packed into one block, unsigned), used by the Iceberg bucketing.
 *
 * All functions work on int32 values (`| 0`) and allocate nothing.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Fluss's default seed (`MurmurHashUtils.DEFAULT_SEED`). */
export const FLUSS_HASH_SEED = 42;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function mixK1(k1: number): number {
  return Math.imul(rotl(Math.imul(k1, C1), 15), C2);
}

function mixH1(h1: number, k1: number): number {
  return (Math.imul(rotl(h1 ^ k1, 13), 5) + 0xe6546b64) | 0;
}

/** Murmur3's finalisation mix (`MurmurHashUtils.fmix` / `MathUtils.bitMix`). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function readIntLE(bytes: Uint8Array, i: number): number {
  // noUncheckedIndexedAccess: callers stay within [offset, offset + length).
  return (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) | 0;
}

/**
 * Fluss's byte hash (`MurmurHashUtils.hashUnsafeBytes` / `hashBytes(byte[])`), an int32.
 *
 * @param bytes the key bytes
 * @param offset first byte to hash (default 0)
 * @param length number of bytes (default: to the end)
 * @param seed default 42, as Fluss
 */
export function hashBytes(
  bytes: Uint8Array,
  offset = 0,
  length: number = bytes.length - offset,
  seed: number = FLUSS_HASH_SEED,
): number {
  const aligned = length - (length % 4);
  let h1 = seed | 0;
  const end = offset + length;
  let i = offset;
  for (const wordsEnd = offset + aligned; i < wordsEnd; i += 4) {
    h1 = mixH1(h1, mixK1(readIntLE(bytes, i)));
  }
  for (; i < end; i++) {
    // Java reads a signed byte: sign-extend 0x80..0xff to 0xffffff80..0xffffffff.
    h1 = mixH1(h1, mixK1((bytes[i]! << 24) >> 24));
  }
  return fmix32(h1 ^ length);
}

/**
 * Fluss's `MathUtils.murmurHash(int)`: one Murmur3 round over an int, then the absolute
 * value with `Integer.MIN_VALUE` mapped to 0. Always ≥ 0.
 */
export function murmurInt(code: number): number {
  let h = mixH1(0, mixK1(code | 0));
  h = fmix32(h ^ 4);
  if (h >= 0) return h;
  return h === -0x80000000 ? 0 : -h;
}

/**
 * Standard Murmur3 x86_32, as Guava's `Hashing.murmur3_32_fixed(seed).hashBytes(bytes).asInt()`
 * (the "fixed" variant reads tail bytes unsigned). An int32.
 */
export function murmur3Fixed32(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset, seed = 0): number {
  const aligned = length - (length % 4);
  let h1 = seed | 0;
  let i = offset;
  for (const wordsEnd = offset + aligned; i < wordsEnd; i += 4) {
    h1 = mixH1(h1, mixK1(readIntLE(bytes, i)));
  }
  let k1 = 0;
  for (let shift = 0; i < offset + length; i++, shift += 8) {
    k1 ^= bytes[i]! << shift;
  }
  if (length % 4 !== 0) h1 ^= mixK1(k1);
  return fmix32(h1 ^ length);
}
