/**
 * What a cross-client benchmark run (bench/log-throughput.ts, bench/kv-throughput.ts) holds for
 * its whole length: the peers' drivers ready to run, the gateway in its own process, an admin
 * connection and a database of its own, where its tables are created with bucket leaders.
 */
import { Config, type FlussAdmin, FlussConnection, type TableDescriptor, TablePath } from "@fluss-edge/client";
import { createTableReady } from "../tests/support/table-ready.js";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process.js";
import { EDGE_NODE, type Peers, setUpPeers } from "./processes.js";

/** A new table normally has its bucket leaders within milliseconds; see createTableReady. */
const LEADERS_TIMEOUT_MS = 10_000;

export interface BenchSession {
  peers: Peers;
  gateway: GatewayProcess;
  admin: FlussAdmin;
  database: string;
  /** Creates the table `name` of the run's database and waits for its bucket leaders. */
  createTable(name: string, descriptor: TableDescriptor): Promise<TablePath>;
  /** Drops the database (and its tables), closes the connection, stops the gateway. */
  close(): Promise<void>;
}

/** Opens a session against `bootstrap`, with a new database `<databasePrefix>_<time>`. */
export async function openBenchSession(bootstrap: string, databasePrefix: string): Promise<BenchSession> {
  const peers = await setUpPeers();
  const gateway = await startGatewayProcess(bootstrap, EDGE_NODE);
  const conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap }));
  const admin = conn.getAdmin();
  const database = `${databasePrefix}_${Date.now().toString(36)}`;
  await admin.createDatabase(database);
  return {
    peers,
    gateway,
    admin,
    database,
    async createTable(name, descriptor) {
      const path = new TablePath(database, name);
      // With bucket leaders before the case starts: Fluss 0.9.1's coordinator can miss a new table,
      // which would leave a writer waiting until the case times out (the table is then created again).
      await createTableReady(admin, path, descriptor, { leadersTimeoutMs: LEADERS_TIMEOUT_MS });
      return path;
    },
    async close() {
      await admin.dropDatabase(database, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
      await conn.close();
      await gateway.close();
    },
  };
}
