import { FlussError } from "../../errors/index.js";
import type { ByteOutput } from "./byte-output.js";

/** Largest precision stored as an unscaled int64 ("compact", `Decimal.isCompact`). */
export const MAX_COMPACT_PRECISION = 18;

/** Whether a DECIMAL(precision) is stored as an unscaled long rather than as bytes. */
export function isCompactDecimal(precision: number): boolean {
  return precision <= MAX_COMPACT_PRECISION;
}

/** Byte length of Java's `BigInteger.toByteArray()` of `v`: minimal two's complement incl. a sign bit. */
export function twosComplementLength(v: bigint): number {
  // bitLength as Java defines it: for negatives, the bit length of ~v.
  const magnitude = v < 0n ? ~v : v;
  let bits = 0;
  let m = magnitude;
  // Count 32 bits at a time; decimals have at most 128 bits, so this loops ≤ 4 times.
  while (m >= 0x100000000n) {
    m >>= 32n;
    bits += 32;
  }
  bits += 32 - Math.clz32(Number(m));
  return (bits >> 3) + 1;
}

/**
 * Writes the big-endian two's complement bytes of `v` exactly as `BigInteger.toByteArray()`
 * (0 → `00`, −1 → `ff`, 128 → `00 80`) at the output's position; returns the byte count.
 */
export function writeTwosComplement(out: ByteOutput, v: bigint, length: number = twosComplementLength(v)): number {
  out.ensure(length);
  const buf = out.bytes;
  const start = out.position;
  let x = BigInt.asUintN(length * 8, v);
  // 32 bits per step from the least significant end.
  let i = start + length - 1;
  while (i >= start) {
    let word = Number(x & 0xffffffffn);
    x >>= 32n;
    for (let k = 0; k < 4 && i >= start; k++, i--) {
      buf[i] = word & 0xff;
      word >>>= 8;
    }
  }
  out.position = start + length;
  return length;
}

/** Reads big-endian two's complement bytes (`new BigInteger(bytes)`). */
export function readTwosComplement(bytes: Uint8Array, start: number, end: number): bigint {
  if (end <= start) throw FlussError.client("Malformed row: a non-compact DECIMAL has zero bytes.");
  let v = 0n;
  let i = start;
  // Whole 32-bit words first, then the rest.
  const lead = (end - start) % 4;
  for (let k = 0; k < lead; k++) v = (v << 8n) | BigInt(bytes[i++]!);
  for (; i < end; i += 4) {
    const w = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    v = (v << 32n) | BigInt(w);
  }
  return BigInt.asIntN((end - start) * 8, v);
}
