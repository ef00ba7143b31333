import { describe, expect, it } from "vitest";
import { crc32c, crc32cUpdate } from "../../../src/wire/records/crc32c.js";
import { seededBytes, seededRandom } from "./seeded.js";

/** Bit-at-a-time reference, independent of the table-driven code. */
function reference(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe("crc32c", () => {
  it("matches the standard check value and the RFC 3720 (iSCSI) vectors", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it("agrees with a bit-wise reference on every length and offset (seeded)", () => {
    const rnd = seededRandom(7);
    for (let n = 0; n < 300; n++) {
      const bytes = seededBytes(rnd, n + 20);
      const start = Math.floor(rnd() * 10);
      const end = bytes.length - Math.floor(rnd() * 10);
      expect(crc32c(bytes, start, end)).toBe(reference(bytes.subarray(start, end)));
    }
  });

  it("agrees with the reference on views at every alignment of their buffer, short and long", () => {
    const rnd = seededRandom(11);
    const backing = seededBytes(rnd, 70_000);
    for (let shift = 0; shift < 8; shift++) {
      for (const length of [0, 1, 3, 15, 16, 17, 31, 64, 1000, 65_537]) {
        const view = backing.subarray(shift, shift + length);
        expect(crc32c(view), `shift ${shift}, length ${length}`).toBe(reference(view));
        const start = Math.min(length, 5);
        expect(crc32c(view, start), `shift ${shift}, length ${length}, from ${start}`).toBe(reference(view.subarray(start)));
      }
    }
  });

  it("can be computed in pieces", () => {
    const bytes = seededBytes(seededRandom(3), 1000);
    expect(crc32cUpdate(crc32cUpdate(0, bytes, 0, 333), bytes, 333)).toBe(crc32c(bytes));
  });

  it("continues from running values of both halves of the unsigned range (the loop keeps them as int32)", () => {
    const bytes = seededBytes(seededRandom(5), 4096);
    let high = 0;
    let low = 0;
    for (let cut = 1; cut < 200 && (high === 0 || low === 0); cut++) {
      const running = crc32c(bytes, 0, cut);
      expect(running).toBeGreaterThanOrEqual(0);
      const whole = crc32cUpdate(running, bytes, cut);
      expect(whole).toBe(reference(bytes));
      if (running >= 2 ** 31) high++;
      else low++;
    }
    expect(high).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(0);
  });
});
