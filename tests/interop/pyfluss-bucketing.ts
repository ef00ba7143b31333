/**
 * Where pyfluss (the Rust core, fluss-rust 1.0.0) puts a row: Fluss's Murmur3 variant over the
 * encoded bucket key, but with the tail bytes ZERO-extended (fluss-rust `util/murmur_hash.rs`:
 * `mix_k1(*byte as u32)`), where the Java client sign-extends them
 * (`MurmurHashUtils.hashUnsafeBytes`, and fluss-edge's `hashBytes`). The two agree unless a tail
 * byte (the last `length % 4` bytes) is ≥ 0x80 (docs/bucketing.md, last section). A model of the
 * peer, used by the interop tests to tell which rows pyfluss places elsewhere.
 */
import { fmix32, murmurInt } from "../../packages/client/src/bucketing/index.js";

export function zeroExtendingBucket(key: Uint8Array, numBuckets: number): number {
  const mixK1 = (k: number) => Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  const mixH1 = (h: number, k: number) => (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  const aligned = key.length - (key.length % 4);
  let h1 = 42;
  let i = 0;
  for (; i < aligned; i += 4) h1 = mixH1(h1, mixK1(key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)));
  for (; i < key.length; i++) h1 = mixH1(h1, mixK1(key[i]!));
  return murmurInt(fmix32(h1 ^ key.length)) % numBuckets;
}

/** True when the key's tail (the bytes after its last whole 4-byte word) holds a byte ≥ 0x80. */
export function hasHighTailByte(key: Uint8Array): boolean {
  return key.subarray(key.length - (key.length % 4)).some((byte) => byte >= 0x80);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}
