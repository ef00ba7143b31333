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

/**
 * The server runtime this code runs in, or undefined in browsers and workerd.
 * Deno and Bun also report a Node version (`process.versions.node`), so they
 * are told apart first.
 */
export function serverRuntime(): "node" | "deno" | "bun" | undefined {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { versions?: { node?: unknown } } };
  if (g.Deno !== undefined) return "deno";
  if (g.Bun !== undefined) return "bun";
  return typeof g.process?.versions?.node === "string" ? "node" : undefined;
}
