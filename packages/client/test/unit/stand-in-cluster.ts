import type { ClusterClient, ClusterView } from "../../src/client/cluster-client.js";
import { ErrorCode, FlussError } from "../../src/errors/index.js";

/**
 * The calls a stand-in cluster answers, each as loosely typed as the test
 * needs (a test answers only the fields the code under test reads).
 */
export interface StandInCalls {
  callCoordinator?: (key: number, init: never) => Promise<unknown>;
  callTabletServer?: (nodeId: number, key: number, init: never, serverWaitMs?: number) => Promise<unknown>;
  connectionTo?: (endpoint: never) => Promise<{ call(key: number, init: never): Promise<unknown> }>;
  refreshCluster?: () => Promise<unknown>;
}

/** A call that never settles, as behind a network partition. */
export const neverAnswers = (): Promise<never> => new Promise<never>(() => {});

/**
 * A `ClusterClient` for unit tests of the code above it (writer, sender,
 * fetcher, leader lookups): `calls` answer as the test scripts them, and a
 * call the test did not script rejects at once, naming itself, rather than
 * failing somewhere else with "not a function". Its view knows the tablet
 * servers `tabletServerIds` (id 0 by default) and no coordinator.
 */
export function standInCluster(calls: StandInCalls, tabletServerIds: readonly number[] = [0]): ClusterClient {
  const view: ClusterView = {
    coordinator: undefined,
    tabletServers: new Map(tabletServerIds.map((id) => [id, { id, host: "127.0.0.1", port: 1, kind: "tablet" as const }])),
  };
  const unexpected = (name: string) => () => Promise.reject(new Error(`the stand-in cluster was not scripted to answer ${name}`));
  const connectionTo = calls.connectionTo ?? unexpected("connectionTo");
  const refreshCluster = calls.refreshCluster ?? unexpected("refreshCluster");
  const cluster = {
    view,
    callCoordinator: calls.callCoordinator ?? unexpected("callCoordinator"),
    callTabletServer: calls.callTabletServer ?? unexpected("callTabletServer"),
    connectionTo,
    refreshCluster,
    // As ClusterClient's: the view's server, else the refreshed metadata's, through connectionTo.
    async connectionToTabletServer(nodeId: number) {
      const server = view.tabletServers.get(nodeId) ?? ((await refreshCluster()) as ClusterView).tabletServers.get(nodeId);
      if (!server) throw new FlussError(`tablet server ${nodeId} is not in the cluster metadata`, ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
      return connectionTo(server as never);
    },
  };
  // The one cast: the code under test reads only these members.
  return cluster as unknown as ClusterClient;
}
