import { describe, it, expect } from "vitest";
import { create, fromBinary, isFieldSet, toBinary } from "@bufbuild/protobuf";

import {
  ApiVersionsRequestSchema,
  CreateTableRequestSchema,
  DropTableRequestSchema,
  ErrorResponseSchema,
  FetchLogRequestSchema,
  FetchLogResponseSchema,
  GetDatabaseInfoResponseSchema,
  LimitScanRequestSchema,
  MetadataRequestSchema,
  MetadataResponseSchema,
  PbBucketMetadataSchema,
  PutKvRequestSchema,
} from "../../src/gen/fluss/rpc_pb.js";
import type { PbPartitionInfo, PbPartitionInfoValid } from "../../src/gen/fluss/rpc_pb.js";
import { ApiKey, CLIENT_API_VERSIONS, apiKeyName, isClientApiKey } from "../../src/wire/api-keys.js";
import {
  API_MESSAGES,
  serverKindOf,
  type RequestInit,
  type ResponseOf,
} from "../../src/wire/api-messages.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

describe("protobuf wire encoding", () => {
  it("encodes ApiVersionsRequest to the exact bytes", () => {
    const msg = create(ApiVersionsRequestSchema, {
      clientSoftwareName: "fluss",
      clientSoftwareVersion: "0.1.0",
    });
    // field 1 (LEN): 0a 05 "fluss"; field 2 (LEN): 12 05 "0.1.0"
    expect(hex(toBinary(ApiVersionsRequestSchema, msg))).toBe(
      "0a05" + "666c757373" + "1205" + "302e312e30",
    );
  });

  it("encodes a MetadataRequest with one table path to the exact bytes", () => {
    const msg = create(MetadataRequestSchema, {
      tablePath: [{ databaseName: "db", tableName: "t" }],
    });
    // PbTablePath = 0a 02 "db" 12 01 "t" (7 bytes), wrapped in field 1.
    expect(hex(toBinary(MetadataRequestSchema, msg))).toBe("0a07" + "0a026462" + "120174");
  });

  it("writes [packed = true] repeated ints packed", () => {
    const meta = create(MetadataRequestSchema, { partitionsId: [1n, 300n] });
    // field 3, wire type 2: 1a, length 3, varints 01 ac02
    expect(hex(toBinary(MetadataRequestSchema, meta))).toBe("1a0301ac02");

    const bucket = create(PbBucketMetadataSchema, { bucketId: 0, replicaId: [1, 2, 3] });
    expect(hex(toBinary(PbBucketMetadataSchema, bucket))).toBe("0800" + "1a03010203");

    const putKv = create(PutKvRequestSchema, {
      acks: -1,
      tableId: 7n,
      timeoutMs: 1000,
      targetColumns: [0, 2],
    });
    // acks=-1 (10-byte varint), table_id=7, timeout_ms=1000, then
    // target_columns = field 4 packed: 22 02 00 02
    expect(hex(toBinary(PutKvRequestSchema, putKv))).toBe(
      "08ffffffffffffffffff01" + "1007" + "18e807" + "22020002",
    );

    const replicaId = PbBucketMetadataSchema.field.replicaId;
    expect(replicaId?.fieldKind).toBe("list");
    expect(replicaId?.fieldKind === "list" && replicaId.packed).toBe(true);
  });

  it("still reads the unpacked encoding of a packed field", () => {
    // field 3 as two separate varints (wire type 0): 18 01 18 ac02
    const msg = fromBinary(MetadataRequestSchema, unhex("1801 18ac02"));
    expect(msg.partitionsId).toEqual([1n, 300n]);
  });

  it("encodes negative int32 as a 10-byte varint and honours odd field numbers", () => {
    const fetch = create(FetchLogRequestSchema, { followerServerId: -1, maxBytes: 1024 });
    expect(hex(toBinary(FetchLogRequestSchema, fetch))).toBe("08ffffffffffffffffff01" + "108008");

    // LimitScanRequest starts at field 2 (table_id).
    const scan = create(LimitScanRequestSchema, { tableId: 5n, bucketId: 0, limit: 10 });
    expect(hex(toBinary(LimitScanRequestSchema, scan))).toBe("1005" + "2000" + "280a");

    // GetDatabaseInfoResponse starts at field 3.
    const info = fromBinary(GetDatabaseInfoResponseSchema, unhex("1a027b7d 2001 2802"));
    expect(new TextDecoder().decode(info.databaseJson)).toBe("{}");
    expect(info.createdTime).toBe(1n);
    expect(info.modifiedTime).toBe(2n);
  });

  it("writes required bools even when false", () => {
    const msg = create(DropTableRequestSchema, {
      tablePath: { databaseName: "d", tableName: "t" },
      ignoreIfNotExists: false,
    });
    expect(hex(toBinary(DropTableRequestSchema, msg))).toBe("0a06" + "0a0164120174" + "1000");
  });

  it("refuses to encode a request with a missing required field", () => {
    const scalar = create(ApiVersionsRequestSchema, { clientSoftwareName: "fluss" });
    expect(() => toBinary(ApiVersionsRequestSchema, scalar)).toThrow(/required field not set/);

    const nested = create(CreateTableRequestSchema, {
      tableJson: new Uint8Array([0x7b, 0x7d]),
      ignoreIfExists: true,
    });
    expect(() => toBinary(CreateTableRequestSchema, nested)).toThrow(/required field not set/);

    const deep = create(MetadataRequestSchema, { tablePath: [{ databaseName: "db" }] });
    expect(() => toBinary(MetadataRequestSchema, deep)).toThrow(/required field not set/);
  });

  it("decodes an ErrorResponse", () => {
    const err = fromBinary(ErrorResponseSchema, unhex("082e 1202 6869"));
    expect(err.errorCode).toBe(46);
    expect(err.errorMessage).toBe("hi");
  });
});

describe("protobuf round trips", () => {
  it("round-trips a MetadataResponse", () => {
    const msg = create(MetadataResponseSchema, {
      coordinatorServer: { nodeId: 0, host: "coord", port: 9123 },
      tabletServers: [
        { nodeId: 1, host: "ts-1", port: 9124, rack: "r1" },
        { nodeId: 2, host: "ts-2", port: 9124 },
      ],
      tableMetadata: [
        {
          tablePath: { databaseName: "fluss", tableName: "orders" },
          tableId: 42n,
          schemaId: 1,
          tableJson: new TextEncoder().encode('{"version":1}'),
          bucketMetadata: [
            { bucketId: 0, leaderId: 1, replicaId: [1, 2], leaderEpoch: 3 },
            { bucketId: 1, replicaId: [2, 1] },
          ],
          createdTime: 1_700_000_000_000n,
          modifiedTime: 1_700_000_000_001n,
        },
      ],
      partitionMetadata: [
        { tableId: 42n, partitionName: "2024", partitionId: 7n, bucketMetadata: [{ bucketId: 0 }] },
      ],
    });
    const back = fromBinary(MetadataResponseSchema, toBinary(MetadataResponseSchema, msg));
    expect(back).toEqual(msg);
    // proto2 optional scalars read as their zero value when absent; presence
    // must be checked with isFieldSet (leader_id 0 is a real node id).
    const [withLeader, noLeader] = back.tableMetadata[0]?.bucketMetadata ?? [];
    expect(noLeader?.leaderId).toBe(0);
    expect(isFieldSet(noLeader!, PbBucketMetadataSchema.field.leaderId)).toBe(false);
    expect(isFieldSet(withLeader!, PbBucketMetadataSchema.field.leaderId)).toBe(true);
    expect(back.tabletServers[1]?.rack).toBe("");
  });

  it("round-trips a FetchLogResponse with records and remote fetch info", () => {
    const msg = create(FetchLogResponseSchema, {
      tablesResp: [
        {
          tableId: 9n,
          bucketsResp: [
            { bucketId: 0, highWatermark: 100n, records: new Uint8Array([1, 2, 3, 4]) },
            {
              partitionId: 3n,
              bucketId: 1,
              remoteLogFetchInfo: {
                remoteLogTabletDir: "s3://b/t",
                remoteLogSegments: [
                  {
                    remoteLogSegmentId: "seg-1",
                    remoteLogStartOffset: 0n,
                    remoteLogEndOffset: 50n,
                    segmentSizeInBytes: 4096,
                  },
                ],
                firstStartPos: 12,
              },
            },
            { bucketId: 2, errorCode: 7, errorMessage: "not leader" },
          ],
        },
      ],
    });
    const back = fromBinary(FetchLogResponseSchema, toBinary(FetchLogResponseSchema, msg));
    expect(back).toEqual(msg);
    expect(back.tablesResp[0]?.bucketsResp[0]?.records).toEqual(new Uint8Array([1, 2, 3, 4]));
  });
});

describe("api keys and registry", () => {
  it("has the 0.9.1 api key numbers", () => {
    expect(ApiKey.API_VERSIONS).toBe(1000);
    expect(ApiKey.CREATE_DATABASE).toBe(1001);
    expect(ApiKey.GET_METADATA).toBe(1012);
    expect(ApiKey.PRODUCE_LOG).toBe(1014);
    expect(ApiKey.FETCH_LOG).toBe(1015);
    expect(ApiKey.PUT_KV).toBe(1016);
    expect(ApiKey.LOOKUP).toBe(1017);
    expect(ApiKey.LIST_OFFSETS).toBe(1021);
    expect(ApiKey.INIT_WRITER).toBe(1026);
    expect(ApiKey.GET_LAKE_SNAPSHOT).toBe(1032);
    expect(ApiKey.LIMIT_SCAN).toBe(1033);
    expect(ApiKey.PREFIX_LOOKUP).toBe(1034);
    expect(ApiKey.AUTHENTICATE).toBe(1038);
    expect(ApiKey.GET_TABLE_STATS).toBe(1059);
    expect(new Set(Object.values(ApiKey)).size).toBe(Object.keys(ApiKey).length);
    expect(apiKeyName(1012)).toBe("GET_METADATA");
    expect(apiKeyName(1013)).toBe("API_1013");
  });

  it("speaks v0 everywhere except PUT_KV / LOOKUP / PREFIX_LOOKUP (0..1)", () => {
    for (const [key, range] of Object.entries(CLIENT_API_VERSIONS)) {
      const k = Number(key);
      const expected =
        k === ApiKey.PUT_KV || k === ApiKey.LOOKUP || k === ApiKey.PREFIX_LOOKUP ? [0, 1] : [0, 0];
      expect(range, apiKeyName(k)).toEqual(expected);
    }
    expect(isClientApiKey(ApiKey.GET_METADATA)).toBe(true);
    expect(isClientApiKey(ApiKey.CREATE_ACLS)).toBe(false);
  });

  it("maps every client api key to a request/response pair", () => {
    expect(Object.keys(API_MESSAGES).sort()).toEqual(Object.keys(CLIENT_API_VERSIONS).sort());
    for (const spec of Object.values(API_MESSAGES)) {
      expect(spec.request.typeName).toMatch(/^fluss\.rpc\.\w+Request$/);
      expect(spec.response.typeName).toBe(spec.request.typeName.replace(/Request$/, "Response"));
    }
    expect(API_MESSAGES[ApiKey.GET_METADATA].request).toBe(MetadataRequestSchema);
    expect(serverKindOf(ApiKey.CREATE_TABLE)).toBe("coordinator");
    expect(serverKindOf(ApiKey.GET_METADATA)).toBe("any");
    expect(serverKindOf(ApiKey.PRODUCE_LOG)).toBe("tablet");
  });

  it("gives typed request inits and responses (compile-time)", () => {
    const init: RequestInit<typeof ApiKey.GET_METADATA> = {
      tablePath: [{ databaseName: "db", tableName: "t" }],
    };
    // @ts-expect-error -- not a field of MetadataRequest
    const bad: RequestInit<typeof ApiKey.GET_METADATA> = { tableName: "t" };
    void bad;
    const req = create(API_MESSAGES[ApiKey.GET_METADATA].request, init);
    expect(req.tablePath).toHaveLength(1);

    const resp: ResponseOf<typeof ApiKey.INIT_WRITER> = fromBinary(
      API_MESSAGES[ApiKey.INIT_WRITER].response,
      unhex("0805"),
    );
    const writerId: bigint = resp.writerId;
    expect(writerId).toBe(5n);

    // Valid types: required message fields are not optional.
    const valid: PbPartitionInfoValid = {
      $typeName: "fluss.rpc.PbPartitionInfo",
      partitionId: 1n,
      partitionSpec: { $typeName: "fluss.rpc.PbPartitionSpec", partitionKeyValues: [] },
    };
    const loose: PbPartitionInfo = { $typeName: "fluss.rpc.PbPartitionInfo", partitionId: 1n };
    // @ts-expect-error -- partitionSpec is required in the Valid type
    const invalid: PbPartitionInfoValid = loose;
    void invalid;
    expect(valid.partitionSpec.partitionKeyValues).toEqual([]);
  });
});
