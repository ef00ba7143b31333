import type { Transport } from "../transport/transport.js";

/**
 * Runtime-specific transports register themselves here. The Node entry
 * (`@fluss-edge/client/node`, or the package root under the `node`
 * condition) registers TCP; the browser build never imports `node:net`.
 */
let tcpTransportFactory: (() => Transport) | undefined;

export function registerTcpTransport(factory: () => Transport): void {
  tcpTransportFactory = factory;
}

/** The TCP transport of this runtime, if it has one. */
export function tcpTransport(): Transport | undefined {
  return tcpTransportFactory?.();
}
