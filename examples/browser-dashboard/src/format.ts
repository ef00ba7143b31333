/** How cells and figures are shown. */

const numberFormat = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A cell as text: Arrow hands out bigint for BIGINT, Uint8Array for BYTES, numbers (ms) for timestamps, structs as objects. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "∅";
  if (value instanceof Uint8Array) {
    const hex = Array.from(value.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
    return value.length > 16 ? `0x${hex}…` : `0x${hex}`;
  }
  if (typeof value === "object") {
    try {
      return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    } catch {
      return String(value);
    }
  }
  return String(value);
}
