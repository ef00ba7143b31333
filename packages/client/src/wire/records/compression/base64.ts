/**
 * Base64 to bytes without importing Node built-ins (the wire layer runs in
 * browsers and edge runtimes too): the engine's own `Uint8Array.fromBase64`
 * where it has one (Chrome 140, Firefox 133, Safari 18.2), else the global
 * `Buffer` of Node, Deno and Bun, else `atob`. For the 630 KB of the ZSTD
 * module, `atob` and a byte loop took about 6 ms in a fresh Node thread,
 * `Buffer` under 1 ms.
 */
export function bytesFromBase64(base64: string): Uint8Array {
  const native = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (typeof native === "function") return native(base64);
  const buffer = (globalThis as { Buffer?: { from(text: string, encoding: "base64"): Uint8Array } }).Buffer;
  if (typeof buffer?.from === "function") return buffer.from(base64, "base64");
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
