import { createRequire } from "node:module";
import type { WebSocketConstructor } from "@fluss-edge/client";

/** The `ws` package's client class, as the client package resolves it (the repository root has no `ws`). */
export function wsWebSocketClass(): WebSocketConstructor {
  const clientRequire = createRequire(new URL("../../packages/client/package.json", import.meta.url));
  return (clientRequire("ws") as { WebSocket: WebSocketConstructor }).WebSocket;
}
