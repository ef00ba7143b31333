import { ClusterClient, parseBootstrapServers } from "../../packages/client/src/client/cluster-client.js";
import { TcpTransport } from "../../packages/client/src/node/tcp-transport.js";

/**
 * A client-layer `ClusterClient` over TCP, for tests that send requests
 * below the public API (raw FetchLog, ProduceLog of hand-made batches).
 */
export function connectClusterClient(bootstrap: string): Promise<ClusterClient> {
  return ClusterClient.connect(new TcpTransport(), {
    bootstrap: parseBootstrapServers(bootstrap),
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    maxFrameBytes: 64 << 20,
  });
}
