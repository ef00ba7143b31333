/**
 * Vitest setup file of the `integration` project. On Node the client connects
 * to the gateway with the `ws` package, also where Node has a global
 * WebSocket (undici, Node ≥ 22; see packages/client/src/node.ts). With
 * FLUSS_TEST_WEBSOCKET=global the suites use the runtime's global WebSocket
 * instead, as a caller who injects `globalThis.WebSocket` would: scripts/test.sh
 * runs them so on Node 24, so that undici's own behaviour (a refused
 * connection fires `error` and never `close`) stays covered.
 */
import "@fluss-edge/client";
import { createRequire } from "node:module";
import { registerWebSocketLoader, type WebSocketConstructor } from "../../packages/client/src/transport/websocket-constructor.js";

/** The `ws` package's client class, as the client package resolves it (the repository root has no `ws`). */
export function wsWebSocketClass(): WebSocketConstructor {
  const clientRequire = createRequire(new URL("../../packages/client/package.json", import.meta.url));
  return (clientRequire("ws") as { WebSocket: WebSocketConstructor }).WebSocket;
}

if (process.env.FLUSS_TEST_WEBSOCKET === "global") {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "function") {
    throw new Error("FLUSS_TEST_WEBSOCKET=global needs a runtime with a global WebSocket (Node ≥ 22)");
  }
  registerWebSocketLoader(async () => wsWebSocketClass());
}
