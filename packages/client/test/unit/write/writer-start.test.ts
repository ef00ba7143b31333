/**
 * A new writer asks for what its first send needs before any row arrives, as
 * Java's sender thread does when it starts: the writer id (with idempotence)
 * and the table's bucket leaders. The first batch then goes out as soon as
 * it is encoded. A stand-in cluster records the requests. It also has the
 * table's codec load its encoder (ZSTD's loads only for writing).
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AppendWriter } from "../../../src/api/append-writer.js";
import type { ClusterClient } from "../../../src/client/cluster-client.js";
import { Config } from "../../../src/config/index.js";
import { PbBucketMetadataSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { loadCodec, registerCodecProvider, type BufferCodec } from "../../../src/wire/records/compression/codec.js";
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
        asked.push(key === ApiKey.INIT_WRITER ? "InitWriter" : key === ApiKey.PRODUCE_LOG ? "ProduceLog" : `api ${key}`);
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

  it("has the table's codec load what compression needs when created, and sends its first batch only after that", async () => {
    // ZSTD here is a stand-in whose encoder "loads" when the test says (this file's first ZSTD load).
    let prepared = 0;
    let finishLoading: () => void = () => undefined;
    const loading = new Promise<void>((resolve) => (finishLoading = resolve));
    const zstd: BufferCodec = {
      name: "ZSTD",
      compress: () => null, // stored uncompressed: the test is about when, not how
      decompress: () => new Uint8Array(0),
      prepareCompression: () => {
        prepared++;
        return loading;
      },
    };
    registerCodecProvider("ZSTD", async () => zstd);
    await loadCodec("ZSTD"); // as getTable does
    const { cluster, asked } = recordingCluster();
    const info = tableInfo(schema, { bucketCount: 2, properties: { "table.log.arrow.compression.type": "ZSTD" } });
    const writer = new AppendWriter(cluster, info, new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    // At once, not a tick later: the application may build its first rows synchronously next.
    expect(prepared).toBe(1);
    writer.append({ id: 1n });
    const flushed = writer.flush().catch(() => undefined);
    for (let i = 0; i < 5; i++) await tick();
    expect(asked).not.toContain("ProduceLog");
    finishLoading();
    for (let i = 0; i < 5 && !asked.includes("ProduceLog"); i++) await tick();
    expect(asked).toContain("ProduceLog");
    expect(prepared).toBe(1);
    await writer.close({ timeoutMs: 0 });
    await flushed;
  });
});
