import { ClusterClient } from "../client/cluster-client.js";
import { clusterOptionsFrom } from "../client/connection-options.js";
import { tcpTransport } from "../client/runtime.js";
import { Config, type ConfigProperties } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { TablePath } from "../metadata/index.js";
import type { Transport } from "../transport/transport.js";
import { FlussAdmin } from "./admin.js";
import { FlussTable } from "./table.js";

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

  private constructor(cluster: ClusterClient, config: Config) {
    this.#cluster = cluster;
    this.#config = config;
    this.#admin = new FlussAdmin(cluster);
  }

  /**
   * Connects to the cluster named by `bootstrap.servers` and learns its
   * servers. Fails with CLIENT_ERROR naming the address when no bootstrap
   * server can be reached within `connect-timeout`, and with
   * AUTHENTICATE_EXCEPTION when SASL credentials are refused.
   */
  static async create(config: Config | ConfigProperties = {}): Promise<FlussConnection> {
    const resolvedConfig = config instanceof Config ? config : new Config(config);
    const options = clusterOptionsFrom(resolvedConfig);
    const cluster = await ClusterClient.connect(chooseTransport(), options);
    return new FlussConnection(cluster, resolvedConfig);
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
    const info = await this.#admin.getTableInfo(tablePath);
    return new FlussTable(this.#cluster, info);
  }

  /** Closes every server connection. Requests still in flight fail with a retriable error. */
  async close(): Promise<void> {
    await this.#cluster.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function chooseTransport(): Transport {
  const tcp = tcpTransport();
  if (!tcp) {
    throw FlussError.client(
      "this runtime cannot open TCP connections to bootstrap.servers; " +
        "import the Node entry (@fluss-edge/client/node) or connect through a fluss-edge gateway",
    );
  }
  return tcp;
}
