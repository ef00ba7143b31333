import { FlussError } from "@fluss-edge/client/wire";
import { parseBoolean, parseByteSize, parseDurationMs, parseInteger } from "@fluss-edge/client/internal";
import { LOG_LEVELS, type LogLevel } from "../logger.js";
import type { GatewayOptions } from "../options.js";
import type { FileValue } from "./file.js";

/**
 * The settings a config file (and, for a few, the command line and the
 * environment) can carry, with the spelling of the Fluss and fluss-edge
 * client configs where one exists. Durations take `30 s`, `5 min` or plain
 * milliseconds; sizes take `16mb` or plain bytes.
 */
export const CONFIG_KEYS = [
  "bootstrap.servers",
  "port",
  "host",
  "allowed-origins",
  "dev-mode",
  "token",
  "security.protocol",
  "security.sasl.mechanism",
  "security.sasl.username",
  "security.sasl.password",
  "max-frame-bytes",
  "idle-timeout",
  "request-timeout",
  "connect-timeout",
  "pool-size",
  "metadata-refresh-interval",
  "log-level",
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Keys whose values are never repeated in messages. */
const SECRET_KEYS: ReadonlySet<string> = new Set(["token", "security.sasl.password"]);

/** Everything the settings produce: options for startGateway plus the log level. */
export interface GatewaySettings {
  options: Omit<GatewayOptions, "logger">;
  logLevel: LogLevel;
}

/**
 * Turns flat settings (file, then environment, then command line, later ones
 * winning) into gateway options. An unknown key or a bad value is a
 * CLIENT_ERROR FlussError naming the key, and naming where it came from.
 */
export function settingsFrom(values: ReadonlyMap<string, { value: FileValue; source: string }>): GatewaySettings {
  for (const [key, { source }] of values) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw FlussError.client(`unknown gateway config key '${key}' (${source}); known keys: ${CONFIG_KEYS.join(", ")}`);
    }
  }
  const get = (key: ConfigKey) => values.get(key);
  const read = <T>(key: ConfigKey, parse: (value: FileValue) => T | undefined, expected: string): T | undefined => {
    const entry = get(key);
    if (entry === undefined || entry.value === null) return undefined;
    const parsed = parse(entry.value);
    if (parsed === undefined) {
      const shown = SECRET_KEYS.has(key) ? "" : ` '${JSON.stringify(entry.value)}'`;
      throw FlussError.client(`invalid value${shown} for gateway config key '${key}' (${entry.source}): expected ${expected}`);
    }
    return parsed;
  };
  const string = (value: FileValue) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
  const secret = (value: FileValue) => (typeof value === "string" && value !== "" ? value : undefined);
  const scalar = <T>(parse: (v: string | number | boolean) => T | undefined) => (value: FileValue) =>
    Array.isArray(value) || value === null ? undefined : parse(value);

  const bootstrapServers = read("bootstrap.servers", string, "host:port[,host:port…]");
  if (bootstrapServers === undefined) {
    throw FlussError.client(
      "gateway config key 'bootstrap.servers' is not set (use --bootstrap-servers, FLUSS_BOOTSTRAP_SERVERS or the config file)",
    );
  }
  const port = read("port", scalar(parseInteger), "a port number 0..65535");
  if (port !== undefined && (port < 0 || port > 65535)) {
    throw FlussError.client(`invalid value '${port}' for gateway config key 'port' (${get("port")!.source}): expected 0..65535`);
  }
  const protocol = read("security.protocol", (v) => (typeof v === "string" ? v.trim().toUpperCase() : undefined), "PLAINTEXT or SASL");
  if (protocol !== undefined && protocol !== "PLAINTEXT" && protocol !== "SASL") {
    throw FlussError.client(
      `invalid value '${protocol}' for gateway config key 'security.protocol' (${get("security.protocol")!.source}): expected PLAINTEXT or SASL`,
    );
  }
  const mechanism = read("security.sasl.mechanism", string, "PLAIN");
  if (mechanism !== undefined && mechanism.toUpperCase() !== "PLAIN") {
    throw FlussError.client(`invalid value '${mechanism}' for gateway config key 'security.sasl.mechanism': only PLAIN is supported`);
  }
  const username = read("security.sasl.username", string, "a user name");
  const password = read("security.sasl.password", secret, "a password");
  let clusterSasl: GatewayOptions["clusterSasl"];
  if (protocol === "SASL") {
    if (username === undefined || password === undefined) {
      throw FlussError.client(
        `gateway config key 'security.protocol' is SASL but '${username === undefined ? "security.sasl.username" : "security.sasl.password"}' is not set`,
      );
    }
    clusterSasl = { username, password };
  } else if (username !== undefined || password !== undefined) {
    throw FlussError.client(
      `gateway config key '${username !== undefined ? "security.sasl.username" : "security.sasl.password"}' is set but 'security.protocol' is not SASL`,
    );
  }
  const origins = read(
    "allowed-origins",
    (v) => {
      if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter((s) => s !== "");
      if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v as string[];
      return undefined;
    },
    "a list of origins",
  );
  const options: Omit<GatewayOptions, "logger"> = { bootstrapServers };
  const set = <K extends keyof typeof options>(name: K, value: (typeof options)[K] | undefined) => {
    if (value !== undefined) options[name] = value;
  };
  set("port", port);
  set("host", read("host", string, "a host name or address"));
  set("allowedOrigins", origins);
  set("devMode", read("dev-mode", scalar(parseBoolean), "true or false"));
  set("token", read("token", secret, "a non-empty token"));
  set("clusterSasl", clusterSasl);
  set("maxFrameBytes", read("max-frame-bytes", scalar(parseByteSize), "a size such as 16mb"));
  set("idleTimeoutMs", positive(read("idle-timeout", scalar(parseDurationMs), "a duration such as 5 min"), "idle-timeout"));
  set("requestTimeoutMs", positive(read("request-timeout", scalar(parseDurationMs), "a duration such as 30 s"), "request-timeout"));
  set("connectTimeoutMs", positive(read("connect-timeout", scalar(parseDurationMs), "a duration such as 10 s"), "connect-timeout"));
  set("poolSize", positive(read("pool-size", scalar(parseInteger), "a positive integer"), "pool-size"));
  set(
    "metadataRefreshMs",
    positive(read("metadata-refresh-interval", scalar(parseDurationMs), "a duration such as 30 s"), "metadata-refresh-interval"),
  );
  const logLevel = read(
    "log-level",
    (v) => (typeof v === "string" && (LOG_LEVELS as readonly string[]).includes(v.toLowerCase()) ? (v.toLowerCase() as LogLevel) : undefined),
    LOG_LEVELS.join(", "),
  );
  return { options, logLevel: logLevel ?? "info" };
}

function positive(value: number | undefined, key: string): number | undefined {
  if (value !== undefined && value <= 0) throw FlussError.client(`invalid value '${value}' for gateway config key '${key}': must be positive`);
  return value;
}
