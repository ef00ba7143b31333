import { ClusterClient } from "../client/cluster-client.js";
import { clusterOptionsFrom, gatewayOptionsFrom } from "../client/connection-options.js";
import { tcpTransport } from "../client/runtime.js";
import { TableLeaders } from "../client/table-leaders.js";
import { Config, type ConfigProperties } from "../config/index.js";
import { ErrorCode, FlussError } from "../errors/index.js";
import type { TableInfo, TablePath } from "../metadata/index.js";
import type { Transport } from "../transport/transport.js";
import type { WebSocketConstructor } from "../transport/websocket-constructor.js";
import { WebSocketTransport } from "../transport/websocket-transport.js";
import { loadCodec, type CompressionCodecName } from "../wire/records/index.js";
import { logCompressionOf } from "../client/write/write-options.js";
import { FlussAdmin } from "./admin.js";
import { toPbTablePath } from "./arguments.js";
import { FlussTable } from "./table.js";

/** Runtime objects for {@link FlussConnection.create} that do not belong in a Config. */
export interface ConnectionOptions {
  /**
   * The WebSocket class used with `gateway.url`. Defaults to the runtime's
   * global `WebSocket` (browsers, Deno, workerd, Bun); in Node, the `ws`
   * package (Node ≥ 22's own WebSocket sends more slowly). Pass one to use another
   * implementation; it is called as `new webSocket(url, protocols)`, so
   * options of your own go in a subclass, e.g. with `ws`:
   * `class extends WebSocket { constructor(u: string, p?: string | string[]) { super(u, p, { maxPayload: 1 << 28 }); } }`.
   * Ignored without `gateway.url`.
   */
  webSocket?: WebSocketConstructor;
}

/**
 * A connection to one Fluss cluster: the entry point of the client.
 *
 * @example
 * const conn = await FlussConnection.create(new Config({ "bootstrap.servers": "127.0.0.1:9123" }));
 * const admin = conn.getAdmin();
 * console.log(await admin.listDatabases());
 * await conn.close();
 */
export class FlussConnection {
  readonly #cluster: ClusterClient;
  readonly #config: Config;
  readonly #admin: FlussAdmin;
  readonly #gateway: WebSocketTransport | undefined;

  private constructor(cluster: ClusterClient, config: Config, gateway?: WebSocketTransport) {
    this.#cluster = cluster;
    this.#config = config;
    this.#admin = new FlussAdmin(cluster);
    this.#gateway = gateway;
  }

  /**
   * Connects to the cluster and learns its servers: directly to
   * `bootstrap.servers` over TCP (Node entry), or, when `gateway.url` is set,
   * through the fluss-edge gateway over one WebSocket (every runtime). Fails
   * with CLIENT_ERROR naming the address (or the gateway URL) when the cluster
   * or the gateway cannot be reached within `connect-timeout`, and with
   * AUTHENTICATE_EXCEPTION when SASL credentials or the gateway token are refused.
   *
   * @example
   * // Through a gateway, with SASL credentials that the gateway checks:
   * const conn = await FlussConnection.create({
   *   "gateway.url": "wss://fluss-gateway.example.com/fluss",
   *   "security.protocol": "sasl",
   *   "security.sasl.username": "alice",
   *   "security.sasl.password": secret,
   * });
   */
  static async create(config: Config | ConfigProperties = {}, options: ConnectionOptions = {}): Promise<FlussConnection> {
    const resolvedConfig = config instanceof Config ? config : new Config(config);
    const clusterOptions = clusterOptionsFrom(resolvedConfig);
    const gatewayOptions = gatewayOptionsFrom(resolvedConfig);
    if (!gatewayOptions) {
      const cluster = await ClusterClient.connect(chooseTransport(), clusterOptions);
      return new FlussConnection(cluster, resolvedConfig);
    }
    const transport = new WebSocketTransport({ ...gatewayOptions, ...(options.webSocket ? { webSocket: options.webSocket } : {}) });
    try {
      const welcome = await transport.connect(clusterOptions.connectTimeoutMs);
      if (welcome.bootstrap.length === 0) throw FlussError.client(`the gateway at ${transport.url} named no bootstrap servers`);
      const cluster = await ClusterClient.connect(transport, { ...clusterOptions, bootstrap: welcome.bootstrap });
      return new FlussConnection(cluster, resolvedConfig, transport);
    } catch (thrown) {
      transport.close();
      throw namingGateway(FlussError.from(thrown), transport.url);
    }
  }

  /** The configuration this connection was made with (secrets redacted in its string form). */
  get config(): Config {
    return this.#config;
  }

  /** Admin operations: databases, tables, partitions, offsets, servers. */
  getAdmin(): FlussAdmin {
    return this.#admin;
  }

  /** A handle on one table; fails with TABLE_NOT_EXIST when it does not exist. */
  async getTable(tablePath: TablePath): Promise<FlussTable> {
    const leaders = new TableLeaders(this.#cluster, toPbTablePath(tablePath));
    const asking = this.#admin.getTableInfo(tablePath);
    // The buckets' leaders are learned meanwhile, as the Java client's getTable does, so that the
    // first scan or write goes straight to them. A failure here is not the caller's: the table info
    // reports a missing table, and the leaders are asked again at first use.
    const learning = leaders.learn([]).catch(() => undefined);
    const info = await asking;
    await Promise.all([loadLogCodec(info), learning]);
    return new FlussTable(this.#cluster, info, this.#config.resolve(), leaders);
  }

  /** Closes every server connection. Requests still in flight fail with a retriable error. */
  async close(): Promise<void> {
    await this.#cluster.close();
    this.#gateway?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A client-side connect failure through a gateway names the gateway, not only the cluster address it relayed to. */
function namingGateway(error: FlussError, url: string): FlussError {
  if (error.errorCode !== ErrorCode.CLIENT_ERROR || error.message.includes(url)) return error;
  return FlussError.client(`${error.message} (through the gateway at ${url})`, error);
}

function chooseTransport(): Transport {
  const tcp = tcpTransport();
  if (!tcp) {
    throw FlussError.client(
      "this runtime cannot open TCP connections to bootstrap.servers; " +
        "import the Node entry (@fluss-edge/client/node) or set gateway.url to connect through a fluss-edge gateway",
    );
  }
  return tcp;
}

/**
 * Loads the codec a table's log batches use before the table is handed out,
 * so that the first poll does not pay for it: loading ZSTD's decoder
 * compiles WebAssembly (and, on Node, starts and warms up the codec
 * workers) and would otherwise compete with the first fetches. The
 * workers' encoders are warmed up by the first writer (`createWriter`), not
 * here: most clients only read. It is done once per process. A failure is
 * not reported here; the first batch that needs the codec reports it (a table may be read
 * without its codec when every batch came uncompressed).
 */
async function loadLogCodec(info: TableInfo): Promise<void> {
  let codec: CompressionCodecName | undefined;
  try {
    codec = logCompressionOf(info)?.codec;
  } catch {
    return; // a table fluss-edge cannot write: the writer says why
  }
  if (codec) await loadCodec(codec).catch(() => undefined);
}
