import {
  parseBoolean,
  parseByteSize,
  parseDurationMs,
  parseInteger,
  parseString,
  type RawConfigValue,
} from "./value-parsers.js";

/** How one configuration key is read and what it defaults to. */
export interface ConfigKey<T> {
  readonly name: string;
  readonly parse: (value: RawConfigValue) => T | undefined;
  /** Human description of the accepted form, for error messages. */
  readonly expects: string;
  readonly defaultValue: T;
  /** Secrets are never echoed in messages, logs or `toString()`. */
  readonly secret?: boolean;
}

function key<T>(name: string, expects: string, parse: ConfigKey<T>["parse"], defaultValue: T, secret = false): ConfigKey<T> {
  return { name, expects, parse, defaultValue, secret };
}

function oneOf<T extends string>(values: readonly T[]): (value: RawConfigValue) => T | undefined {
  return (value) => {
    if (typeof value !== "string" && typeof value !== "number") return undefined;
    const lowered = String(value).trim().toLowerCase();
    return values.find((candidate) => candidate.toLowerCase() === lowered);
  };
}

/**
 * A gateway URL: `ws://` or `wss://` with a host, and no user name or
 * password in it (nothing secret goes in the URL; the token has its own key).
 * An empty string means "no gateway".
 */
function parseGatewayUrl(value: RawConfigValue): string | undefined {
  const text = parseString(value)?.trim();
  if (text === undefined || text === "") return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== "ws:" && url.protocol !== "wss:") || !url.hostname || url.username || url.password) return undefined;
  return text;
}

const INT32_MAX = 2147483647;
const positiveInt = (value: RawConfigValue) => {
  const parsed = parseInteger(value);
  return parsed !== undefined && parsed > 0 ? parsed : undefined;
};
const positiveSize = (value: RawConfigValue) => {
  const parsed = parseByteSize(value);
  return parsed !== undefined && parsed > 0 ? parsed : undefined;
};

/**
 * Every key the client accepts, named as the official Python client names
 * them (Java's `client.`-prefixed spellings are aliases, see {@link KEY_ALIASES}).
 * Defaults follow the official clients.
 */
export const CONFIG_KEYS = {
  bootstrapServers: key("bootstrap.servers", "a comma-separated list of host:port", parseString, "127.0.0.1:9123"),
  connectTimeoutMs: key("connect-timeout", "milliseconds or a duration like '30 s'", parseDurationMs, 120_000),
  requestTimeoutMs: key("request-timeout", "milliseconds or a duration like '30 s'", parseDurationMs, 30_000),
  clientId: key("client.id", "a string", parseString, ""),
  securityProtocol: key("security.protocol", "PLAINTEXT or SASL", oneOf(["PLAINTEXT", "SASL"] as const), "PLAINTEXT"),
  saslMechanism: key("security.sasl.mechanism", "PLAIN", oneOf(["PLAIN"] as const), "PLAIN"),
  saslUsername: key("security.sasl.username", "a string", parseString, ""),
  saslPassword: key("security.sasl.password", "a string", parseString, "", true),
  /**
   * The fluss-edge gateway to connect through (browsers, edge runtimes; also
   * Node). When set, `bootstrap.servers` must not be: the gateway names the
   * bootstrap servers in its WELCOME. SASL credentials (`security.*`) then go
   * to the gateway in HELLO.
   */
  gatewayUrl: key("gateway.url", "a ws:// or wss:// URL without credentials", parseGatewayUrl, ""),
  /** Static bearer token the gateway requires, sent in HELLO (never in the URL). */
  gatewayToken: key("gateway.token", "a string", parseString, "", true),
  writerRequestMaxSize: key("writer.request-max-size", "a positive byte size", positiveSize, 10 * 1024 * 1024),
  writerAcks: key("writer.acks", "all, -1, 0 or 1", oneOf(["all", "-1", "0", "1"] as const), "all"),
  writerRetries: key("writer.retries", "a non-negative integer", (v) => nonNegative(parseInteger(v)), INT32_MAX),
  writerBatchSize: key("writer.batch-size", "a positive byte size", positiveSize, 2 * 1024 * 1024),
  writerDynamicBatchSizeEnabled: key("writer.dynamic-batch-size.enabled", "true or false", parseBoolean, true),
  writerDynamicBatchSizeMin: key("writer.dynamic-batch-size-min", "a positive byte size", positiveSize, 256 * 1024),
  writerBatchTimeoutMs: key("writer.batch-timeout-ms", "milliseconds", parseDurationMs, 100),
  writerBucketNoKeyAssigner: key("writer.bucket.no-key-assigner", "sticky or round_robin", oneOf(["sticky", "round_robin"] as const), "sticky"),
  writerEnableIdempotence: key("writer.enable-idempotence", "true or false", parseBoolean, true),
  writerMaxInflightRequestsPerBucket: key("writer.max-inflight-requests-per-bucket", "a positive integer", positiveInt, 5),
  writerBufferMemorySize: key("writer.buffer.memory-size", "a positive byte size", positiveSize, 64 * 1024 * 1024),
  writerBufferWaitTimeoutMs: key("writer.buffer.wait-timeout-ms", "milliseconds", parseDurationMs, Number.POSITIVE_INFINITY),
  writerKvBackpressureMaxThrottleMs: key("writer.kv-backpressure.max-throttle-ms", "milliseconds", parseDurationMs, 3000),
  scannerRemoteLogPrefetchNum: key("scanner.remote-log.prefetch-num", "a positive integer", positiveInt, 4),
  scannerRemoteLogReadConcurrency: key("scanner.remote-log.read-concurrency", "a positive integer", positiveInt, 4),
  remoteFileDownloadThreadNum: key("remote-file.download-thread-num", "a positive integer", positiveInt, 3),
  scannerLogMaxPollRecords: key("scanner.log.max-poll-records", "a positive integer", positiveInt, 500),
  scannerLogFetchMaxBytes: key("scanner.log.fetch.max-bytes", "a positive byte size", positiveSize, 16 * 1024 * 1024),
  scannerLogFetchMinBytes: key("scanner.log.fetch.min-bytes", "a positive byte size", positiveSize, 1),
  scannerLogFetchWaitMaxTimeMs: key("scanner.log.fetch.wait-max-time-ms", "milliseconds", parseDurationMs, 500),
  scannerLogFetchMaxBytesForBucket: key("scanner.log.fetch.max-bytes-for-bucket", "a positive byte size", positiveSize, 1024 * 1024),
  scannerLogCheckCrc: key("scanner.log.check-crc", "true or false", parseBoolean, true),
  /** Keys per Lookup request (lookups made in one turn of the event loop share requests). */
  lookupMaxBatchSize: key("lookup.max-batch-size", "a positive integer", positiveInt, 128),
  /** Lookup requests in flight at once per table handle's lookupers; more wait their turn. */
  lookupMaxInflightRequests: key("lookup.max-inflight-requests", "a positive integer", positiveInt, 128),
  /** Retries of a lookup that failed for a reason that may pass (a moved leader, a timeout). */
  lookupMaxRetries: key("lookup.max-retries", "a non-negative integer", (v) => nonNegative(parseInteger(v)), INT32_MAX),
} as const;

function nonNegative(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 ? value : undefined;
}

export type ConfigKeyId = keyof typeof CONFIG_KEYS;

/** The value type of each key once parsed. */
export type ResolvedConfig = { readonly [K in ConfigKeyId]: (typeof CONFIG_KEYS)[K]["defaultValue"] };

/**
 * Other spellings the official docs show. Every key is also accepted with a
 * `client.` prefix (the Java client's form, e.g. `client.security.protocol`);
 * these are the Java names that differ beyond the prefix.
 */
export const KEY_ALIASES: Readonly<Record<string, string>> = {
  "client.writer.batch-timeout": "writer.batch-timeout-ms",
  "client.writer.buffer.wait-timeout": "writer.buffer.wait-timeout-ms",
  "client.scanner.log.fetch.wait-max-time": "scanner.log.fetch.wait-max-time-ms",
  "client.writer.kv-backpressure.max-throttle": "writer.kv-backpressure.max-throttle-ms",
};
