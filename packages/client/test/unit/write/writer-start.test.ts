/**
 * A new writer asks for what its first send needs before any row arrives, as
 * Java's sender thread does when it starts: the writer id (with idempotence)
 * and the table's bucket leaders. The first batch then goes out as soon as
 * it is encoded. A stand-in cluster records the requests.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AppendWriter } from "../../../src/api/append-writer.js";
import type { ClusterClient } from "../../../src/client/cluster-client.js";
import { Config } from "../../../src/config/index.js";
import { PbBucketMetadataSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { standInCluster } from "../stand-in-cluster.js";
import { tableInfo } from "./helpers.js";

const schema = new Schema([{ name: "id", type: DataTypes.bigint() }]);
const tick = () => new Promise((resolve) => setImmediate(resolve));

function recordingCluster(): { cluster: ClusterClient; asked: string[] } {
  const asked: string[] = [];
  const cluster = standInCluster({
    callCoordinator: async (key: number) => {
      asked.push(key === ApiKey.GET_METADATA ? "GetMetadata" : `api ${key}`);
      return { tableMetadata: [{ bucketMetadata: [0, 1].map((bucketId) => create(PbBucketMetadataSchema, { bucketId, leaderId: 0 })) }], partitionMetadata: [] };
    },
    connectionTo: async () => ({
      call: async (key: number) => {
        asked.push(key === ApiKey.INIT_WRITER ? "InitWriter" : `api ${key}`);
        return { writerId: 5n };
      },
    }),
  });
  return { cluster, asked };
}

describe("a new append writer", () => {
  it("asks for its writer id and the table's leaders before the first row", async () => {
    const { cluster, asked } = recordingCluster();
    const info = tableInfo(schema, { bucketCount: 2, properties: { "table.log.arrow.compression.type": "NONE" } });
    const writer = new AppendWriter(cluster, info, new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    await tick();
    expect(asked.sort()).toEqual(["GetMetadata", "InitWriter"]);
    await writer.close({ timeoutMs: 0 });
  });

  it("without idempotence asks for the leaders only", async () => {
    const { cluster, asked } = recordingCluster();
    const info = tableInfo(schema, { bucketCount: 2, properties: { "table.log.arrow.compression.type": "NONE" } });
    const writer = new AppendWriter(cluster, info, new Config({ "bootstrap.servers": "127.0.0.1:1", "writer.enable-idempotence": false }).resolve());
    await tick();
    expect(asked).toEqual(["GetMetadata"]);
    await writer.close({ timeoutMs: 0 });
  });
});
