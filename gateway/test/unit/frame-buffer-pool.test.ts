/**
 * The gateway's frame buffer pool: buffers come back only once and only if
 * lent, are reused by size class, and what waits for reuse stays bounded.
 */
import { describe, expect, it } from "vitest";
import { FrameBufferPool, MIN_POOLED_BYTES } from "../../src/relay/frame-buffer-pool.js";

describe("FrameBufferPool", () => {
  it("reuses a released buffer for the next frame of its size class, never one still lent", () => {
    const pool = new FrameBufferPool();
    const a = pool.acquire(300_000);
    expect(a.byteLength).toBeGreaterThanOrEqual(300_000);
    const b = pool.acquire(300_000);
    expect(b).not.toBe(a);
    pool.release(a);
    expect(pool.freeBytes).toBe(a.byteLength);
    const c = pool.acquire(270_000); // same power-of-two class
    expect(c).toBe(a);
    expect(pool.freeBytes).toBe(0);
    expect(pool.acquire(300_000)).not.toBe(b); // b is still lent
  });

  it("ignores a second release, a foreign buffer and small unpooled buffers", () => {
    const pool = new FrameBufferPool();
    const a = pool.acquire(MIN_POOLED_BYTES * 2);
    pool.release(a);
    pool.release(a);
    expect(pool.freeBytes).toBe(a.byteLength);
    pool.release(new ArrayBuffer(MIN_POOLED_BYTES * 2));
    const small = pool.acquire(100);
    expect(small.byteLength).toBe(100);
    pool.release(small);
    expect(pool.freeBytes).toBe(a.byteLength);
    // One buffer out, and it is the one released once: two acquires do not share it.
    const x = pool.acquire(MIN_POOLED_BYTES * 2);
    const y = pool.acquire(MIN_POOLED_BYTES * 2);
    expect(x).toBe(a);
    expect(y).not.toBe(a);
  });

  it("keeps at most maxFreeBytes for reuse", () => {
    const pool = new FrameBufferPool(1024 * 1024);
    const lent = Array.from({ length: 8 }, () => pool.acquire(256 * 1024));
    for (const buffer of lent) pool.release(buffer);
    expect(pool.freeBytes).toBe(1024 * 1024);
  });
});
