/**
 * Typed registry: api key -> request/response protobuf schema, plus which
 * kind of server answers it. This is what lets
 * `rpc.call(ApiKey.GET_METADATA, { tablePath: [...] })` be fully typed.
 *
 * Required fields: protobuf-es already throws from `toBinary()` when a
 * `required` field is unset ("required field not set"), which is what we want
 * (a 0.9.1 server silently drops such a request). At the type level the
 * generated `*Valid` types (plugin option `valid_types=legacy_required`) make
 * required *message* fields non-optional; required scalars are non-optional
 * in every generated type anyway.
 *
 * Presence: proto2 `optional` scalars read back as their zero value when the
 * server left them out (e.g. `PbBucketMetadata.leaderId` is 0 both for "no
 * leader" and for node 0). Test presence with
 * `isFieldSet(msg, PbBucketMetadataSchema.field.leaderId)`.
 */
import type {
  DescMessage,
  MessageInitShape,
  MessageShape,
  MessageValidType,
} from "@bufbuild/protobuf";

import * as pb from "../gen/fluss/rpc_pb.js";
import { ApiKey, type ClientApiKey } from "./api-keys.js";

/**
 * Which server may be asked:
 * - `coordinator`: coordinator only (metadata writes).
 * - `any`: coordinator or any tablet server (read-only metadata, handshake).
 * - `tablet`: the tablet server leading the bucket(s) concerned.
 */
export type ServerKind = "coordinator" | "any" | "tablet";

export interface ApiMessageSpec {
  readonly request: DescMessage;
  readonly response: DescMessage;
  readonly servedBy: ServerKind;
}

export const API_MESSAGES = {
  // Handshake (handled by every server, before authentication completes).
  [ApiKey.API_VERSIONS]: {
    request: pb.ApiVersionsRequestSchema,
    response: pb.ApiVersionsResponseSchema,
    servedBy: "any",
  },
  [ApiKey.AUTHENTICATE]: {
    request: pb.AuthenticateRequestSchema,
    response: pb.AuthenticateResponseSchema,
    servedBy: "any",
  },

  // Metadata.
  [ApiKey.GET_METADATA]: {
    request: pb.MetadataRequestSchema,
    response: pb.MetadataResponseSchema,
    servedBy: "any",
  },

  // Databases.
  [ApiKey.CREATE_DATABASE]: {
    request: pb.CreateDatabaseRequestSchema,
    response: pb.CreateDatabaseResponseSchema,
    servedBy: "coordinator",
  },
  [ApiKey.DROP_DATABASE]: {
    request: pb.DropDatabaseRequestSchema,
    response: pb.DropDatabaseResponseSchema,
    servedBy: "coordinator",
  },
  [ApiKey.LIST_DATABASES]: {
    request: pb.ListDatabasesRequestSchema,
    response: pb.ListDatabasesResponseSchema,
    servedBy: "any",
  },
  [ApiKey.DATABASE_EXISTS]: {
    request: pb.DatabaseExistsRequestSchema,
    response: pb.DatabaseExistsResponseSchema,
    servedBy: "any",
  },
  [ApiKey.GET_DATABASE_INFO]: {
    request: pb.GetDatabaseInfoRequestSchema,
    response: pb.GetDatabaseInfoResponseSchema,
    servedBy: "any",
  },

  // Tables.
  [ApiKey.CREATE_TABLE]: {
    request: pb.CreateTableRequestSchema,
    response: pb.CreateTableResponseSchema,
    servedBy: "coordinator",
  },
  [ApiKey.DROP_TABLE]: {
    request: pb.DropTableRequestSchema,
    response: pb.DropTableResponseSchema,
    servedBy: "coordinator",
  },
  [ApiKey.GET_TABLE_INFO]: {
    request: pb.GetTableInfoRequestSchema,
    response: pb.GetTableInfoResponseSchema,
    servedBy: "any",
  },
  [ApiKey.LIST_TABLES]: {
    request: pb.ListTablesRequestSchema,
    response: pb.ListTablesResponseSchema,
    servedBy: "any",
  },
  [ApiKey.TABLE_EXISTS]: {
    request: pb.TableExistsRequestSchema,
    response: pb.TableExistsResponseSchema,
    servedBy: "any",
  },
  [ApiKey.GET_TABLE_SCHEMA]: {
    request: pb.GetTableSchemaRequestSchema,
    response: pb.GetTableSchemaResponseSchema,
    servedBy: "any",
  },
  [ApiKey.ALTER_TABLE]: {
    request: pb.AlterTableRequestSchema,
    response: pb.AlterTableResponseSchema,
    servedBy: "coordinator",
  },

  // Partitions.
  [ApiKey.LIST_PARTITION_INFOS]: {
    request: pb.ListPartitionInfosRequestSchema,
    response: pb.ListPartitionInfosResponseSchema,
    servedBy: "any",
  },
  [ApiKey.CREATE_PARTITION]: {
    request: pb.CreatePartitionRequestSchema,
    response: pb.CreatePartitionResponseSchema,
    servedBy: "coordinator",
  },
  [ApiKey.DROP_PARTITION]: {
    request: pb.DropPartitionRequestSchema,
    response: pb.DropPartitionResponseSchema,
    servedBy: "coordinator",
  },

  // Snapshots (read-only metadata).
  [ApiKey.GET_LATEST_KV_SNAPSHOTS]: {
    request: pb.GetLatestKvSnapshotsRequestSchema,
    response: pb.GetLatestKvSnapshotsResponseSchema,
    servedBy: "any",
  },
  [ApiKey.GET_LAKE_SNAPSHOT]: {
    request: pb.GetLakeSnapshotRequestSchema,
    response: pb.GetLakeSnapshotResponseSchema,
    servedBy: "any",
  },

  // Data path (tablet servers).
  [ApiKey.LIST_OFFSETS]: {
    request: pb.ListOffsetsRequestSchema,
    response: pb.ListOffsetsResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.INIT_WRITER]: {
    request: pb.InitWriterRequestSchema,
    response: pb.InitWriterResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.PRODUCE_LOG]: {
    request: pb.ProduceLogRequestSchema,
    response: pb.ProduceLogResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.FETCH_LOG]: {
    request: pb.FetchLogRequestSchema,
    response: pb.FetchLogResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.PUT_KV]: {
    request: pb.PutKvRequestSchema,
    response: pb.PutKvResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.LOOKUP]: {
    request: pb.LookupRequestSchema,
    response: pb.LookupResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.PREFIX_LOOKUP]: {
    request: pb.PrefixLookupRequestSchema,
    response: pb.PrefixLookupResponseSchema,
    servedBy: "tablet",
  },
  [ApiKey.LIMIT_SCAN]: {
    request: pb.LimitScanRequestSchema,
    response: pb.LimitScanResponseSchema,
    servedBy: "tablet",
  },
} as const satisfies { readonly [K in ClientApiKey]: ApiMessageSpec };

export type ApiMessages = typeof API_MESSAGES;

/** Request schema (descriptor) for api key `K`. */
export type RequestSchemaOf<K extends ClientApiKey> = ApiMessages[K]["request"];
/** Response schema (descriptor) for api key `K`. */
export type ResponseSchemaOf<K extends ClientApiKey> = ApiMessages[K]["response"];

/** Request message type for api key `K`. */
export type RequestOf<K extends ClientApiKey> = MessageShape<RequestSchemaOf<K>>;
/** Response message type for api key `K`. */
export type ResponseOf<K extends ClientApiKey> = MessageShape<ResponseSchemaOf<K>>;
/** What `create(requestSchema, init)` accepts for api key `K`. */
export type RequestInit<K extends ClientApiKey> = MessageInitShape<RequestSchemaOf<K>>;
/** Request type with required message fields non-optional (`valid_types=legacy_required`). */
export type ValidRequestOf<K extends ClientApiKey> = MessageValidType<RequestSchemaOf<K>>;
/** Response type with required message fields non-optional. */
export type ValidResponseOf<K extends ClientApiKey> = MessageValidType<ResponseSchemaOf<K>>;

/** Request/response schemas and server kind for `key`. */
export function apiMessagesOf<K extends ClientApiKey>(key: K): ApiMessages[K] {
  return API_MESSAGES[key];
}

/** Which kind of server answers `key`. */
export function serverKindOf(key: ClientApiKey): ServerKind {
  return API_MESSAGES[key].servedBy;
}
