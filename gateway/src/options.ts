import { FlussError } from "@fluss-edge/client/wire";
import { parseBootstrapServers, type Endpoint } from "@fluss-edge/client/internal";
import { jsonLogger, type GatewayLogger } from "./logger.js";
import { parseOriginList } from "./security/origin-policy.js";

/** SASL/PLAIN identity the gateway uses for its own cluster sessions. */
export interface ClusterSasl {
  username: string;
  password: string;
}

/** Options of {@link startGateway}. Only `bootstrapServers` is required. */
export interface GatewayOptions {
  /** The cluster, `host:port[,host:port…]`; the gateway relays only to servers of this cluster. */
  bootstrapServers: string;
  /** Port to listen on; 0 picks a free one. Default 8787. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Browser origins (`https://app.example.com`) allowed to connect. Default: none. */
  allowedOrigins?: string[];
  /** Also allow `http(s)://localhost|127.0.0.1|[::1][:port]` origins. Default false. */
  devMode?: boolean;
  /** Static bearer token every caller must present (subprotocol or HELLO). Default: none. */
  token?: string;
  /** The gateway's own cluster identity (SASL/PLAIN); used for callers that bring none. */
  clusterSasl?: ClusterSasl;
  /** Largest envelope a caller may send, enforced before buffering. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Close WebSockets without traffic or pending requests after this long. Default 5 min. */
  idleTimeoutMs?: number;
  /** A relayed request without an answer by then fails with REQUEST_TIME_OUT. Default 30 s. */
  requestTimeoutMs?: number;
  /** Bound on opening (and handshaking) one cluster session. Default 10 s. */
  connectTimeoutMs?: number;
  /** TCP sessions per cluster server and identity. Default 4. */
  poolSize?: number;
  /** How often the gateway refreshes the cluster's server list. Default 30 s. */
  metadataRefreshMs?: number;
  /** Where logs go. Default: JSON lines on stderr at level info. */
  logger?: GatewayLogger;
}

/** A started gateway. */
export interface RunningGateway {
  /** The WebSocket URL callers connect to, e.g. `ws://127.0.0.1:8787/fluss`. */
  url: string;
  /** The port actually bound (useful with `port: 0`). */
  port: number;
  /**
   * Stops the gateway: callers get ERROR −1 NETWORK_EXCEPTION (retriable) and
   * close code 1001, cluster sessions close, the port is released. Idempotent.
   */
  close(): Promise<void>;
}

/** Options with defaults applied and everything validated. */
export interface ResolvedGatewayOptions {
  bootstrap: Endpoint[];
  port: number;
  host: string;
  allowedOrigins: ReadonlySet<string>;
  devMode: boolean;
  token: string | undefined;
  clusterSasl: ClusterSasl | undefined;
  maxFrameBytes: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  poolSize: number;
  metadataRefreshMs: number;
  logger: GatewayLogger;
}

export const DEFAULTS = {
  port: 8787,
  host: "127.0.0.1",
  maxFrameBytes: 16 * 1024 * 1024,
  idleTimeoutMs: 5 * 60_000,
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  poolSize: 4,
  metadataRefreshMs: 30_000,
} as const;

/** Smallest frame limit that still fits a HELLO with credentials and small requests. */
export const MIN_MAX_FRAME_BYTES = 1024;
/** The server's own request limit is 100 MiB; WELCOME carries the limit as u32. */
export const MAX_MAX_FRAME_BYTES = 1024 * 1024 * 1024;
/** Setting a timer longer than this overflows Node's 32-bit timer. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Applies defaults and validates. A bad option is a CLIENT_ERROR FlussError
 * naming it; secret values are never repeated in messages.
 */
export function resolveGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  if (typeof options !== "object" || options === null) throw invalid("options", "expected an object");
  if (typeof options.bootstrapServers !== "string") throw invalid("bootstrapServers", "expected host:port[,host:port…]");
  let bootstrap: Endpoint[];
  try {
    bootstrap = parseBootstrapServers(options.bootstrapServers);
  } catch (error) {
    throw invalid("bootstrapServers", FlussError.from(error).message);
  }
  const clusterSasl = options.clusterSasl;
  if (clusterSasl !== undefined) {
    if (typeof clusterSasl?.username !== "string" || clusterSasl.username === "") {
      throw invalid("clusterSasl.username", "expected a non-empty string");
    }
    if (typeof clusterSasl.password !== "string" || clusterSasl.password === "") {
      throw invalid("clusterSasl.password", "expected a non-empty string");
    }
  }
  if (options.token !== undefined && (typeof options.token !== "string" || options.token === "")) {
    throw invalid("token", "expected a non-empty string");
  }
  if (options.token !== undefined && Buffer.byteLength(options.token) > 0xffff) {
    throw invalid("token", "longer than 65535 bytes");
  }
  let allowedOrigins: ReadonlySet<string>;
  try {
    allowedOrigins = parseOriginList(options.allowedOrigins ?? []);
  } catch (error) {
    throw invalid("allowedOrigins", FlussError.from(error).message);
  }
  const host = options.host ?? DEFAULTS.host;
  if (typeof host !== "string" || host.trim() === "") throw invalid("host", "expected a host name or address");
  return {
    bootstrap,
    port: integer("port", options.port ?? DEFAULTS.port, 0, 65535),
    host,
    allowedOrigins,
    devMode: boolean("devMode", options.devMode ?? false),
    token: options.token,
    clusterSasl: clusterSasl ? { username: clusterSasl.username, password: clusterSasl.password } : undefined,
    maxFrameBytes: integer("maxFrameBytes", options.maxFrameBytes ?? DEFAULTS.maxFrameBytes, MIN_MAX_FRAME_BYTES, MAX_MAX_FRAME_BYTES),
    idleTimeoutMs: integer("idleTimeoutMs", options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs, 1, MAX_TIMER_MS),
    requestTimeoutMs: integer("requestTimeoutMs", options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs, 1, MAX_TIMER_MS),
    connectTimeoutMs: integer("connectTimeoutMs", options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs, 1, MAX_TIMER_MS),
    poolSize: integer("poolSize", options.poolSize ?? DEFAULTS.poolSize, 1, 64),
    metadataRefreshMs: integer("metadataRefreshMs", options.metadataRefreshMs ?? DEFAULTS.metadataRefreshMs, 100, MAX_TIMER_MS),
    logger: options.logger ?? jsonLogger(),
  };
}

/** The options as they may be logged: secrets replaced by whether they are set. */
export function describeOptions(resolved: ResolvedGatewayOptions): Record<string, string | number | boolean> {
  return {
    bootstrapServers: resolved.bootstrap.map((e) => `${e.host}:${e.port}`).join(","),
    host: resolved.host,
    port: resolved.port,
    allowedOrigins: [...resolved.allowedOrigins].join(",") || "(none)",
    devMode: resolved.devMode,
    token: resolved.token ? "(set)" : "(none)",
    clusterIdentity: resolved.clusterSasl ? `SASL/PLAIN user ${resolved.clusterSasl.username}` : "(plaintext)",
    maxFrameBytes: resolved.maxFrameBytes,
    idleTimeoutMs: resolved.idleTimeoutMs,
    requestTimeoutMs: resolved.requestTimeoutMs,
    connectTimeoutMs: resolved.connectTimeoutMs,
    poolSize: resolved.poolSize,
    metadataRefreshMs: resolved.metadataRefreshMs,
  };
}

function invalid(option: string, reason: string): FlussError {
  return FlussError.client(`Invalid gateway option ${option}: ${reason}`);
}

function integer(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(option, `expected an integer in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

function boolean(option: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw invalid(option, `expected true or false, got ${String(value)}`);
  return value;
}
