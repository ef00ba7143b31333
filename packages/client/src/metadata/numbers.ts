import { FlussError } from "../errors/index.js";

/**
 * Converts a protobuf int64 (bigint in protobuf-es) or a number into a JS
 * number, refusing values that a double cannot hold exactly.
 *
 * Why numbers: table ids, partition ids and server timestamps (ms) are far
 * below 2^53 in practice — ids come from a ZooKeeper counter and 2^53 ms is
 * 285,000 years — and pyfluss exposes them as plain ints. Plain numbers work
 * as Map keys, in JSON and in arithmetic without mixing bigint. The check
 * turns the theoretical overflow into an explicit CLIENT_ERROR instead of a
 * silently rounded id.
 */
export function toSafeNumber(value: number | bigint, what: string): number {
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw FlussError.client(`${what} ${value} does not fit in a JavaScript number.`);
    }
    return Number(value);
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw FlussError.client(`${what} must be a safe integer, got ${String(value)}.`);
  }
  return value;
}

/** Like {@link toSafeNumber} but also requires a 32-bit signed int (bucket ids, schema ids, ports). */
export function toInt32(value: number | bigint, what: string): number {
  const n = toSafeNumber(value, what);
  if (n < -2147483648 || n > 2147483647) throw FlussError.client(`${what} must be a 32-bit integer, got ${n}.`);
  return n;
}
