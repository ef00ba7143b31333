import { Config, type RawConfigValue } from "@fluss-edge/client";

/**
 * Where the integration suite connects. Every suite runs once per target
 * with the same assertions; the gateway target joins the TCP one when the
 * gateway lands.
 */
export interface Target {
  readonly name: string;
  /** A config for the plaintext listener, plus any extra keys. */
  config(extra?: Record<string, RawConfigValue>): Config;
  /** A config for the SASL listener with the given credentials, spelled the way the official docs spell them. */
  saslConfig(username: string, password: string, extra?: Record<string, RawConfigValue>): Config;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the integration project's globalSetup starts the cluster`);
  return value;
}

export const tcpTarget: Target = {
  name: "tcp",
  config: (extra = {}) => new Config({ "bootstrap.servers": required("FLUSS_BOOTSTRAP_SERVERS"), ...extra }),
  saslConfig: (username, password, extra = {}) =>
    new Config({
      "bootstrap.servers": required("FLUSS_SASL_BOOTSTRAP_SERVERS"),
      "client.security.protocol": "sasl",
      "client.security.sasl.username": username,
      "client.security.sasl.password": password,
      ...extra,
    }),
};

export const targets: readonly Target[] = [tcpTarget];

let counter = 0;
/** A database/table name unique to this run, so reruns against a kept cluster never collide. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${process.pid}_${counter}`;
}
