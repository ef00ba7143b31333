/**
 * Base64 to bytes without Node built-ins (the wire layer runs in browsers
 * and edge runtimes too): the engine's own `Uint8Array.fromBase64` where it
 * has one (Chrome 140, Firefox 133, Safari 18.2, Deno 2.5), else `atob`.
 */
export function bytesFromBase64(base64: string): Uint8Array {
  const native = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (typeof native === "function") return native(base64);
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
