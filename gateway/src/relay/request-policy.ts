import { ApiKey, apiKeyName } from "@fluss-edge/client/wire";

/**
 * Requests a caller may never send through the gateway, whatever its
 * identity: Fluss `Authenticate` (the gateway authenticates its sessions
 * itself; a caller re-authenticating a shared session would change who it
 * acts as) and the server-to-server apis of Fluss 0.9.1, which no client has
 * business sending. Everything else is relayed for the cluster to judge.
 */
const REFUSED: ReadonlyMap<number, string> = new Map([
  [ApiKey.AUTHENTICATE, "the gateway authenticates cluster sessions itself; send SASL credentials in HELLO"],
  [1013, "UPDATE_METADATA is a server-to-server api"],
  [1018, "NOTIFY_LEADER_AND_ISR is a server-to-server api"],
  [1019, "STOP_REPLICA is a server-to-server api"],
  [1020, "ADJUST_ISR is a server-to-server api"],
  [1022, "COMMIT_KV_SNAPSHOT is a server-to-server api"],
  [1027, "COMMIT_REMOTE_LOG_MANIFEST is a server-to-server api"],
  [1028, "NOTIFY_REMOTE_LOG_OFFSETS is a server-to-server api"],
  [1029, "NOTIFY_KV_SNAPSHOT_OFFSET is a server-to-server api"],
  [1030, "COMMIT_LAKE_TABLE_SNAPSHOT is a server-to-server api"],
  [1031, "NOTIFY_LAKE_TABLE_OFFSET is a server-to-server api"],
  [1042, "LAKE_TIERING_HEARTBEAT is a server-to-server api"],
  [1043, "CONTROLLED_SHUTDOWN is a server-to-server api"],
  [1052, "PREPARE_LAKE_TABLE_SNAPSHOT is a server-to-server api"],
]);

/** Why `apiKey` is refused (AUTHORIZATION_EXCEPTION), or undefined when it may be relayed. */
export function refusalReason(apiKey: number): string | undefined {
  const reason = REFUSED.get(apiKey);
  return reason === undefined ? undefined : `${apiKeyName(apiKey)} (${apiKey}) is not allowed through the gateway: ${reason}`;
}

/** Label for the latency histogram: a known api name, or OTHER so that callers cannot mint series. */
export function apiLabel(apiKey: number): string {
  const name = apiKeyName(apiKey);
  return name.startsWith("API_") ? "OTHER" : name;
}
