/**
 * Fluss RPC api keys (the int16 in every request header) and the version
 * range this client speaks for each api it uses.
 *
 * Numbers follow Fluss 0.9.1 (`ApiKeys` enum at v0.9.1-incubating). Only the
 * PUBLIC keys are listed; server-to-server keys (UPDATE_METADATA 1013,
 * NOTIFY_LEADER_AND_ISR 1018, STOP_REPLICA 1019, ADJUST_ISR 1020,
 * COMMIT_KV_SNAPSHOT 1022, COMMIT_REMOTE_LOG_MANIFEST 1027,
 * NOTIFY_REMOTE_LOG_OFFSETS 1028, NOTIFY_KV_SNAPSHOT_OFFSET 1029,
 * COMMIT_LAKE_TABLE_SNAPSHOT 1030, NOTIFY_LAKE_TABLE_OFFSET 1031,
 * LAKE_TIERING_HEARTBEAT 1042, CONTROLLED_SHUTDOWN 1043,
 * PREPARE_LAKE_TABLE_SNAPSHOT 1052) are deliberately absent.
 * Keys 0..999 are reserved upstream for Kafka compatibility.
 */
export const ApiKey = {
  API_VERSIONS: 1000,
  CREATE_DATABASE: 1001,
  DROP_DATABASE: 1002,
  LIST_DATABASES: 1003,
  DATABASE_EXISTS: 1004,
  CREATE_TABLE: 1005,
  DROP_TABLE: 1006,
  GET_TABLE_INFO: 1007,
  LIST_TABLES: 1008,
  LIST_PARTITION_INFOS: 1009,
  TABLE_EXISTS: 1010,
  GET_TABLE_SCHEMA: 1011,
  GET_METADATA: 1012,
  PRODUCE_LOG: 1014,
  FETCH_LOG: 1015,
  PUT_KV: 1016,
  LOOKUP: 1017,
  LIST_OFFSETS: 1021,
  GET_LATEST_KV_SNAPSHOTS: 1023,
  GET_KV_SNAPSHOT_METADATA: 1024,
  GET_FILESYSTEM_SECURITY_TOKEN: 1025,
  INIT_WRITER: 1026,
  GET_LAKE_SNAPSHOT: 1032,
  LIMIT_SCAN: 1033,
  PREFIX_LOOKUP: 1034,
  GET_DATABASE_INFO: 1035,
  CREATE_PARTITION: 1036,
  DROP_PARTITION: 1037,
  AUTHENTICATE: 1038,
  CREATE_ACLS: 1039,
  LIST_ACLS: 1040,
  DROP_ACLS: 1041,
  ALTER_TABLE: 1044,
  DESCRIBE_CLUSTER_CONFIGS: 1045,
  ALTER_CLUSTER_CONFIGS: 1046,
  ADD_SERVER_TAG: 1047,
  REMOVE_SERVER_TAG: 1048,
  REBALANCE: 1049,
  LIST_REBALANCE_PROGRESS: 1050,
  CANCEL_REBALANCE: 1051,
  REGISTER_PRODUCER_OFFSETS: 1053,
  GET_PRODUCER_OFFSETS: 1054,
  DELETE_PRODUCER_OFFSETS: 1055,
  ACQUIRE_KV_SNAPSHOT_LEASE: 1056,
  RELEASE_KV_SNAPSHOT_LEASE: 1057,
  DROP_KV_SNAPSHOT_LEASE: 1058,
  GET_TABLE_STATS: 1059,
} as const;

export type ApiKeyName = keyof typeof ApiKey;
export type ApiKey = (typeof ApiKey)[ApiKeyName];

/** Inclusive [min, max] api version range. */
export type VersionRange = readonly [min: number, max: number];

/**
 * Versions this client can speak, for every api it actually sends. The keys
 * of this object are exactly the apis the client uses (see `ClientApiKey`);
 * `API_MESSAGES` in `api-messages.ts` must cover the same set.
 *
 * A request is sent at `min(client max, server max)` from ApiVersions; if the
 * ranges do not overlap the call fails locally with UNSUPPORTED_VERSION.
 * PUT_KV / LOOKUP / PREFIX_LOOKUP v1 mean "keys encoded with the compacted key
 * encoder when the bucket key differs from the primary key" (0.9.1 max = 1).
 */
export const CLIENT_API_VERSIONS = {
  [ApiKey.API_VERSIONS]: [0, 0],
  [ApiKey.AUTHENTICATE]: [0, 0],
  [ApiKey.GET_METADATA]: [0, 0],
  [ApiKey.CREATE_DATABASE]: [0, 0],
  [ApiKey.DROP_DATABASE]: [0, 0],
  [ApiKey.LIST_DATABASES]: [0, 0],
  [ApiKey.DATABASE_EXISTS]: [0, 0],
  [ApiKey.GET_DATABASE_INFO]: [0, 0],
  [ApiKey.CREATE_TABLE]: [0, 0],
  [ApiKey.DROP_TABLE]: [0, 0],
  [ApiKey.GET_TABLE_INFO]: [0, 0],
  [ApiKey.LIST_TABLES]: [0, 0],
  [ApiKey.TABLE_EXISTS]: [0, 0],
  [ApiKey.GET_TABLE_SCHEMA]: [0, 0],
  [ApiKey.ALTER_TABLE]: [0, 0],
  [ApiKey.LIST_PARTITION_INFOS]: [0, 0],
  [ApiKey.CREATE_PARTITION]: [0, 0],
  [ApiKey.DROP_PARTITION]: [0, 0],
  [ApiKey.LIST_OFFSETS]: [0, 0],
  [ApiKey.INIT_WRITER]: [0, 0],
  [ApiKey.PRODUCE_LOG]: [0, 0],
  [ApiKey.FETCH_LOG]: [0, 0],
  [ApiKey.PUT_KV]: [0, 1],
  [ApiKey.LOOKUP]: [0, 1],
  [ApiKey.PREFIX_LOOKUP]: [0, 1],
  [ApiKey.LIMIT_SCAN]: [0, 0],
  [ApiKey.GET_LATEST_KV_SNAPSHOTS]: [0, 0],
  [ApiKey.GET_LAKE_SNAPSHOT]: [0, 0],
} as const satisfies Partial<Record<ApiKey, VersionRange>>;

/** The api keys this client sends. */
export type ClientApiKey = keyof typeof CLIENT_API_VERSIONS;

const NAMES: ReadonlyMap<number, ApiKeyName> = new Map(
  (Object.keys(ApiKey) as ApiKeyName[]).map((name) => [ApiKey[name], name]),
);

/** Name of an api key for logs and error messages ("GET_METADATA"), or `API_<n>` if unknown. */
export function apiKeyName(key: number): string {
  return NAMES.get(key) ?? `API_${key}`;
}

/** Whether `key` is one of the apis this client sends. */
export function isClientApiKey(key: number): key is ClientApiKey {
  return Object.prototype.hasOwnProperty.call(CLIENT_API_VERSIONS, key);
}
