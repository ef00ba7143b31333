import { GATEWAY_SUBPROTOCOL, GATEWAY_TOKEN_SUBPROTOCOL_PREFIX } from "@fluss-edge/client/wire";

/** What the `Sec-WebSocket-Protocol` header of an upgrade offers. */
export type OfferedSubprotocols =
  | { ok: true; speaksV1: boolean; bearerToken: string | undefined }
  | { ok: false; reason: string };

/**
 * Reads the offered subprotocols: `fluss-edge.v1` must be among them; a
 * `fluss-edge.bearer.<base64url>` entry carries the caller's token (for
 * runtimes that cannot set an Authorization header on a WebSocket). The
 * gateway only ever selects `fluss-edge.v1`, so the token is never echoed.
 */
export function parseOfferedSubprotocols(header: string | undefined): OfferedSubprotocols {
  let speaksV1 = false;
  let bearerToken: string | undefined;
  for (const raw of (header ?? "").split(",")) {
    const entry = raw.trim();
    if (entry === GATEWAY_SUBPROTOCOL) speaksV1 = true;
    else if (entry.startsWith(GATEWAY_TOKEN_SUBPROTOCOL_PREFIX)) {
      if (bearerToken !== undefined) return { ok: false, reason: "more than one bearer token offered" };
      const encoded = entry.slice(GATEWAY_TOKEN_SUBPROTOCOL_PREFIX.length);
      if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { ok: false, reason: "bearer token is not base64url" };
      bearerToken = Buffer.from(encoded, "base64url").toString("utf8");
    }
  }
  return { ok: true, speaksV1, bearerToken };
}

/** The subprotocol entry a caller offers to carry `token` (what the client side sends). */
export function bearerSubprotocol(token: string): string {
  return GATEWAY_TOKEN_SUBPROTOCOL_PREFIX + Buffer.from(token, "utf8").toString("base64url");
}
