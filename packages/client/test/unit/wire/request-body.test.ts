/**
 * Request bodies: ProduceLog is encoded by hand as pieces around its records
 * bytes (no copies of them); the pieces, back to back, must be exactly what
 * protobuf-es writes for the same message, and the frame and gateway
 * envelope encoders must lay the pieces out as one body.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ProduceLogRequestSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { encodeRequestEnvelope, encodeTarget } from "../../../src/transport/gateway-request.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import type { RequestInit } from "../../../src/wire/api-messages.js";
import { encodeRequestFrame } from "../../../src/wire/frame.js";
import { encodeProduceLogRequest, encodeRequestBody } from "../../../src/wire/request-body.js";
import { concatBytes, seededBytes, seededRandom } from "../records/seeded.js";

type ProduceInit = RequestInit<typeof ApiKey.PRODUCE_LOG>;

function requests(): [string, ProduceInit][] {
  const rnd = seededRandom(21);
  return [
    ["no buckets", { acks: -1, tableId: 7n, timeoutMs: 30_000, bucketsReq: [] }],
    ["acks 0, one empty batch", { acks: 0, tableId: 1n, timeoutMs: 1, bucketsReq: [{ bucketId: 0, records: new Uint8Array(0) }] }],
    [
      "several buckets, partitions, large ids and records",
      {
        acks: 1,
        tableId: 2n ** 40n + 3n,
        timeoutMs: 120_000,
        bucketsReq: [
          { bucketId: 3, records: seededBytes(rnd, 200) },
          { partitionId: 0n, bucketId: 0, records: seededBytes(rnd, 70_000) },
          { partitionId: 2n ** 33n, bucketId: 127, records: seededBytes(rnd, 1) },
          { bucketId: 200_000, records: seededBytes(rnd, 300_000) },
        ],
      },
    ],
  ];
}

describe("request bodies", () => {
  it.each(requests())("ProduceLog pieces equal protobuf-es's encoding: %s", (_, init) => {
    const pieces = encodeProduceLogRequest(init);
    const expected = toBinary(ProduceLogRequestSchema, create(ProduceLogRequestSchema, init));
    expect(concatBytes(pieces)).toEqual(expected);
    // And they decode back to the message.
    expect(fromBinary(ProduceLogRequestSchema, concatBytes(pieces))).toEqual(create(ProduceLogRequestSchema, init));
  });

  it("leaves the records bytes where they are (pieces are the writer's own buffers)", () => {
    const records = [seededBytes(seededRandom(1), 5000), seededBytes(seededRandom(2), 9000)];
    const pieces = encodeProduceLogRequest({
      acks: -1,
      tableId: 9n,
      timeoutMs: 100,
      bucketsReq: records.map((r, bucketId) => ({ bucketId, records: r })),
    });
    for (const r of records) expect(pieces).toContain(r);
  });

  it("refuses a ProduceLog request without its required fields, as protobuf-es does", () => {
    expect(() => encodeProduceLogRequest({ acks: 1, tableId: 1n })).toThrow(/required/);
    expect(() => encodeProduceLogRequest({ acks: 1, tableId: 1n, timeoutMs: 5, bucketsReq: [{ bucketId: 1 }] })).toThrow(/required/);
    expect(() => encodeRequestBody(ApiKey.PRODUCE_LOG, { acks: 1 })).toThrow(/required/);
  });

  it("frames and gateway envelopes lay pieces out exactly like the single buffer", () => {
    const [, init] = requests()[2]!;
    const pieces = encodeProduceLogRequest(init);
    const whole = concatBytes(pieces);
    const header = { apiKey: ApiKey.PRODUCE_LOG, apiVersion: 0, requestId: 42 };
    expect(encodeRequestFrame(header, pieces)).toEqual(encodeRequestFrame(header, whole));
    const target = encodeTarget({ host: "127.0.0.1", port: 9123 });
    expect(encodeRequestEnvelope(target, header, pieces)).toEqual(encodeRequestEnvelope(target, header, whole));
  });
});
