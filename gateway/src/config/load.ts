import { FlussError } from "@fluss-edge/client/wire";
import { resolveGatewayOptions, type GatewayOptions } from "../options.js";
import type { LogLevel } from "../logger.js";
import { parseCliArguments, USAGE } from "./cli.js";
import { readConfigFile, type FileValue } from "./file.js";
import { settingsFrom, type ConfigKey } from "./keys.js";

/** The gateway's configuration as the bin assembles it. */
export interface LoadedGatewayConfig {
  /** `--help` was asked for: print {@link usage} and exit. */
  help: boolean;
  usage: string;
  options: Omit<GatewayOptions, "logger">;
  logLevel: LogLevel;
}

/** Environment variables the gateway reads, and the config key each sets. */
const ENVIRONMENT: Readonly<Record<string, ConfigKey>> = {
  FLUSS_BOOTSTRAP_SERVERS: "bootstrap.servers",
  FLUSS_GATEWAY_PORT: "port",
  FLUSS_GATEWAY_TOKEN: "token",
};

/** startGateway option → config key, so that range errors name the key the user wrote. */
const OPTION_KEYS: Readonly<Record<string, ConfigKey>> = {
  bootstrapServers: "bootstrap.servers",
  port: "port",
  host: "host",
  allowedOrigins: "allowed-origins",
  devMode: "dev-mode",
  token: "token",
  "clusterSasl.username": "security.sasl.username",
  "clusterSasl.password": "security.sasl.password",
  maxFrameBytes: "max-frame-bytes",
  idleTimeoutMs: "idle-timeout",
  requestTimeoutMs: "request-timeout",
  connectTimeoutMs: "connect-timeout",
  poolSize: "pool-size",
  metadataRefreshMs: "metadata-refresh-interval",
};

/**
 * Assembles the configuration from the command line, the environment and
 * the optional config file (flags win over the environment, which wins over
 * the file), and validates it completely, so that a bad setting fails here —
 * at start — with a CLIENT_ERROR naming the key.
 */
export async function loadGatewayConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<LoadedGatewayConfig> {
  const cli = parseCliArguments(argv);
  if (cli.help) return { help: true, usage: USAGE, options: { bootstrapServers: "" }, logLevel: "info" };
  const values = new Map<string, { value: FileValue; source: string }>();
  if (cli.config !== undefined) {
    for (const [key, value] of await readConfigFile(cli.config)) values.set(key, { value, source: `file ${cli.config}` });
  }
  for (const [variable, key] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value !== undefined && value !== "") values.set(key, { value, source: `environment ${variable}` });
  }
  if (cli.bootstrapServers !== undefined) values.set("bootstrap.servers", { value: cli.bootstrapServers, source: "--bootstrap-servers" });
  if (cli.port !== undefined) values.set("port", { value: cli.port, source: "--port" });
  if (cli.host !== undefined) values.set("host", { value: cli.host, source: "--host" });

  const settings = settingsFrom(values);
  try {
    resolveGatewayOptions(settings.options);
  } catch (error) {
    throw renamed(FlussError.from(error), values);
  }
  return { help: false, usage: USAGE, options: settings.options, logLevel: settings.logLevel };
}

/** Rewrites "Invalid gateway option maxFrameBytes: …" to name the config key and its source. */
function renamed(error: FlussError, values: ReadonlyMap<string, { source: string }>): FlussError {
  const match = /^Invalid gateway option (\S+): (.*)$/s.exec(error.message);
  const key = match ? OPTION_KEYS[match[1]!] : undefined;
  if (!match || key === undefined) return error;
  const source = values.get(key)?.source;
  return FlussError.client(`invalid value for gateway config key '${key}'${source ? ` (${source})` : ""}: ${match[2]}`, error);
}
