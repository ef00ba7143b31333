/**
 * The Node entry: everything of the universal entry, plus direct TCP
 * connections to Fluss servers. Importing it registers the TCP transport.
 */
import { registerTcpTransport } from "./client/runtime.js";
import { TcpTransport } from "./node/tcp-transport.js";

registerTcpTransport(() => new TcpTransport());

export * from "./index.js";
export { TcpTransport } from "./node/tcp-transport.js";
