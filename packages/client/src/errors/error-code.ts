/**
 * Fluss error codes, numbered exactly as the server's `Errors` table in
 * Fluss 0.9.1 (and named as in the official Python client's `ErrorCode`),
 * plus `CLIENT_ERROR` (-2) for failures that never reached a server.
 *
 * Codes are open-ended integers: a future server may send a number that is
 * not listed here, and it still surfaces unchanged on `FlussError.errorCode`.
 */
export const ErrorCode = {
  CLIENT_ERROR: -2,
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  NETWORK_EXCEPTION: 1,
  UNSUPPORTED_VERSION: 2,
  CORRUPT_MESSAGE: 3,
  DATABASE_NOT_EXIST: 4,
  DATABASE_NOT_EMPTY: 5,
  DATABASE_ALREADY_EXIST: 6,
  TABLE_NOT_EXIST: 7,
  TABLE_ALREADY_EXIST: 8,
  SCHEMA_NOT_EXIST: 9,
  LOG_STORAGE_EXCEPTION: 10,
  KV_STORAGE_EXCEPTION: 11,
  NOT_LEADER_OR_FOLLOWER: 12,
  RECORD_TOO_LARGE_EXCEPTION: 13,
  CORRUPT_RECORD_EXCEPTION: 14,
  INVALID_TABLE_EXCEPTION: 15,
  INVALID_DATABASE_EXCEPTION: 16,
  INVALID_REPLICATION_FACTOR: 17,
  INVALID_REQUIRED_ACKS: 18,
  LOG_OFFSET_OUT_OF_RANGE_EXCEPTION: 19,
  NON_PRIMARY_KEY_TABLE_EXCEPTION: 20,
  UNKNOWN_TABLE_OR_BUCKET_EXCEPTION: 21,
  INVALID_UPDATE_VERSION_EXCEPTION: 22,
  INVALID_COORDINATOR_EXCEPTION: 23,
  FENCED_LEADER_EPOCH_EXCEPTION: 24,
  REQUEST_TIME_OUT: 25,
  STORAGE_EXCEPTION: 26,
  OPERATION_NOT_ATTEMPTED_EXCEPTION: 27,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND_EXCEPTION: 28,
  NOT_ENOUGH_REPLICAS_EXCEPTION: 29,
  SECURITY_TOKEN_EXCEPTION: 30,
  OUT_OF_ORDER_SEQUENCE_EXCEPTION: 31,
  DUPLICATE_SEQUENCE_EXCEPTION: 32,
  UNKNOWN_WRITER_ID_EXCEPTION: 33,
  INVALID_COLUMN_PROJECTION: 34,
  INVALID_TARGET_COLUMN: 35,
  PARTITION_NOT_EXISTS: 36,
  TABLE_NOT_PARTITIONED_EXCEPTION: 37,
  INVALID_TIMESTAMP_EXCEPTION: 38,
  INVALID_CONFIG_EXCEPTION: 39,
  LAKE_STORAGE_NOT_CONFIGURED_EXCEPTION: 40,
  KV_SNAPSHOT_NOT_EXIST: 41,
  PARTITION_ALREADY_EXISTS: 42,
  PARTITION_SPEC_INVALID_EXCEPTION: 43,
  LEADER_NOT_AVAILABLE_EXCEPTION: 44,
  PARTITION_MAX_NUM_EXCEPTION: 45,
  AUTHENTICATE_EXCEPTION: 46,
  SECURITY_DISABLED_EXCEPTION: 47,
  AUTHORIZATION_EXCEPTION: 48,
  BUCKET_MAX_NUM_EXCEPTION: 49,
  FENCED_TIERING_EPOCH_EXCEPTION: 50,
  RETRIABLE_AUTHENTICATE_EXCEPTION: 51,
  INVALID_SERVER_RACK_INFO_EXCEPTION: 52,
  LAKE_SNAPSHOT_NOT_EXIST: 53,
  LAKE_TABLE_ALREADY_EXIST: 54,
  INELIGIBLE_REPLICA_EXCEPTION: 55,
  INVALID_ALTER_TABLE_EXCEPTION: 56,
  DELETION_DISABLED_EXCEPTION: 57,
  SERVER_NOT_EXIST_EXCEPTION: 58,
  SEVER_TAG_ALREADY_EXIST_EXCEPTION: 59,
  SEVER_TAG_NOT_EXIST_EXCEPTION: 60,
  REBALANCE_FAILURE_EXCEPTION: 61,
  NO_REBALANCE_IN_PROGRESS_EXCEPTION: 62,
  INVALID_PRODUCER_ID_EXCEPTION: 63,
} as const;

/** A known error-code name. */
export type ErrorCodeName = keyof typeof ErrorCode;

/**
 * Codes whose exception class in Fluss derives from `RetriableException`:
 * the same request may succeed if sent again (possibly after a metadata
 * refresh, see {@link STALE_METADATA_CODES}).
 */
const RETRIABLE_CODES: ReadonlySet<number> = new Set([1, 3, 9, 10, 11, 12, 14, 21, 25, 26, 28, 29, 44]);

/** Codes that mean the client's view of leaders/buckets is out of date. */
export const STALE_METADATA_CODES: ReadonlySet<number> = new Set([1, 12, 21, 44]);

const NAMES_BY_CODE: ReadonlyMap<number, ErrorCodeName> = new Map(
  (Object.entries(ErrorCode) as [ErrorCodeName, number][]).map(([name, code]) => [code, name]),
);

/** True when a request that failed with `code` may be retried as it is. */
export function isRetriableCode(code: number): boolean {
  return RETRIABLE_CODES.has(code);
}

/** The constant name for a code, or `UNKNOWN_CODE_<n>` for codes newer than this client. */
export function errorCodeName(code: number): string {
  return NAMES_BY_CODE.get(code) ?? `UNKNOWN_CODE_${code}`;
}
