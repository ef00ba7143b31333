/**
 * A new writer asks for what its first send needs before any row arrives, as
 * Java's sender thread does when it starts: the writer id (with idempotence)
 * and the table's bucket leaders. The first batch then goes out as soon as
 * it is encoded. A stand-in cluster records the requests. It also has the
 * table's codec prepare for compression (the codec workers warm ZSTD's
 * encoder up); small batches do not wait for that.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AppendWriter } from "../../../src/api/append-writer.js";
import type { ClusterClient } from "../../../src/client/cluster-client.js";
import { Config } from "../../../src/config/index.js";
import { PbBucketMetadataSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { UNCOMPRESSED_WHILE_LOADING_MAX_BYTES } from "../../../src/client/write/record-accumulator.js";
import { loadCodec, registerCodecProvider, type BufferCodec } from "../../../src/wire/records/compression/codec.js";
import { readLogBatches } from "../../../src/wire/records/index.js";
import { standInCluster } from "../stand-in-cluster.js";
import { arrowStorageOf, tableInfo } from "./helpers.js";

const schema = new Schema([{ name: "id", type: DataTypes.bigint() }]);
const tick = () => new Promise((resolve) => setImmediate(resolve));

function recordingCluster(): { cluster: ClusterClient; asked: string[]; produced: Uint8Array[] } {
  const asked: string[] = [];
  const produced: Uint8Array[] = [];
  const cluster = standInCluster({
    callCoordinator: async (key: number) => {
      asked.push(key === ApiKey.GET_METADATA ? "GetMetadata" : `api ${key}`);
      return { tableMetadata: [{ bucketMetadata: [0, 1].map((bucketId) => create(PbBucketMetadataSchema, { bucketId, leaderId: 0 })) }], partitionMetadata: [] };
    },
    connectionTo: async () => ({
      call: async (key: number, init: { bucketsReq?: { bucketId: number; records: Uint8Array }[] }) => {
        asked.push(key === ApiKey.INIT_WRITER ? "InitWriter" : key === ApiKey.PRODUCE_LOG ? "ProduceLog" : `api ${key}`);
        for (const bucket of init.bucketsReq ?? []) produced.push(bucket.records);
        return key === ApiKey.PRODUCE_LOG ? { bucketsResp: (init.bucketsReq ?? []).map(({ bucketId }) => ({ bucketId, baseOffset: 0n })) } : { writerId: 5n };
      },
    }),
  });
  return { cluster, asked, produced };
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

  it("has the table's codec load its encoder when created; a small first batch goes out at once, uncompressed", async () => {
    const zstd = await standInZstd();
    const { cluster, asked, produced } = recordingCluster();
    const writer = new AppendWriter(cluster, zstdTable(), new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    // At once, not a tick later: the application may build its first rows synchronously next.
    expect(zstd.prepared).toBe(1);
    await sendOneRowWithoutWaiting(writer, asked);
    expect(zstd.compressed).toBe(0);
    // The batch keeps the table's codec, every buffer stored as it is (Arrow's length -1).
    expect(storageOf(produced)).toEqual([{ codec: "ZSTD", allBuffersRaw: true }]);
    await writer.close({ timeoutMs: 0 });
  });

  it("compresses a small first batch at once with the loaded codec's own compress, where it has one, without waiting", async () => {
    const zstd = await standInZstd(); // still loading: the test before does not finish it
    zstd.compressesBeforePrepared = true;
    const { cluster, asked, produced } = recordingCluster();
    const writer = new AppendWriter(cluster, zstdTable(), new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    await sendOneRowWithoutWaiting(writer, asked);
    expect(zstd.compressed).toBeGreaterThan(0);
    expect(storageOf(produced)).toEqual([{ codec: "ZSTD", allBuffersRaw: false }]);
    zstd.compressesBeforePrepared = false;
    await writer.close({ timeoutMs: 0 });
  });

  it("holds a batch of 64 KiB or more back until the encoder has loaded, then compresses it", async () => {
    const zstd = await standInZstd(); // still loading: the tests before do not finish it
    const { cluster, asked, produced } = recordingCluster();
    const writer = new AppendWriter(cluster, zstdTable(), new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    const rows = Math.ceil(UNCOMPRESSED_WHILE_LOADING_MAX_BYTES / 8) + 1; // 8-byte BIGINTs, above the limit
    for (let i = 0; i < rows; i++) writer.append({ id: BigInt(i) });
    const flushed = writer.flush().catch(() => undefined);
    for (let i = 0; i < 5; i++) await tick();
    expect(asked).not.toContain("ProduceLog");
    const compressedBefore = zstd.compressed;
    zstd.finishLoading();
    await flushed;
    expect(asked).toContain("ProduceLog");
    expect(zstd.compressed).toBeGreaterThan(compressedBefore);
    expect(storageOf(produced)).toEqual([{ codec: "ZSTD", allBuffersRaw: false }]);
    expect(zstd.prepared).toBe(3); // once per writer, on the one codec
    await writer.close({ timeoutMs: 0 });
  });

  it("once an encoder is ready, compresses a later writer's first batch too, small or not", async () => {
    const zstd = await standInZstd(); // loaded by the test before
    const { cluster, asked, produced } = recordingCluster();
    const writer = new AppendWriter(cluster, zstdTable(), new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    writer.append({ id: 1n });
    const flushed = writer.flush();
    for (let i = 0; i < 5 && !asked.includes("ProduceLog"); i++) await tick();
    await flushed;
    expect(storageOf(produced)).toEqual([{ codec: "ZSTD", allBuffersRaw: false }]);
    expect(zstd.prepared).toBe(3); // taken as it is, not prepared again
    await writer.close({ timeoutMs: 0 });
  });
});

/** Appends one row and flushes: the batch goes out within a few turns, the codec still preparing. */
async function sendOneRowWithoutWaiting(writer: AppendWriter, asked: string[]): Promise<void> {
  writer.append({ id: 1n });
  const flushed = writer.flush();
  for (let i = 0; i < 5 && !asked.includes("ProduceLog"); i++) await tick();
  expect(asked).toContain("ProduceLog");
  await flushed;
}

/** How each produced batch's Arrow body is stored. */
function storageOf(produced: Uint8Array[]): ReturnType<typeof arrowStorageOf>[] {
  return produced.flatMap((records) => [...readLogBatches(records)].map((batch) => arrowStorageOf(batch.payload)));
}

function zstdTable() {
  return tableInfo(schema, { bucketCount: 2, properties: { "table.log.arrow.compression.type": "ZSTD" } });
}

interface StandInZstd {
  readonly prepared: number;
  readonly compressed: number;
  /** Whether its synchronous `compress` works before preparing (as ZSTD's WebAssembly codec on the JS thread does), or returns null. */
  compressesBeforePrepared: boolean;
  finishLoading(): void;
}

/**
 * ZSTD as a stand-in whose encoder "loads" (once, for the whole file, as a
 * real codec's does) when a test says; registered and loaded (as getTable
 * does) on first use. Its `compress` keeps half the data (the tests are
 * about when, not how) and counts.
 */
let standIn: StandInZstd | undefined;
async function standInZstd(): Promise<StandInZstd> {
  if (standIn) return standIn;
  let finish: () => void = () => undefined;
  let loaded = false;
  const loading = new Promise<void>((resolve) => (finish = resolve)).then(() => {
    loaded = true;
  });
  const state = { prepared: 0, compressed: 0, compressesBeforePrepared: false, finishLoading: () => finish() };
  const zstd: BufferCodec = {
    name: "ZSTD",
    compress: (data) => {
      if (!loaded && !state.compressesBeforePrepared) return null;
      state.compressed++;
      // Shorter than the input, so that the writer keeps it as compressed; never decoded here.
      return data.slice(0, data.length >> 1);
    },
    decompress: (data) => data,
    prepareCompression: () => {
      state.prepared++;
      return loading;
    },
  };
  registerCodecProvider("ZSTD", async () => zstd);
  await loadCodec("ZSTD");
  standIn = state;
  return state;
}
