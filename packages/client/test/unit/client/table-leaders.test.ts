/**
 * TableLeaders (client/table-leaders.ts) over a stand-in coordinator that
 * answers GetMetadata as Fluss's does: the buckets of the partitions asked
 * for, and PARTITION_NOT_EXISTS for the whole request when one partition id
 * is unknown.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { ClusterClient } from "../../../src/client/cluster-client.js";
import { TableLeaders } from "../../../src/client/table-leaders.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { PbBucketMetadataSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { TableBucket } from "../../../src/metadata/index.js";
import { standInCluster } from "../stand-in-cluster.js";

interface Asked {
  partitionIds: number[];
}

function coordinator(partitions: Map<number, number>): { cluster: ClusterClient; asked: Asked[] } {
  const asked: Asked[] = [];
  const cluster = standInCluster({
    callCoordinator: async (_key: number, init: { partitionsId: bigint[] }) => {
      const partitionIds = init.partitionsId.map(Number);
      asked.push({ partitionIds });
      await new Promise((resolve) => setTimeout(resolve, 5)); // concurrent lookups overlap
      const unknown = partitionIds.find((id) => !partitions.has(id));
      if (unknown !== undefined) throw new FlussError(`The partition id '${unknown}' does not exist`, ErrorCode.PARTITION_NOT_EXISTS);
      return {
        tableMetadata: [],
        partitionMetadata: partitionIds.map((id) => ({
          partitionId: BigInt(id),
          bucketMetadata: [create(PbBucketMetadataSchema, { bucketId: 0, leaderId: partitions.get(id)! })],
        })),
      };
    },
  });
  return { cluster, asked };
}

const path = { databaseName: "db", tableName: "t" };

describe("TableLeaders for a partitioned table", () => {
  it("answers concurrent lookups of different partitions, each with its own partition's leader", async () => {
    const { cluster, asked } = coordinator(new Map([[10, 1], [20, 2]]));
    const leaders = new TableLeaders(cluster, path);
    const found = await Promise.all([leaders.leaderOf(new TableBucket(7, 0, 10)), leaders.leaderOf(new TableBucket(7, 0, 20))]);
    expect(found).toEqual([1, 2]);
    expect(asked.map((a) => a.partitionIds).sort()).toEqual([[10], [20]]);
  });

  it("shares one request among lookups of the same partition", async () => {
    const { cluster, asked } = coordinator(new Map([[10, 1]]));
    const leaders = new TableLeaders(cluster, path);
    const found = await Promise.all([0, 0, 0].map(() => leaders.leaderOf(new TableBucket(7, 0, 10))));
    expect(found).toEqual([1, 1, 1]);
    expect(asked).toHaveLength(1);
  });

  it("fails only the lookups of a partition that is gone, with PARTITION_NOT_EXISTS", async () => {
    const { cluster } = coordinator(new Map([[20, 2]]));
    const leaders = new TableLeaders(cluster, path);
    const [gone, live] = await Promise.allSettled([leaders.leaderOf(new TableBucket(7, 0, 10)), leaders.leaderOf(new TableBucket(7, 0, 20))]);
    expect(gone).toMatchObject({ status: "rejected", reason: { errorCode: ErrorCode.PARTITION_NOT_EXISTS } });
    expect(live).toEqual({ status: "fulfilled", value: 2 });
  });
});
