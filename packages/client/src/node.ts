/**
 * The Node entry: everything of the universal entry, plus direct TCP
 * connections to Fluss servers. Importing it registers the TCP transport, and
 * the `ws` package as the WebSocket for `gateway.url` on runtimes without a
 * global `WebSocket` (Node 20); it is loaded only when first needed.
 */
import { registerTcpTransport } from "./client/runtime.js";
import { TcpTransport } from "./node/tcp-transport.js";
import { registerWebSocketFallback } from "./transport/websocket-constructor.js";

registerTcpTransport(() => new TcpTransport());
registerWebSocketFallback(async () => (await import("ws")).WebSocket);

export * from "./index.js";
export { TcpTransport } from "./node/tcp-transport.js";
