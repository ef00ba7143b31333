import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import type { GatewayLogger } from "../logger.js";
import type { GatewayMetrics } from "../metrics.js";
import { isOriginAllowed, type OriginPolicy } from "../security/origin-policy.js";
import { parseOfferedSubprotocols } from "../security/subprotocols.js";

/** The path of the WebSocket endpoint. */
export const WEBSOCKET_PATH = "/fluss";

/** What an accepted upgrade hands on. */
export interface AcceptedUpgrade {
  remoteAddress: string;
  origin: string | undefined;
  bearerToken: string | undefined;
}

export interface UpgradeGuardDeps {
  wss: WebSocketServer;
  originPolicy: OriginPolicy;
  metrics: GatewayMetrics;
  logger: GatewayLogger;
  /** False once shutdown has begun. */
  accepting(): boolean;
  onConnection(ws: WebSocket, upgrade: AcceptedUpgrade): void;
}

/**
 * The node server's `upgrade` listener: the checks that run before any
 * WebSocket exists — path, Origin allowlist, the `fluss-edge.v1`
 * subprotocol — then hands the socket to `ws` (whose `maxPayload` bounds
 * every message before it is buffered). Refusals are plain HTTP answers;
 * nothing about the cluster is revealed.
 */
export function createUpgradeListener(deps: UpgradeGuardDeps): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (request, socket, head) => {
    socket.on("error", () => undefined);
    const remoteAddress = `${request.socket.remoteAddress ?? "?"}:${request.socket.remotePort ?? "?"}`;
    const refuse = (status: number, reason: string, message: string): void => {
      deps.metrics.countRejectedUpgrade(reason);
      deps.logger.warn("refused a WebSocket upgrade", { remote: remoteAddress, origin: request.headers.origin, reason });
      rejectUpgrade(socket, status, message);
    };
    if (!deps.accepting()) {
      refuse(503, "shutdown", "the gateway is shutting down");
      return;
    }
    const path = (request.url ?? "").split("?")[0];
    if (path !== WEBSOCKET_PATH) {
      refuse(404, "path", `no WebSocket endpoint here; use ${WEBSOCKET_PATH}`);
      return;
    }
    const origin = request.headers.origin;
    if (!isOriginAllowed(origin, deps.originPolicy)) {
      refuse(403, "origin", "origin not allowed");
      return;
    }
    const offered = parseOfferedSubprotocols(request.headers["sec-websocket-protocol"]);
    if (!offered.ok) {
      refuse(400, "subprotocol", offered.reason);
      return;
    }
    if (!offered.speaksV1) {
      refuse(400, "subprotocol", "the fluss-edge.v1 subprotocol is required");
      return;
    }
    deps.wss.handleUpgrade(request, socket, head, (ws) => {
      deps.onConnection(ws, { remoteAddress, origin, bearerToken: offered.bearerToken });
    });
  };
}

/** Answers a refused upgrade with a small HTTP response and closes the socket. */
function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}
