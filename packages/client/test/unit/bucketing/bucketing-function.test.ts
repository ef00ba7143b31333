import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import {
  bucketingFunctionOf,
  flussBucketing,
  icebergBucketing,
  paimonBucketing,
  parseDataLakeFormat,
} from "../../../src/bucketing/bucketing-function.js";
import { fmix32, hashBytes, murmur3Fixed32, murmurInt } from "../../../src/bucketing/murmur-hash.js";

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The tail handling of fluss-rust's `fluss_hash_bytes` (bytes zero-extended), for comparison only. */
function zeroExtendingHash(bytes: Uint8Array): number {
  const padded = new Uint8Array(bytes.length);
  padded.set(bytes);
  const aligned = bytes.length - (bytes.length % 4);
  // A tail byte b zero-extended equals sign-extending the byte b when b < 0x80; for b ≥ 0x80 emulate by
  // hashing the words part with hashBytes' own mix and the tail by hand.
  const C1 = 0xcc9e2d51;
  const C2 = 0x1b873593;
  const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  const mixK1 = (k: number) => Math.imul(rotl(Math.imul(k, C1), 15), C2);
  const mixH1 = (h: number, k: number) => (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  let h = 42;
  for (let i = 0; i < aligned; i += 4) {
    h = mixH1(h, mixK1(padded[i]! | (padded[i + 1]! << 8) | (padded[i + 2]! << 16) | (padded[i + 3]! << 24)));
  }
  for (let i = aligned; i < bytes.length; i++) h = mixH1(h, mixK1(padded[i]!));
  return fmix32(h ^ bytes.length);
}
const UUID = "2bb87d68-baf9-4e64-90f9-f80910419fa6";
const FOX = "The quick brown fox jumps over the lazy dog";

// Vectors of apache/fluss:fluss-common/src/test/java/org/apache/fluss/bucketing/BucketingFunctionTest.java @ v0.9.1.
describe("BucketingFunctionTest vectors (Java)", () => {
  it("Fluss default bucketing", () => {
    expect(flussBucketing.bucketing(new Uint8Array([0, 10]), 7)).toBe(1);
    expect(flussBucketing.bucketing(new Uint8Array([0, 10, 10, 10]), 12)).toBe(0);
    expect(flussBucketing.bucketing(utf8(UUID), 16)).toBe(6);
    expect(flussBucketing.bucketing(utf8(FOX), 8)).toBe(6);
  });

  it("Paimon bucketing", () => {
    expect(paimonBucketing.bucketing(new Uint8Array([0, 10]), 7)).toBe(1);
    expect(paimonBucketing.bucketing(new Uint8Array([0, 10, 10, 10]), 12)).toBe(11);
    expect(paimonBucketing.bucketing(utf8(UUID), 16)).toBe(12);
    expect(paimonBucketing.bucketing(utf8(FOX), 8)).toBe(0);
  });
});

describe("murmur hashes", () => {
  it("sign-extends tail bytes like Java: the compacted key of INT 200 (c8 01) goes to bucket 6 of 16", () => {
    const key = new Uint8Array([0xc8, 0x01]);
    expect(flussBucketing.bucketing(key, 16)).toBe(6);
    // fluss-rust / pyfluss zero-extend the tail byte instead, which puts the same key in bucket 10.
    expect(murmurInt(zeroExtendingHash(key)) % 16).toBe(10);
    // Tails of bytes < 0x80 and whole 4-byte words hash alike in both.
    for (const b of [new Uint8Array([1, 0x7f]), new Uint8Array([0xc8, 0xc8, 0xc8, 0xc8])]) {
      expect(hashBytes(b)).toBe(zeroExtendingHash(b));
    }
  });

  it("murmurInt maps Integer.MIN_VALUE results to 0 and is never negative", () => {
    for (let i = -1000; i < 1000; i++) expect(murmurInt(i * 7919)).toBeGreaterThanOrEqual(0);
  });

  it("Guava murmur3_32_fixed known answers (seed 0)", () => {
    // Standard MurmurHash3_x86_32 reference values.
    expect(murmur3Fixed32(new Uint8Array(0))).toBe(0);
    expect(murmur3Fixed32(utf8("hello")) >>> 0).toBe(0x248bfa47);
    expect(murmur3Fixed32(utf8(FOX)) >>> 0).toBe(0x2e4ff723);
    expect(murmur3Fixed32(utf8("Hello, world!"), 0, undefined, 1234) >>> 0).toBe(0xfaf6cdb3);
  });

  it("hashes a slice of a larger buffer like the bytes on their own", () => {
    const buf = new Uint8Array([9, 9, 0xc8, 0x01, 0xff, 9]);
    expect(hashBytes(buf, 2, 3)).toBe(hashBytes(new Uint8Array([0xc8, 0x01, 0xff])));
  });
});

describe("bucketingFunctionOf", () => {
  it("picks by table.datalake.format", () => {
    expect(bucketingFunctionOf(undefined)).toBe(flussBucketing);
    expect(bucketingFunctionOf("lance")).toBe(flussBucketing);
    expect(bucketingFunctionOf("PAIMON")).toBe(paimonBucketing);
    expect(bucketingFunctionOf("iceberg")).toBe(icebergBucketing);
  });

  it("rejects unknown formats, empty keys and bad bucket counts with CLIENT_ERROR", () => {
    for (const bad of [
      () => parseDataLakeFormat("delta"),
      () => flussBucketing.bucketing(new Uint8Array(0), 4),
      () => flussBucketing.bucketing(new Uint8Array([1]), 0),
      () => icebergBucketing.bucketing(new Uint8Array(0), 4),
      () => paimonBucketing.bucketing(new Uint8Array([1]), 1.5),
    ]) {
      let caught: unknown;
      try {
        bad();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(FlussError);
      expect((caught as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    }
  });
});
