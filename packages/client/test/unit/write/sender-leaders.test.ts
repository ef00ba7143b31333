/**
 * The writer's sender while one bucket's leader cannot be learned (the
 * coordinator does not answer the lookup): batches for buckets whose leader
 * is known keep going out, as in Java's sender; only the bucket that needs
 * the answer waits. A stand-in cluster client records the ProduceLog calls.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AppendWriter } from "../../../src/api/append-writer.js";
import { TableLeaders } from "../../../src/client/table-leaders.js";
import { Config } from "../../../src/config/index.js";
import { PbBucketMetadataSchema, PbProduceLogRespForBucketSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { neverAnswers, standInCluster } from "../stand-in-cluster.js";
import { tableInfo } from "./helpers.js";

const schema = new Schema([{ name: "id", type: DataTypes.bigint() }]);

describe("the sender with one bucket's leader unknown", () => {
  it("sends the buckets whose leader it knows while the lookup for the other hangs", async () => {
    const produced: number[][] = [];
    let metadataCalls = 0;
    const cluster = standInCluster({
      callCoordinator: (key: number) => {
        expect(key).toBe(ApiKey.GET_METADATA);
        // First answer: bucket 0 led by node 0, bucket 1 without a leader; later lookups never answer.
        if (metadataCalls++ > 0) return new Promise(() => {});
        return Promise.resolve({
          tableMetadata: [{ bucketMetadata: [create(PbBucketMetadataSchema, { bucketId: 0, leaderId: 0 }), create(PbBucketMetadataSchema, { bucketId: 1 })] }],
          partitionMetadata: [],
        });
      },
      refreshCluster: neverAnswers,
      connectionTo: async () => ({
        call: async (_key: number, request: { bucketsReq: { bucketId: number }[] }) => {
          produced.push(request.bucketsReq.map((b) => b.bucketId));
          return { bucketsResp: request.bucketsReq.map((b) => create(PbProduceLogRespForBucketSchema, { bucketId: b.bucketId })) };
        },
      }),
    });
    const info = tableInfo(schema, { bucketCount: 2, properties: { "table.log.arrow.compression.type": "NONE" } });
    const config = new Config({
      "bootstrap.servers": "127.0.0.1:1",
      "writer.enable-idempotence": false,
      "writer.bucket.no-key-assigner": "round_robin",
      "writer.batch-timeout-ms": 1,
    });
    const writer = new AppendWriter(cluster, info, config.resolve());
    const handles = Array.from({ length: 6 }, (_, i) => writer.append({ id: BigInt(i) }));
    const outcomes = handles.map((h) => h.wait().then(() => "acknowledged", () => "failed"));
    const settled = await Promise.race([Promise.any(outcomes), new Promise((resolve) => setTimeout(() => resolve("nothing sent"), 2000))]);
    expect(settled).toBe("acknowledged");
    // By now the lookup for bucket 1 hangs. Rows appended from here on must still reach bucket 0.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sentBefore = produced.length;
    const later = Array.from({ length: 6 }, (_, i) => writer.append({ id: BigInt(100 + i) }));
    const laterOutcomes = later.map((h) => h.wait().then(() => "acknowledged", () => "failed"));
    outcomes.push(...laterOutcomes);
    const laterSettled = await Promise.race([Promise.any(laterOutcomes), new Promise((resolve) => setTimeout(() => resolve("held back"), 2000))]);
    expect(laterSettled).toBe("acknowledged");
    expect(produced.length).toBeGreaterThan(sentBefore);
    expect(produced.flat().every((bucket) => bucket === 0)).toBe(true);
    await expect(writer.close({ timeoutMs: 50 })).rejects.toMatchObject({ message: expect.stringMatching(/not acknowledged within 50 ms/) });
    // Round robin over two buckets: half the rows went to bucket 0 and were acknowledged; bucket 1's never left.
    const final = await Promise.all(outcomes);
    expect(final.filter((o) => o === "acknowledged")).toHaveLength(6);
    expect(final.filter((o) => o === "failed")).toHaveLength(6);
  });
});

describe("the sender with the table's leaders known", () => {
  it("asks no GetMetadata of its own when made with leaders getTable learned (as a FlussTable's writers are)", async () => {
    const coordinatorCalls: number[] = [];
    const cluster = standInCluster({
      callCoordinator: (key: number) => {
        coordinatorCalls.push(key);
        return Promise.resolve({ tableMetadata: [{ bucketMetadata: [create(PbBucketMetadataSchema, { bucketId: 0, leaderId: 0 })] }], partitionMetadata: [] });
      },
      refreshCluster: neverAnswers,
      connectionTo: async () => ({
        call: async (_key: number, request: { bucketsReq: { bucketId: number }[] }) => ({
          bucketsResp: request.bucketsReq.map((b) => create(PbProduceLogRespForBucketSchema, { bucketId: b.bucketId })),
        }),
      }),
    });
    const info = tableInfo(schema, { bucketCount: 1, properties: { "table.log.arrow.compression.type": "NONE" } });
    const leaders = new TableLeaders(cluster, info.tablePath);
    await leaders.learn([]);
    await leaders.learn([]); // known: asks nothing
    expect(coordinatorCalls).toEqual([ApiKey.GET_METADATA]);
    const config = new Config({ "bootstrap.servers": "127.0.0.1:1", "writer.enable-idempotence": false, "writer.batch-timeout-ms": 1 });
    const writer = new AppendWriter(cluster, info, config.resolve(), leaders);
    await writer.append({ id: 1n }).wait();
    await writer.close();
    expect(coordinatorCalls).toEqual([ApiKey.GET_METADATA]);
  });
});
