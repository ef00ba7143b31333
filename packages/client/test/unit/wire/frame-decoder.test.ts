import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { decodeResponseFrame, encodeResponseFrame } from "../../../src/wire/frame.js";
import { FrameDecoder } from "../../../src/wire/frame-decoder.js";
import { concatBytes } from "../records/seeded.js";

/** A deterministic PRNG so that fuzz failures can be reproduced from the seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function responses(count: number, random: () => number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const body = new Uint8Array(Math.floor(random() * 300));
    for (let j = 0; j < body.length; j++) body[j] = Math.floor(random() * 256);
    return encodeResponseFrame({ kind: "success", requestId: i, body });
  });
}

describe("FrameDecoder", () => {
  it("returns frames that sit inside one chunk as views, without copying", () => {
    const stream = concatBytes(responses(3, prng(1)));
    const frames = new FrameDecoder().push(stream);
    expect(frames).toHaveLength(3);
    for (const frame of frames) expect(frame.buffer).toBe(stream.buffer);
  });

  it("reassembles frames split at every possible position, including inside the length prefix", () => {
    const frames = responses(4, prng(2));
    const stream = concatBytes(frames);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(out.map((f) => decodeResponseFrame(f))).toEqual(frames.map((f) => decodeResponseFrame(f.subarray(4))));
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it("survives random chunking of a long stream byte for byte", () => {
    const random = prng(3);
    const frames = responses(200, random);
    const stream = concatBytes(frames);
    const decoder = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < stream.length; ) {
      const size = 1 + Math.floor(random() * 64);
      out.push(...decoder.push(stream.subarray(offset, offset + size)));
      offset += size;
    }
    expect(out.length).toBe(200);
    out.forEach((frame, i) => expect([...frame]).toEqual([...frames[i]!.subarray(4)]));
  });

  it("with copy, puts every frame in a buffer of its own with headroom, so the chunk's memory may be reused at once", () => {
    const random = prng(5);
    const frames = responses(80, random);
    const stream = concatBytes(frames);
    const reused = new Uint8Array(512); // one read buffer, overwritten by every "read"
    const allocated: number[] = [];
    const allocate = (bytes: number) => {
      allocated.push(bytes);
      return new ArrayBuffer(bytes + (bytes % 3)); // a pool may hand out more than asked
    };
    const decoder = new FrameDecoder(undefined, { copy: { headroom: 5, allocate } });
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < stream.length; ) {
      const size = Math.min(reused.length, 1 + Math.floor(random() * 700), stream.length - offset);
      reused.set(stream.subarray(offset, offset + size));
      for (const frame of decoder.push(reused.subarray(0, size))) {
        expect(frame.byteOffset).toBe(5);
        new Uint8Array(frame.buffer, 0, 5).fill(0xee); // the owner writes in front of the frame
        out.push(frame);
      }
      reused.fill(0xaa); // the next read lands here
      offset += size;
    }
    expect(out.length).toBe(80);
    expect(allocated).toEqual(frames.map((f) => f.length - 4 + 5));
    out.forEach((frame, i) => expect([...frame]).toEqual([...frames[i]!.subarray(4)]));
  });

  it("refuses an oversized frame from its length prefix alone, before buffering anything", () => {
    const decoder = new FrameDecoder(1024);
    const prefix = new Uint8Array([0x7f, 0xff, 0xff, 0xff]);
    expect(() => decoder.push(prefix)).toThrow(/exceeds the limit of 1024 bytes/);
    expect(decoder.bufferedBytes).toBe(0);
    // Once failed, it stays failed: a byte stream cannot be resynchronised.
    expect(() => decoder.push(new Uint8Array(10))).toThrow(FlussError);
  });

  it.each([
    ["zero length", [0, 0, 0, 0]],
    ["negative length", [0xff, 0xff, 0xff, 0xfe]],
  ])("rejects a %s as CLIENT_ERROR", (_label, bytes) => {
    try {
      new FrameDecoder().push(new Uint8Array(bytes));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FlussError);
      expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    }
  });

  it("turns random garbage into FlussErrors or frames, never a crash, hang or huge allocation", () => {
    const random = prng(4);
    const limit = 64 * 1024;
    for (let round = 0; round < 2000; round++) {
      const decoder = new FrameDecoder(limit);
      const garbage = new Uint8Array(1 + Math.floor(random() * 512));
      for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(random() * 256);
      try {
        for (const frame of decoder.push(garbage)) {
          try {
            decodeResponseFrame(frame);
          } catch (error) {
            expect(error).toBeInstanceOf(FlussError);
          }
        }
      } catch (error) {
        expect(error).toBeInstanceOf(FlussError);
      }
      expect(decoder.bufferedBytes).toBeLessThanOrEqual(limit);
    }
  });

  it("keeps a truncated frame pending instead of inventing one", () => {
    const [frame] = responses(1, prng(5));
    const decoder = new FrameDecoder();
    expect(decoder.push(frame!.subarray(0, frame!.length - 1))).toEqual([]);
    // The 4-byte length prefix is consumed; what is held is the frame body received so far.
    expect(decoder.bufferedBytes).toBe(frame!.length - 1 - 4);
    expect(decoder.push(frame!.subarray(frame!.length - 1))).toHaveLength(1);
  });
});
