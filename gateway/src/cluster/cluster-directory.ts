import { ErrorCode, FlussError } from "@fluss-edge/client/wire";
import {
  ClusterClient,
  TcpTransport,
  type ClusterView,
  type Endpoint,
  type ServerConnectionOptions,
} from "@fluss-edge/client/internal";
import type { GatewayLogger } from "../logger.js";

export interface ClusterDirectoryOptions {
  bootstrap: readonly Endpoint[];
  /** The gateway's own identity and limits for its metadata sessions. */
  connection: ServerConnectionOptions;
  refreshIntervalMs: number;
  logger: GatewayLogger;
}

/** Two unknown-target refreshes are at least this far apart, whatever callers ask for. */
export const MIN_REFRESH_GAP_MS = 1000;

/**
 * The servers of the configured cluster, as the cluster's own metadata names
 * them: the bootstrap servers plus the coordinator and tablet servers of the
 * last GetMetadata answers. This list is the gateway's whole notion of where
 * it may connect: a target outside it is never dialled.
 *
 * The list is refreshed periodically and, rate-limited, when a caller names
 * a server it does not know yet (a tablet server that just joined). A server
 * that drops out of the metadata stays admitted for a grace period, so that
 * a restarting tablet server does not turn into a hard authorization error.
 */
export class ClusterDirectory {
  readonly #options: ClusterDirectoryOptions;
  /** `host:port` → when the metadata last listed it (bootstrap servers: forever). */
  readonly #members = new Map<string, number>();
  readonly #graceMs: number;
  #client: ClusterClient | undefined;
  #refreshing: Promise<void> | undefined;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #lastAnsweredAt: number | undefined;
  #lastError: FlussError | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: ClusterDirectoryOptions) {
    this.#options = options;
    this.#graceMs = Math.max(10 * options.refreshIntervalMs, 5 * 60_000);
    for (const endpoint of options.bootstrap) this.#members.set(memberKey(endpoint.host, endpoint.port), Number.POSITIVE_INFINITY);
  }

  /** The configured bootstrap servers (WELCOME hands them to callers). */
  get bootstrap(): readonly Endpoint[] {
    return this.#options.bootstrap;
  }

  /** The failure of the last refresh, if it failed. */
  get lastError(): FlussError | undefined {
    return this.#lastError;
  }

  /** Milliseconds since a GetMetadata was last answered, or undefined if never. */
  metadataAgeMs(now = Date.now()): number | undefined {
    return this.#lastAnsweredAt === undefined ? undefined : now - this.#lastAnsweredAt;
  }

  /** Ready = a GetMetadata was answered within two refresh intervals (plus one request's time). */
  isReady(now = Date.now()): boolean {
    const age = this.metadataAgeMs(now);
    return age !== undefined && age <= 2 * this.#options.refreshIntervalMs + this.#options.connection.requestTimeoutMs;
  }

  /** First refresh (awaited, failures only logged), then the periodic one. */
  async start(): Promise<void> {
    await this.refresh().catch(() => undefined);
    if (this.#closed) return;
    this.#timer = setInterval(() => void this.refresh().catch(() => undefined), this.#options.refreshIntervalMs);
    this.#timer.unref();
  }

  /** Whether `host:port` is a server of the cluster as currently known (no I/O). */
  isMember(host: string, port: number): boolean {
    const seen = this.#members.get(memberKey(host, port));
    return seen !== undefined && Date.now() - seen <= this.#graceMs;
  }

  /**
   * Whether `host:port` is a server of the cluster, refreshing the list first
   * when it is not known (at most one refresh per {@link MIN_REFRESH_GAP_MS},
   * shared by everyone asking meanwhile).
   */
  async admits(host: string, port: number): Promise<boolean> {
    if (this.isMember(host, port)) return true;
    const wait = this.#lastAttemptAt + MIN_REFRESH_GAP_MS - Date.now();
    if (wait > 0 && !this.#refreshing) await sleep(wait);
    await this.refresh().catch(() => undefined);
    return this.isMember(host, port);
  }

  /** Makes sure the cluster answered recently; throws a retriable NETWORK_EXCEPTION when it does not answer now. */
  async ensureReachable(): Promise<void> {
    if (this.isReady()) return;
    try {
      // A burst of callers while the cluster is down must not turn into a burst of connection attempts.
      if (!this.#refreshing && this.#lastError && Date.now() - this.#lastAttemptAt < MIN_REFRESH_GAP_MS) throw this.#lastError;
      await this.refresh();
    } catch (error) {
      const cause = FlussError.from(error);
      throw new FlussError(`the gateway cannot reach the Fluss cluster: ${cause.message}`, ErrorCode.NETWORK_EXCEPTION, {
        cause,
        retriable: true,
      });
    }
  }

  /** Refreshes when the list is stale, at most once per {@link MIN_REFRESH_GAP_MS} (for `/readyz`); never throws. */
  async refreshIfStale(): Promise<void> {
    if (this.isReady()) return;
    if (!this.#refreshing && Date.now() - this.#lastAttemptAt < MIN_REFRESH_GAP_MS) return;
    await this.refresh().catch(() => undefined);
  }

  /** Asks the cluster for its servers now (one refresh at a time; concurrent calls share it). */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.reject(FlussError.client("the gateway is shutting down"));
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#refreshing?.catch(() => undefined);
    await this.#client?.close();
    this.#client = undefined;
  }

  async #doRefresh(): Promise<void> {
    this.#lastAttemptAt = Date.now();
    try {
      let view: ClusterView;
      if (this.#client) {
        view = await this.#client.refreshCluster();
      } else {
        const client = await ClusterClient.connect(new TcpTransport(), {
          ...this.#options.connection,
          bootstrap: this.#options.bootstrap,
        });
        if (this.#closed) {
          await client.close();
          throw FlussError.client("the gateway is shutting down");
        }
        this.#client = client;
        view = client.view;
      }
      this.#record(view);
      if (this.#lastError) this.#options.logger.info("cluster reachable again", { servers: this.#describe() });
      this.#lastError = undefined;
    } catch (thrown) {
      const error = FlussError.from(thrown);
      if (!this.#lastError || this.#lastError.message !== error.message) {
        this.#options.logger.warn("cluster metadata refresh failed", { code: error.errorCodeName, error: error.message });
      }
      this.#lastError = error;
      throw error;
    }
  }

  #record(view: ClusterView): void {
    const now = Date.now();
    this.#lastAnsweredAt = now;
    if (view.coordinator) this.#members.set(memberKey(view.coordinator.host, view.coordinator.port), now);
    for (const server of view.tabletServers.values()) this.#members.set(memberKey(server.host, server.port), now);
    for (const [key, seen] of this.#members) if (now - seen > this.#graceMs) this.#members.delete(key);
  }

  #describe(): string {
    return [...this.#members.keys()].join(",");
  }
}

/** Host names compare case-insensitively; no DNS is involved, so `localhost` and `127.0.0.1` differ. */
export function memberKey(host: string, port: number): string {
  return `${host.toLowerCase()}:${port}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
