import { FlussError } from "../errors/index.js";

const TWO_128 = 1n << 128n;
const TWO_127 = 1n << 127n;
const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Below 2^52 two decimals with `scale` fraction digits never round to the same double (see numberFastPath). */
const FAST_LIMIT = 2 ** 52;

/**
 * The unscaled value of a DECIMAL(precision, scale) value given as a string
 * ("-123.45", "1e-3"), a number (its shortest round-trip text, so 0.1 means
 * 0.1) or a bigint (an integer). Extra fraction digits are rounded half-up,
 * as Fluss's Java `Decimal.fromBigDecimal`; more integer digits than
 * `precision − scale` is an error (Java would silently store null).
 */
export function toUnscaledDecimal(value: unknown, precision: number, scale: number, path: string): bigint {
  let text: string;
  if (typeof value === "string") text = value.trim();
  else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw FlussError.client(`column '${path}': ${value} is not a valid DECIMAL value`);
    const fast = numberFastPath(value, precision, scale);
    if (fast !== undefined) return fast;
    text = String(value);
  } else if (typeof value === "bigint") text = value.toString();
  else throw FlussError.client(`column '${path}' is DECIMAL(${precision}, ${scale}); expected a string, number or bigint, got ${describe(value)}`);
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw FlussError.client(`column '${path}': '${text}' is not a decimal number`);
  const negative = m[1] === "-";
  const exponent = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) throw FlussError.client(`column '${path}': exponent of '${text}' is out of range`);
  let digits = (m[2] ?? "") + (m[3] ?? "");
  // value = digits × 10^(exponent − fractionDigits); shift to `scale` fraction digits.
  const shift = scale - ((m[3] ?? "").length - exponent);
  let unscaled: bigint;
  if (shift >= 0) {
    unscaled = BigInt(digits + "0".repeat(shift));
  } else {
    const cut = digits.length + shift;
    const kept = cut > 0 ? digits.slice(0, cut) : "0";
    const firstDropped = cut >= 0 ? digits.charCodeAt(cut) - 48 : 0;
    unscaled = BigInt(kept) + (firstDropped >= 5 ? 1n : 0n);
    digits = kept;
  }
  if (negative) unscaled = -unscaled;
  const limit = 10n ** BigInt(precision);
  if (unscaled >= limit || unscaled <= -limit) {
    throw FlussError.client(`column '${path}': ${text} does not fit DECIMAL(${precision}, ${scale})`);
  }
  return unscaled;
}

/**
 * The unscaled value of a number whose shortest text has at most `scale`
 * fraction digits (money-like values such as 12.5 in DECIMAL(10, 2)),
 * without printing and parsing it; undefined when the general path must decide.
 *
 * Why it is exact: `scaled / 10^scale` is the double nearest the decimal
 * D = scaled × 10^−scale (both operands are exact doubles and division rounds
 * correctly), so when it equals `value`, D rounds to `value`. Any other
 * decimal with ≤ `scale` fraction digits is ≥ 10^−scale away from D, and
 * below 2^52 that is more than an ulp of `value`, so D is the only one — the
 * shortest round-trip text of `value` is D, and D needs no rounding.
 */
function numberFastPath(value: number, precision: number, scale: number): bigint | undefined {
  if (scale > 15) return undefined;
  const factor = 10 ** scale;
  const scaled = Math.round(value * factor);
  if (!(Math.abs(scaled) < FAST_LIMIT) || scaled / factor !== value) return undefined;
  // |scaled| < 2^52 < 10^16: only precisions up to 15 can overflow here; leave those to the general path.
  if (precision <= 15 && Math.abs(scaled) >= 10 ** precision) return undefined;
  return BigInt(scaled);
}

/** Formats an unscaled value with exactly `scale` fraction digits, e.g. (−12345n, 2) → "-123.45". */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Writes a 128-bit two's-complement little-endian value as 4 uint32 words at `words[at…at+3]`. */
export function writeDecimal128(words: Uint32Array, at: number, unscaled: bigint): void {
  let v = unscaled < 0n ? unscaled + TWO_128 : unscaled;
  for (let k = 0; k < 4; k++) {
    words[at + k] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

/** Reads the 128-bit two's-complement little-endian value at `words[at…at+3]`. */
export function readDecimal128(words: Uint32Array, at: number): bigint {
  const w0 = words[at]!;
  const w1 = words[at + 1]!;
  const w2 = words[at + 2]!;
  const w3 = words[at + 3]!;
  // Fast path: values that fit 53 bits (sign-extended words), the common case for money-like columns.
  if ((w3 === 0 && w2 === 0 && w1 < 0x200000) || (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000)) {
    return BigInt((w1 | 0) * 0x1_0000_0000 + w0);
  }
  const v = (BigInt(w3) << 96n) | (BigInt(w2) << 64n) | (BigInt(w1) << 32n) | BigInt(w0);
  return v >= TWO_127 ? v - TWO_128 : v;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return "a Uint8Array";
  if (value instanceof Date) return "a Date";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

export { describe as describeValue };
