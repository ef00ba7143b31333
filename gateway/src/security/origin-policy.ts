/**
 * Which browser origins may open a WebSocket. Deny by default: only origins
 * listed exactly are allowed, and localhost origins only in dev mode. A
 * request without `Origin` comes from a non-browser caller (Node, a server,
 * an edge function), which no browser user can be tricked into making, so it
 * is allowed; such callers are held to the bearer token instead.
 */
export interface OriginPolicy {
  allowedOrigins: ReadonlySet<string>;
  devMode: boolean;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether a WebSocket upgrade carrying `origin` (the raw header, if any) may proceed. */
export function isOriginAllowed(origin: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  const normalized = normalizeOrigin(origin);
  // Opaque origins ("null": sandboxed frames, file://) can never be identified.
  if (normalized === undefined) return false;
  if (policy.allowedOrigins.has(normalized)) return true;
  if (!policy.devMode) return false;
  const url = new URL(normalized);
  return (url.protocol === "http:" || url.protocol === "https:") && LOCAL_HOSTS.has(url.hostname);
}

/**
 * Parses the configured allowlist. Each entry must be a bare origin
 * (`scheme://host[:port]`, no path); wildcards are refused on purpose so that
 * a typo can never open the gateway to every site.
 */
export function parseOriginList(entries: readonly string[]): ReadonlySet<string> {
  if (!Array.isArray(entries)) throw new Error("expected a list of origins");
  const origins = new Set<string>();
  for (const entry of entries) {
    if (typeof entry !== "string") throw new Error(`expected origins as strings, got ${String(entry)}`);
    const trimmed = entry.trim();
    if (trimmed.includes("*")) throw new Error(`'${trimmed}': wildcards are not supported, list each origin`);
    const normalized = normalizeOrigin(trimmed);
    if (normalized === undefined || !isBareOrigin(trimmed)) {
      throw new Error(`'${trimmed}' is not an origin like https://app.example.com (scheme, host, optional port, no path)`);
    }
    origins.add(normalized);
  }
  return origins;
}

/** True when `value` names nothing beyond scheme, host and port. */
function isBareOrigin(value: string): boolean {
  const url = new URL(value);
  return url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
}

/** `scheme://host[:port]` in canonical form (lower case, default port dropped), or undefined when opaque/invalid. */
function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const origin = url.origin;
  return origin === "null" ? undefined : origin.toLowerCase();
}
