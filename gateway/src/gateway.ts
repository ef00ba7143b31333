import { createAdaptorServer } from "@hono/node-server";
import { DEFAULT_MAX_FRAME_BYTES, GATEWAY_SUBPROTOCOL } from "@fluss-edge/client/wire";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { ClusterDirectory } from "./cluster/cluster-directory.js";
import { gatewayIdentity } from "./cluster/identity.js";
import { createHttpApp } from "./http/app.js";
import { createUpgradeListener, WEBSOCKET_PATH, type AcceptedUpgrade } from "./http/upgrade.js";
import { GatewayMetrics } from "./metrics.js";
import { describeOptions, resolveGatewayOptions, type GatewayOptions, type ResolvedGatewayOptions, type RunningGateway } from "./options.js";
import { Caller } from "./relay/caller.js";
import { FrameBufferPool } from "./relay/frame-buffer-pool.js";
import { SessionPool } from "./relay/session-pool.js";
import { GATEWAY_NAME, GATEWAY_VERSION } from "./version.js";

/** How long a graceful shutdown waits for callers to complete the close handshake. */
const CLOSE_GRACE_MS = 1000;

/**
 * Starts a gateway: validates the options (a bad one is a CLIENT_ERROR
 * FlussError naming it), asks the cluster for its servers once (a cluster
 * that is down does not stop the start: `/readyz` says so, and HELLO answers
 * NETWORK_EXCEPTION until it is back), and listens.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const resolved = resolveGatewayOptions(options);
  const gateway = new Gateway(resolved);
  await gateway.start();
  return {
    url: gateway.url,
    port: gateway.port,
    close: () => gateway.close(),
  };
}

class Gateway {
  readonly #options: ResolvedGatewayOptions;
  readonly #metrics = new GatewayMetrics();
  readonly #directory: ClusterDirectory;
  readonly #pool: SessionPool;
  readonly #wss: WebSocketServer;
  readonly #server: Server;
  readonly #callers = new Set<Caller>();
  #nextCallerId = 1;
  #port = 0;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedGatewayOptions) {
    this.#options = options;
    const { logger } = options;
    const connection = {
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
      sasl: gatewayIdentity(options.clusterSasl).sasl,
    };
    this.#directory = new ClusterDirectory({
      bootstrap: options.bootstrap,
      connection,
      refreshIntervalMs: options.metadataRefreshMs,
      logger,
    });
    this.#pool = new SessionPool({
      poolSize: options.poolSize,
      idleCloseMs: options.idleTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      maxResponseFrameBytes: DEFAULT_MAX_FRAME_BYTES,
      frameBuffers: new FrameBufferPool(),
      logger,
      metrics: this.#metrics,
    });
    this.#metrics.bindGauges({
      clusterSessions: () => this.#pool.openSessions,
      requestsInFlight: () => this.#pool.inFlight,
      clusterReady: () => this.#directory.isReady(),
    });
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: () => GATEWAY_SUBPROTOCOL,
    });
    const app = createHttpApp({ directory: this.#directory, metrics: this.#metrics });
    this.#server = createAdaptorServer({ fetch: app.fetch }) as Server;
    this.#server.on(
      "upgrade",
      createUpgradeListener({
        wss: this.#wss,
        originPolicy: { allowedOrigins: options.allowedOrigins, devMode: options.devMode },
        metrics: this.#metrics,
        logger,
        accepting: () => this.#closing === undefined,
        onConnection: (ws, upgrade) => this.#accept(ws, upgrade),
      }),
    );
  }

  get port(): number {
    return this.#port;
  }

  /** The URL callers use; a wildcard listen address is reached over loopback. */
  get url(): string {
    const host = this.#options.host;
    const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
    const shown = reachable.includes(":") ? `[${reachable}]` : reachable;
    return `ws://${shown}:${this.#port}${WEBSOCKET_PATH}`;
  }

  async start(): Promise<void> {
    const { logger, connectTimeoutMs } = this.#options;
    // Learn the cluster while binding; bounded so that a dead cluster does not hold up the start.
    const learned = this.#directory.start();
    try {
      await this.#listen();
    } catch (error) {
      await this.#directory.close();
      this.#pool.closeAll();
      throw error;
    }
    await Promise.race([learned, new Promise((resolve) => setTimeout(resolve, connectTimeoutMs).unref())]);
    logger.info("gateway listening", { ...describeOptions(this.#options), url: this.url, port: this.#port, ready: this.#directory.isReady() });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  #listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.#server.off("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        this.#server.off("error", onError);
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      };
      this.#server.once("error", onError);
      this.#server.once("listening", onListening);
      this.#server.listen(this.#options.port, this.#options.host);
    });
  }

  #accept(ws: WebSocket, upgrade: AcceptedUpgrade): void {
    if (this.#closing) {
      ws.terminate();
      return;
    }
    const caller = new Caller(
      ws,
      { id: this.#nextCallerId++, ...upgrade },
      {
        token: this.#options.token,
        requestTimeoutMs: this.#options.requestTimeoutMs,
        idleTimeoutMs: this.#options.idleTimeoutMs,
        maxFrameBytes: this.#options.maxFrameBytes,
        gatewayName: `${GATEWAY_NAME}/${GATEWAY_VERSION}`,
        gatewayIdentity: gatewayIdentity(this.#options.clusterSasl),
        directory: this.#directory,
        pool: this.#pool,
        metrics: this.#metrics,
        logger: this.#options.logger,
      },
    );
    this.#callers.add(caller);
    ws.once("close", () => this.#callers.delete(caller));
  }

  async #shutdown(): Promise<void> {
    const { logger } = this.#options;
    logger.info("gateway shutting down", { callers: this.#callers.size });
    const callers = [...this.#callers];
    for (const caller of callers) caller.shutdown();
    // Give callers a moment for the close handshake, then drop whoever is left.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (callers.some((c) => !c.isClosed) && Date.now() < deadline) await sleep(20);
    for (const caller of callers) if (!caller.isClosed) caller.terminate();
    this.#pool.closeAll();
    await this.#directory.close();
    this.#wss.close();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    logger.info("gateway stopped", { url: this.url });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
