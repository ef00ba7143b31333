/**
 * The Node entry: everything of the universal entry, plus direct TCP
 * connections to Fluss servers. Importing it registers the TCP transport, and
 * the `ws` package as the WebSocket for `gateway.url` on Node (also where a
 * global `WebSocket` exists, Node ≥ 22) and on runtimes without a global one;
 * it is loaded only when first needed. It also
 * supplies the Node ZSTD codec (node/zstd-for-node.ts): whole batches
 * (de)compressed on worker threads where there are two cores or more, and
 * `node:zlib`'s native decoder on the JS thread for buffers of 32 KiB and
 * more where Node has it (≥ 22.15).
 */
import { registerTcpTransport, serverRuntime } from "./client/runtime.js";
import { loadZstdForNode } from "./node/zstd-for-node.js";
import { TcpTransport } from "./node/tcp-transport.js";
import { registerWebSocketLoader } from "./transport/websocket-constructor.js";
import { registerCodecProvider } from "./wire/records/compression/codec.js";

registerTcpTransport(() => new TcpTransport());
// Node ≥ 22's global WebSocket (undici) masks what it sends in a JavaScript loop; `ws` masks with
// bufferutil: a 1M-row Arrow append through the gateway took 8% less time and CPU with `ws` (Node
// 22.23, interleaved, 6 each). Deno and Bun, which load this entry too, keep their own.
registerWebSocketLoader(async () => (await import("ws")).WebSocket, { preferOverGlobal: serverRuntime() === "node" });
registerCodecProvider("ZSTD", loadZstdForNode);

export * from "./index.js";
export { TcpTransport } from "./node/tcp-transport.js";
