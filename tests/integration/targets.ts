import {
  Config,
  TcpTransport,
  WebSocketTransport,
  type RawConfigValue,
  type TransportSession,
} from "@fluss-edge/client";

const RAW_SESSION_OPTIONS = { connectTimeoutMs: 5000, maxFrameBytes: 1 << 20 };

/**
 * Where the integration suite connects. Every suite runs once per target
 * with the same assertions: straight to the cluster over TCP, and through
 * the fluss-edge gateway over one WebSocket (started by tests/setup/gateway.ts).
 */
export interface Target {
  readonly name: string;
  /** A config for the plaintext listener, plus any extra keys. */
  config(extra?: Record<string, RawConfigValue>): Config;
  /** A config for the SASL listener with the given credentials, spelled the way the official docs spell them. */
  saslConfig(username: string, password: string, extra?: Record<string, RawConfigValue>): Config;
  /**
   * A config whose first hop is 127.0.0.1:`port` — the bootstrap server over
   * TCP, the gateway (`ws://127.0.0.1:port/fluss`) through a gateway — for
   * tests of unreachable or silent peers.
   */
  configAt(port: number, extra?: Record<string, RawConfigValue>): Config;
  /** A bare transport session to the plaintext coordinator, below the protocol logic; `close` releases everything. */
  rawCoordinatorSession(): Promise<{ session: TransportSession; close(): void }>;
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
  configAt: (port, extra = {}) => new Config({ "bootstrap.servers": `127.0.0.1:${port}`, ...extra }),
  async rawCoordinatorSession() {
    const [host, port] = required("FLUSS_BOOTSTRAP_SERVERS").split(",")[0]!.split(":");
    const session = await new TcpTransport().open({ host: host!, port: Number(port) }, RAW_SESSION_OPTIONS);
    return { session, close: () => session.close() };
  },
};

/**
 * Through the gateways of tests/setup/gateway.ts: one relaying to the
 * plaintext listener, one to the SASL listener. The SASL credentials go to
 * the gateway in HELLO (the gateway checks them and opens this caller's own
 * authenticated cluster sessions); `bootstrap.servers` is not set, as the
 * gateway's WELCOME names the bootstrap servers.
 */
export const gatewayTarget: Target = {
  name: "gateway",
  config: (extra = {}) => new Config({ "gateway.url": required("FLUSS_GATEWAY_URL"), ...extra }),
  saslConfig: (username, password, extra = {}) =>
    new Config({
      "gateway.url": required("FLUSS_GATEWAY_SASL_URL"),
      "client.security.protocol": "sasl",
      "client.security.sasl.username": username,
      "client.security.sasl.password": password,
      ...extra,
    }),
  configAt: (port, extra = {}) => new Config({ "gateway.url": `ws://127.0.0.1:${port}/fluss`, ...extra }),
  async rawCoordinatorSession() {
    const transport = new WebSocketTransport({ url: required("FLUSS_GATEWAY_URL") });
    try {
      // WELCOME's bootstrap server is the coordinator's plaintext listener.
      const welcome = await transport.connect(RAW_SESSION_OPTIONS.connectTimeoutMs);
      const session = await transport.open(welcome.bootstrap[0]!, RAW_SESSION_OPTIONS);
      return { session, close: () => transport.close() };
    } catch (error) {
      transport.close();
      throw error;
    }
  },
};

export const targets: readonly Target[] = [tcpTarget, gatewayTarget];

let counter = 0;
/** A database/table name unique to this run, so reruns against a kept cluster never collide. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${process.pid}_${counter}`;
}
