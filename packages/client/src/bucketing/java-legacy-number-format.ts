/**
 * `Double.toString` / `Float.toString` as Java 8–18 print them (the JDKs Fluss runs on: its
 * image is Java 17). Up to Java 18 the digits come from `FloatingDecimal`, which is NOT the
 * shortest round-trip decimal in many cases (JDK-4511638, fixed in Java 19):
 *
 * - a value that is an integer below 2^63 whose bits fit a long after scaling is printed with all
 *   of its integer digits, minus the "insignificant" low ones that 2^(binExp − precision) cannot
 *   resolve, rounded half-up: `(float) 109211557888` → `1.09211558E11` (Java 19+: `1.0921156E11`),
 *   `(double) 201722712023183712` → `2.01722712023183712E17`;
 * - otherwise digits are generated one by one from exact ratios until the remainder is within
 *   half an ULP on a symmetric test (ignoring the narrower gap below a power of two), with the
 *   int/long fast paths testing `b + m > 10·s` where the big-integer path tests `≥`, and at least
 *   two digits in E-notation.
 *
 * This module reimplements that behaviour with exact BigInt arithmetic (emulating the 32/64-bit
 * wrap-around of the fast paths), so that partition names of FLOAT/DOUBLE partition columns
 * match what a Java 8–18 client derives. Checked against Java 17 in tests/interop/bucketing.test.ts.
 */

/** Bit length of 5^i (0 for i = 0): `FloatingDecimal`'s estimate of the bits 5^i needs. */
const N_5_BITS: readonly number[] = Array.from({ length: 27 }, (_, i) => (i === 0 ? 0 : (5n ** BigInt(i)).toString(2).length));

/** Decimal digits of 2^p that lie below its precision: floor(log10(2^p)) for 2 ≤ p ≤ 62. */
function insignificantDigitsForPow2(p: number): number {
  if (p <= 1 || p >= 64) return 0;
  if (p === 63) return 19; // the table's last entry; unreachable from dtoa's easy path
  return (1n << BigInt(p)).toString().length - 1;
}

/** `FloatingDecimal.estimateDecExp`: floor of an estimate of log10 of the value. */
function estimateDecExp(fractBits: bigint, binExp: number): number {
  const d2 = 1 + Number(fractBits & ((1n << 52n) - 1n)) / 2 ** 52;
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

interface Digits {
  digits: number[];
  /** Value = 0.DIGITS × 10^decExponent. */
  decExponent: number;
}

/** The integer easy case: all digits of `value`, minus `insignificant` low ones (rounded half-up). */
function developLongDigits(value: bigint, insignificant: number): Digits {
  let v = value;
  let dec = 0;
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = v % pow10;
    v /= pow10;
    dec += insignificant;
    if (residue >= pow10 >> 1n) v += 1n;
  }
  const text = v.toString();
  const trimmed = text.replace(/0+$/, "");
  return { digits: [...trimmed].map(Number), decExponent: dec + text.length };
}

const wrap32 = (v: bigint): bigint => BigInt.asIntN(32, v);
const wrap64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const exact = (v: bigint): bigint => v;

/**
 * `FloatingDecimal.BinaryToASCIIBuffer.dtoa` for a positive finite value.
 *
 * @param binExp unbiased binary exponent of the leading 1 bit
 * @param fractBits the significand with its leading 1 at bit 52
 * @param nSignificantBits precision of the source type (53 double, 24 float; fewer if subnormal)
 */
function dtoa(binExp: number, fractBits: bigint, nSignificantBits: number): Digits {
  let tailZeros = 0;
  while (((fractBits >> BigInt(tailZeros)) & 1n) === 0n) tailZeros++;
  const nFractBits = 53 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (binExp <= 62 && binExp >= -21 && nTinyBits < 27 && nFractBits + N_5_BITS[nTinyBits]! < 64 && nTinyBits === 0) {
    const insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0;
    const value = binExp >= 52 ? fractBits << BigInt(binExp - 52) : fractBits >> BigInt(52 - binExp);
    return developLongDigits(value, insignificant);
  }

  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  const mant = fractBits >> BigInt(tailZeros);
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  // At an exact power of two the next value below is half as far: halve M (as Java does).
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const bBits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5]! : B5 * 3);
  const tenSBits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1]! : (S5 + 1) * 3);

  let b = mant * 5n ** BigInt(B5) * (1n << BigInt(B2));
  const s = 5n ** BigInt(S5) * (1n << BigInt(S2));
  let m = 5n ** BigInt(M5) * (1n << BigInt(M2));
  const tens = s * 10n;
  // Java picks int, long or FDBigInteger arithmetic; the first two wrap around on overflow and
  // test "high" strictly, the last is exact and tests it with ≥.
  const fast = bBits < 64 && tenSBits < 64;
  const w = !fast ? exact : bBits < 32 && tenSBits < 32 ? wrap32 : wrap64;
  const isHigh = (bv: bigint, mv: bigint): boolean => (fast ? w(bv + mv) > tens : bv + mv >= tens);

  const digits: number[] = [];
  let q = Number(b / s);
  b = 10n * (b % s);
  m = w(m * 10n);
  let low = b < m;
  let high = isHigh(b, m);
  if (q === 0 && !high) decExp--;
  else digits.push(q);
  // At least one digit after the point in E-notation: never stop after the first digit there.
  if (decExp < -3 || decExp >= 8) high = low = false;
  while (!low && !high) {
    q = Number(b / s);
    b = 10n * (b % s);
    m = w(m * 10n);
    if (!fast || m > 0n) {
      low = b < m;
      high = isHigh(b, m);
    } else {
      // Java: m overflowed, so it "is certainly > b" and b + m > 10·s.
      low = high = true;
    }
    digits.push(q);
  }
  let lowDigitDifference: bigint;
  if (fast) lowDigitDifference = w((b << 1n) - tens);
  else lowDigitDifference = high && low ? (b << 1n) - tens : 0n;

  const result: Digits = { digits, decExponent: decExp + 1 };
  if (high) {
    if (low) {
      if (lowDigitDifference === 0n) {
        if ((digits[digits.length - 1]! & 1) !== 0) roundup(result);
      } else if (lowDigitDifference > 0n) {
        roundup(result);
      }
    } else {
      roundup(result);
    }
  }
  return result;
}

/** Adds one to the last digit; a carry out of all nines becomes 1 followed by zeros (same digit count). */
function roundup(r: Digits): void {
  const d = r.digits;
  let i = d.length - 1;
  while (d[i] === 9 && i > 0) d[i--] = 0;
  if (d[i] === 9) {
    r.decExponent += 1;
    d[0] = 1;
    return;
  }
  d[i] = d[i]! + 1;
}

/** `BinaryToASCIIBuffer.getChars`: plain notation for 10^-3 ≤ |v| < 10^7, else d.ddd…E±n. */
function format(negative: boolean, { digits, decExponent }: Digits): string {
  const sign = negative ? "-" : "";
  const all = digits.join("");
  if (decExponent > 0 && decExponent < 8) {
    const intLen = Math.min(digits.length, decExponent);
    const intPart = all.slice(0, intLen);
    if (intLen < decExponent) return `${sign}${intPart}${"0".repeat(decExponent - intLen)}.0`;
    return `${sign}${intPart}.${intLen < digits.length ? all.slice(intLen) : "0"}`;
  }
  if (decExponent <= 0 && decExponent > -3) return `${sign}0.${"0".repeat(-decExponent)}${all}`;
  const e = decExponent - 1;
  return `${sign}${all[0]}.${digits.length > 1 ? all.slice(1) : "0"}E${e}`;
}

/** `Double.toString(v)` as Java 8–18 print it. */
export function javaLegacyDoubleToString(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  let fract = bits & ((1n << 52n) - 1n);
  let binExp = Number((bits >> 52n) & 0x7ffn);
  let nSignificantBits: number;
  if (binExp === 0) {
    // Subnormal: normalise so that the leading 1 sits at bit 52.
    const bitLen = fract.toString(2).length;
    const shift = 53 - bitLen;
    fract <<= BigInt(shift);
    binExp = 1 - shift;
    nSignificantBits = bitLen;
  } else {
    fract |= 1n << 52n;
    nSignificantBits = 53;
  }
  return format(v < 0, dtoa(binExp - 1023, fract, nSignificantBits));
}

/** `Float.toString(v)` (of the float32 nearest to `v`) as Java 8–18 print it. */
export function javaLegacyFloatToString(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f) || !Number.isFinite(f) || f === 0) return javaLegacyDoubleToString(f);
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  let fract = bits & 0x7fffff;
  let binExp = (bits >>> 23) & 0xff;
  let nSignificantBits: number;
  if (binExp === 0) {
    const bitLen = 32 - Math.clz32(fract);
    const shift = 24 - bitLen;
    fract <<= shift;
    binExp = 1 - shift;
    nSignificantBits = bitLen;
  } else {
    fract |= 1 << 23;
    nSignificantBits = 24;
  }
  return format(f < 0, dtoa(binExp - 127, BigInt(fract) << 29n, nSignificantBits));
}
