/**
 * Java's `Double.toString` / `Float.toString` text, which Fluss partition names embed.
 *
 * Digits follow the Java 19+ specification: among the decimals that read back as the same
 * double/float, the shortest; among those, the closest to the exact value (ties: even last
 * digit); and when a single digit would do, the closest of one OR two digits (`4.9E-324`,
 * `1.4E-45`). For doubles JavaScript's own `Number#toString` digits are exactly that; floats
 * are rounded here from their exact decimal expansion. Java ≤ 18 (FloatingDecimal) prints some
 * values with more digits than needed (JDK-4511638), which no client can reproduce by rule;
 * docs/bucketing.md has the details.
 *
 * Layout: plain notation with at least one fraction digit for 10⁻³ ≤ |v| < 10⁷ (`100.0`,
 * `0.001`), otherwise `d.dddE±n` (`1.0E7`, `1.234E-5`).
 */

/** `Double.toString(v)` for finite and non-finite values. */
export function javaDoubleToString(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const shortest = v.toExponential();
  const e = shortest.indexOf("e");
  let digits = shortest.slice(0, e).replace("-", "").replace(".", "");
  let exponent = Number(shortest.slice(e + 1));
  if (digits.length === 1) {
    // One digit would do: take the closest of two digits instead (never a tie here).
    const two = v.toExponential(1);
    const e2 = two.indexOf("e");
    digits = two.slice(0, e2).replace("-", "").replace(".", "");
    exponent = Number(two.slice(e2 + 1));
  }
  return layout(v < 0, digits, exponent);
}

/** `Float.toString(v)` of the float32 nearest to `v`. */
export function javaFloatToString(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f) || !Number.isFinite(f) || f === 0) return javaDoubleToString(f);
  const [exact, pointAt] = exactDecimal(Math.abs(f));
  for (let p = 1; p <= 9; p++) {
    const found = closestThatReadsBack(f, exact, pointAt, p === 1 ? 2 : p, p === 1 ? 1 : p);
    if (found) return layout(f < 0, found[0], found[1] - 1);
  }
  // Unreachable: 9 significant digits always identify a float.
  return javaDoubleToString(f);
}

/**
 * Rounds the exact digits to `p` significant digits (half-even) and, if that decimal does not read
 * back as `f`, tries its neighbour on the other side of `f` (the rounding interval of a float at a
 * power of two is lopsided). `needP` is the length whose existence is being tested (1 or p):
 * with needP = 1 the two-digit closest is returned if any one-digit decimal reads back.
 */
function closestThatReadsBack(
  f: number,
  exact: string,
  pointAt: number,
  p: number,
  needP: number,
): [string, number] | undefined {
  if (needP !== p) {
    // Java: when a one-digit decimal reads back, choose the closest of one or two digits.
    const one = roundDigits(exact, pointAt, 1);
    const oneOther = neighbour(exact, pointAt, one);
    if (!readsBack(f, one) && !(oneOther && readsBack(f, oneOther))) return undefined;
  }
  const best = roundDigits(exact, pointAt, p);
  if (readsBack(f, best)) return best;
  const other = neighbour(exact, pointAt, best);
  if (other && readsBack(f, other)) return other;
  return undefined;
}

function stripZeros(digits: string): string {
  return digits.replace(/0+$/, "") || "0";
}

/** Whether `digits` × 10^(pointAt − len) reads back as the float `f`. */
function readsBack(f: number, [digits, pointAt]: [string, number]): boolean {
  return Math.fround(Number(`${digits}e${pointAt - digits.length}`)) === Math.abs(f);
}

/**
 * The exact decimal expansion of a positive finite double: significant digits (no leading or
 * trailing zeros) and the position of the decimal point relative to their start
 * (value = 0.DIGITS × 10^pointAt).
 */
function exactDecimal(x: number): [string, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  let digits: string;
  let fracDigits: number;
  if (exp2 >= 0) {
    digits = (mant << BigInt(exp2)).toString();
    fracDigits = 0;
  } else {
    // mant / 2^k = mant × 5^k / 10^k
    digits = (mant * 5n ** BigInt(-exp2)).toString();
    fracDigits = -exp2;
  }
  const pointAt = digits.length - fracDigits;
  const trimmed = digits.replace(/0+$/, "");
  return [trimmed, pointAt];
}

/** `exact` rounded half-even to `p` significant digits: [digits (length p), pointAt]. */
function roundDigits(exact: string, pointAt: number, p: number): [string, number] {
  if (exact.length <= p) return [exact.padEnd(p, "0"), pointAt];
  let head = BigInt(exact.slice(0, p));
  const next = exact.charCodeAt(p) - 48;
  const rest = /[1-9]/.test(exact.slice(p + 1));
  if (next > 5 || (next === 5 && (rest || head % 2n === 1n))) head += 1n;
  let s = head.toString();
  let point = pointAt;
  if (s.length > p) {
    s = s.slice(0, p);
    point += 1;
  }
  return [s, point];
}

/** The p-digit decimal on the other side of the exact value from `rounded` (undefined if it is exact). */
function neighbour(exact: string, pointAt: number, rounded: [string, number]): [string, number] | undefined {
  const p = rounded[0].length;
  const truncated = exact.slice(0, p).padEnd(p, "0");
  const wasRoundedUp = rounded[0] !== truncated || rounded[1] !== pointAt;
  if (exact.length <= p) return undefined;
  if (wasRoundedUp) return [truncated, pointAt];
  const up = (BigInt(truncated) + 1n).toString();
  return up.length > p ? [up.slice(0, p), pointAt + 1] : [up, pointAt];
}

/** Lays out significant digits of a value d.ddd × 10^e as Java does. */
function layout(negative: boolean, significant: string, e: number): string {
  const digits = stripZeros(significant);
  const sign = negative ? "-" : "";
  if (e >= -3 && e < 7) {
    if (e >= 0) {
      const intLen = e + 1;
      const intPart = digits.length >= intLen ? digits.slice(0, intLen) : digits.padEnd(intLen, "0");
      const frac = digits.length > intLen ? digits.slice(intLen) : "0";
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}E${e}`;
}
