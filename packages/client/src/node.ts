/**
 * The Node entry: everything of the universal entry, plus direct TCP
 * connections to Fluss servers. Importing it registers the TCP transport, and
 * the `ws` package as the WebSocket for `gateway.url` on runtimes without a
 * global `WebSocket` (Node 20); it is loaded only when first needed. It also
 * supplies the Node ZSTD codec (node/zstd-for-node.ts): whole batches
 * (de)compressed on worker threads where there are two cores or more, and
 * `node:zlib`'s native decoder on the JS thread for buffers of 32 KiB and
 * more where Node has it (≥ 22.15).
 */
import { registerTcpTransport } from "./client/runtime.js";
import { loadZstdForNode } from "./node/zstd-for-node.js";
import { TcpTransport } from "./node/tcp-transport.js";
import { registerWebSocketFallback } from "./transport/websocket-constructor.js";
import { registerCodecProvider } from "./wire/records/compression/codec.js";

registerTcpTransport(() => new TcpTransport());
registerWebSocketFallback(async () => (await import("ws")).WebSocket);
registerCodecProvider("ZSTD", loadZstdForNode);

export * from "./index.js";
export { TcpTransport } from "./node/tcp-transport.js";
