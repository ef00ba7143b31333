import { ErrorCode, FlussError } from "../errors/index.js";
import type { MetadataResponse, PbServerNode } from "../gen/fluss/rpc_pb.js";
import type { Endpoint, Transport } from "../transport/transport.js";
import { ApiKey, type ClientApiKey } from "../wire/api-keys.js";
import type { RequestInit, ResponseOf } from "../wire/api-messages.js";
import { withRetry, type RetryPolicy, DEFAULT_RETRY_POLICY } from "./retry.js";
import { ServerConnection, type ServerConnectionOptions } from "./server-connection.js";

/** A server of the cluster as its metadata names it. */
export interface ClusterServer extends Endpoint {
  id: number;
  kind: "coordinator" | "tablet";
}

/** Servers of the cluster, as last learned from GetMetadata. */
export interface ClusterView {
  coordinator: ClusterServer | undefined;
  tabletServers: ReadonlyMap<number, ClusterServer>;
}

export interface ClusterClientOptions extends ServerConnectionOptions {
  bootstrap: readonly Endpoint[];
  retry?: RetryPolicy;
}

/**
 * Knows the cluster's servers, keeps one connection per server (opened on
 * first use, reopened after it drops) and sends requests to the right kind
 * of server, retrying retriable failures.
 */
export class ClusterClient {
  readonly #transport: Transport;
  readonly #options: ClusterClientOptions;
  readonly #connections = new Map<string, Promise<ServerConnection>>();
  #view: ClusterView = { coordinator: undefined, tabletServers: new Map() };
  #closed = false;

  private constructor(transport: Transport, options: ClusterClientOptions) {
    this.#transport = transport;
    this.#options = options;
  }

  /** Connects to the first reachable bootstrap server and learns the cluster. */
  static async connect(transport: Transport, options: ClusterClientOptions): Promise<ClusterClient> {
    if (options.bootstrap.length === 0) throw FlussError.client("no bootstrap servers configured");
    const client = new ClusterClient(transport, options);
    try {
      await client.refreshCluster(true);
    } catch (thrown) {
      await client.close();
      throw bootstrapFailure(FlussError.from(thrown), options.bootstrap);
    }
    return client;
  }

  get view(): ClusterView {
    return this.#view;
  }

  /** The transport's name, for messages. */
  get transportName(): string {
    return this.#transport.name;
  }

  /**
   * Asks a known server (or, at bootstrap, each bootstrap server in turn) for
   * the cluster's servers. Throws the last failure when none answers.
   */
  async refreshCluster(fromBootstrap = false): Promise<ClusterView> {
    const candidates: Endpoint[] = [];
    if (!fromBootstrap && this.#view.coordinator) candidates.push(this.#view.coordinator);
    if (!fromBootstrap) candidates.push(...this.#view.tabletServers.values());
    candidates.push(...this.#options.bootstrap);
    let lastError: FlussError | undefined;
    for (const endpoint of candidates) {
      try {
        const connection = await this.connectionTo(endpoint);
        const response = await connection.call(ApiKey.GET_METADATA, {});
        this.#view = viewFromMetadata(response);
        return this.#view;
      } catch (error) {
        lastError = FlussError.from(error);
        // Wrong credentials will not get better on another server.
        if (lastError.errorCode === ErrorCode.AUTHENTICATE_EXCEPTION) throw lastError;
      }
    }
    throw lastError ?? FlussError.client("no server answered the metadata request");
  }

  /** The open connection to `endpoint`, opening it if needed. */
  async connectionTo(endpoint: Endpoint): Promise<ServerConnection> {
    if (this.#closed) throw FlussError.client("connection is closed");
    const key = `${endpoint.host}:${endpoint.port}`;
    const existing = this.#connections.get(key);
    if (existing) {
      const connection = await existing.catch(() => undefined);
      if (connection?.isOpen) return connection;
      if (this.#connections.get(key) === existing) this.#connections.delete(key);
    }
    const opening = ServerConnection.open(this.#transport, endpoint, this.#options).catch((thrown: unknown) => {
      throw unreachable(FlussError.from(thrown));
    });
    this.#connections.set(key, opening);
    opening.catch(() => {
      if (this.#connections.get(key) === opening) this.#connections.delete(key);
    });
    return opening;
  }

  /** Sends a request to the coordinator, retrying retriable failures. */
  callCoordinator<K extends ClientApiKey>(key: K, init: RequestInit<K>): Promise<ResponseOf<K>> {
    return this.#withRetry(async () => {
      const coordinator = this.#view.coordinator ?? (await this.refreshCluster()).coordinator;
      if (!coordinator) {
        throw new FlussError("the cluster has no coordinator available", ErrorCode.NETWORK_EXCEPTION, { retriable: true });
      }
      return (await this.connectionTo(coordinator)).call(key, init);
    });
  }

  /**
   * Sends a request to one tablet server by node id, retrying retriable
   * failures. `serverWaitMs`: how long the server may hold the request on
   * purpose (a fetch waiting for data); it is added to the request timeout,
   * so that a long wait is neither a timeout nor taken for a silent server.
   */
  callTabletServer<K extends ClientApiKey>(nodeId: number, key: K, init: RequestInit<K>, serverWaitMs = 0): Promise<ResponseOf<K>> {
    return this.#withRetry(async () => {
      const connection = await this.connectionToTabletServer(nodeId);
      return connection.call(key, init, serverWaitMs > 0 ? connection.requestTimeoutMs + serverWaitMs : undefined);
    });
  }

  /**
   * The connection to tablet server `nodeId` (the cluster metadata is asked
   * again when it does not know the server), without retries: for callers
   * that retry on their own (the writers' sender, lookups). A server the
   * metadata does not name is LEADER_NOT_AVAILABLE.
   */
  async connectionToTabletServer(nodeId: number): Promise<ServerConnection> {
    const server = this.#view.tabletServers.get(nodeId) ?? (await this.refreshCluster()).tabletServers.get(nodeId);
    if (!server) {
      throw new FlussError(`tablet server ${nodeId} is not in the cluster metadata`, ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
    }
    return this.connectionTo(server);
  }

  /** Sends a request once to a given connection target, without retries (for per-bucket fan-out). */
  async callOnce<K extends ClientApiKey>(endpoint: Endpoint, key: K, init: RequestInit<K>): Promise<ResponseOf<K>> {
    return (await this.connectionTo(endpoint)).call(key, init);
  }

  /** Closes every connection; in-flight requests fail with a retriable error. */
  async close(): Promise<void> {
    this.#closed = true;
    const pending = [...this.#connections.values()];
    this.#connections.clear();
    for (const opening of pending) {
      const connection = await opening.catch(() => undefined);
      connection?.close();
    }
  }

  #withRetry<T>(operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, {
      policy: this.#options.retry ?? DEFAULT_RETRY_POLICY,
      onStaleMetadata: async () => {
        await this.refreshCluster().catch(() => undefined);
      },
    });
  }
}

/**
 * A cluster server that cannot be reached now (restarting, moved) may be back
 * in a moment: that is a retriable network condition for the request, not a
 * client error. Bootstrap turns it back into CLIENT_ERROR (see below).
 */
function unreachable(error: FlussError): FlussError {
  if (error.errorCode !== ErrorCode.CLIENT_ERROR) return error;
  return new FlussError(error.message, ErrorCode.NETWORK_EXCEPTION, { cause: error, retriable: true });
}

/**
 * At bootstrap, not reaching any server is a client-side failure (as in the
 * official clients): timeouts and dropped connections become CLIENT_ERROR
 * naming the addresses. Answers the servers did give (bad credentials, for
 * one) keep their own codes.
 */
function bootstrapFailure(error: FlussError, bootstrap: readonly Endpoint[]): FlussError {
  const unreachable =
    error.errorCode === ErrorCode.CLIENT_ERROR ||
    error.errorCode === ErrorCode.REQUEST_TIME_OUT ||
    error.errorCode === ErrorCode.NETWORK_EXCEPTION;
  if (!unreachable) return error;
  const addresses = bootstrap.map((e) => `${e.host}:${e.port}`).join(", ");
  // The transport's message already names a single address; do not say it twice.
  if (bootstrap.length === 1 && error.message.includes(addresses)) return FlussError.client(error.message, error);
  return FlussError.client(`cannot connect to the Fluss cluster at ${addresses}: ${error.message}`, error);
}

function viewFromMetadata(response: MetadataResponse): ClusterView {
  const tabletServers = new Map<number, ClusterServer>();
  for (const node of response.tabletServers) tabletServers.set(node.nodeId, toServer(node, "tablet"));
  const coordinator = response.coordinatorServer ? toServer(response.coordinatorServer, "coordinator") : undefined;
  return { coordinator, tabletServers };
}

function toServer(node: PbServerNode, kind: ClusterServer["kind"]): ClusterServer {
  return { id: node.nodeId, host: node.host, port: node.port, kind };
}

/** Parses `host:port[,host:port…]`; a bad entry is a CLIENT_ERROR naming it. */
export function parseBootstrapServers(value: string): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw FlussError.client(`Invalid value for property bootstrap.servers: '${entry}' is not host:port`);
    }
    endpoints.push({ host: match[1]!.replace(/^\[(.*)\]$/, "$1"), port });
  }
  if (endpoints.length === 0) throw FlussError.client("property bootstrap.servers is empty");
  return endpoints;
}
