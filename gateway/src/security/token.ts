import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a presented token with the configured one in constant time. Both
 * are hashed first so that neither the comparison time nor an early length
 * check tells an attacker anything about the configured token.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented === "") return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
