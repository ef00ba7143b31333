import { describe, expect, it } from "vitest";
import { ByteInput, ByteOutput, readUtf8, utf8Length, writeUtf8 } from "../../../src/wire/rows/index.js";

describe("UTF-8 as Java writes it", () => {
  it("matches TextEncoder for well-formed text", () => {
    for (const s of ["", "abc", "é", "中文", "😀", "a😀b€"]) {
      const out = new Uint8Array(utf8Length(s));
      expect(writeUtf8(s, out, 0)).toBe(out.length);
      expect(out).toEqual(new TextEncoder().encode(s));
      expect(readUtf8(out, 0, out.length)).toBe(s);
    }
  });

  it("writes an unpaired surrogate as '?' (the JDK's replacement), not U+FFFD", () => {
    for (const [s, bytes] of [["\ud800", [0x3f]], ["a\udc00", [0x61, 0x3f]], ["\ud83dx", [0x3f, 0x78]]] as const) {
      const out = new Uint8Array(utf8Length(s));
      writeUtf8(s, out, 0);
      expect([...out]).toEqual(bytes);
    }
  });
});

describe("varints", () => {
  it("round-trip int32 and int64 bit patterns", () => {
    const out = new ByteOutput(1);
    const ints = [0, 1, 127, 128, 200, 16383, 16384, 2147483647, -1, -2147483648];
    for (const v of ints) out.writeVarInt32(v);
    const longs = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123n];
    for (const v of longs) out.writeVarInt64Parts(Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n)));
    const input = new ByteInput(out.bytes, 0, out.position);
    expect(ints.map(() => input.readVarInt32())).toEqual(ints);
    expect(longs.map(() => input.readVarInt64())).toEqual(longs);
    expect(input.position).toBe(input.limit);
  });

  it("rejects over-long varints", () => {
    expect(() => new ByteInput(new Uint8Array(6).fill(0x80)).readVarInt32()).toThrow(/longer than 5 bytes/);
    expect(() => new ByteInput(new Uint8Array(11).fill(0x80)).readVarInt64()).toThrow(/longer than 10 bytes/);
  });
});
