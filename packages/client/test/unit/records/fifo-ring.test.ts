/** The inbox ring of the codec worker pool: ranges never overlap while live, and come back in order. */
import { describe, expect, it } from "vitest";
import { FifoRing } from "../../../src/codec-workers/fifo-ring.js";
import { seededRandom } from "./seeded.js";

describe("FifoRing", () => {
  it("hands out ranges one after the other, wraps to the front when the end is too short, and refuses when full", () => {
    const ring = new FifoRing(100);
    expect(ring.allocate(40)).toBe(0);
    expect(ring.allocate(40)).toBe(40);
    expect(ring.allocate(30)).toBeUndefined(); // 20 left at the end, nothing free at the front
    ring.release(1); // [0, 40) is free again
    expect(ring.allocate(30)).toBe(0); // does not fit the end: starts at the front
    expect(ring.allocate(10)).toBe(30);
    expect(ring.allocate(1)).toBeUndefined(); // wrapped: [40, 80) and [0, 40) are live
    ring.release(3);
    expect(ring.size).toBe(0);
    expect(ring.allocate(100)).toBe(0); // empty again: the whole ring
  });

  it("refuses lengths it can never hold and bad release counts", () => {
    const ring = new FifoRing(64);
    expect(ring.allocate(0)).toBeUndefined();
    expect(ring.allocate(65)).toBeUndefined();
    expect(() => ring.release(1)).toThrow(RangeError);
    expect(() => new FifoRing(0)).toThrow(RangeError);
  });

  it("never overlaps live ranges (seeded random walk)", () => {
    const rnd = seededRandom(7);
    const ring = new FifoRing(1000);
    const live: [number, number][] = [];
    for (let step = 0; step < 20_000; step++) {
      if (live.length > 0 && rnd() < 0.45) {
        const count = 1 + Math.floor(rnd() * Math.min(3, live.length));
        ring.release(count);
        live.splice(0, count);
        continue;
      }
      const length = 1 + Math.floor(rnd() ** 2 * 400);
      const start = ring.allocate(length);
      if (start === undefined) {
        // Refused only when no free stretch could take it.
        expect(live.length).toBeGreaterThan(0);
        continue;
      }
      expect(start + length).toBeLessThanOrEqual(1000);
      for (const [s, e] of live) expect(start >= e || start + length <= s, `step ${step}`).toBe(true);
      live.push([start, start + length]);
    }
    expect(ring.size).toBe(live.length);
  });
});
