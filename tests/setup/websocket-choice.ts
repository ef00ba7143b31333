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
import { registerWebSocketLoader } from "../../packages/client/src/transport/websocket-constructor.js";
import { wsWebSocketClass } from "../support/ws-class.js";

if (process.env.FLUSS_TEST_WEBSOCKET === "global") {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "function") {
    throw new Error("FLUSS_TEST_WEBSOCKET=global needs a runtime with a global WebSocket (Node ≥ 22)");
  }
  registerWebSocketLoader(async () => wsWebSocketClass());
}
