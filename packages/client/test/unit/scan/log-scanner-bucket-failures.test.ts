/**
 * One bucket of a fetch round fails (a batch whose CRC does not match, or
 * whose Arrow body cannot be decoded): the other buckets' rows are still
 * handed out, the failure is reported, and the failed bucket's rows are
 * neither skipped nor handed out out of order once its batches read again.
 * The stand-in cluster answers FetchLog with log batches made by the
 * client's own encoder (the format the interop tests prove against Fluss).
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LogScanner } from "../../../src/api/log-scanner.js";
import type { ClusterClient } from "../../../src/client/cluster-client.js";
import { LogFetcher } from "../../../src/client/scan/log-fetcher.js";
import { Projection } from "../../../src/client/scan/projection.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { PbBucketMetadataSchema, PbFetchLogRespForBucketSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { rowsToRecordBatch } from "../../../src/row/index.js";
import { encodeLogRecords, V0_HEADER_SIZE } from "../../../src/wire/records/index.js";
import { tableInfo } from "../write/helpers.js";
import { standInCluster } from "../stand-in-cluster.js";

const schema = new Schema([{ name: "id", type: DataTypes.int() }]);
const info = tableInfo(schema, { bucketCount: 2 });
/** The CRC field of a V0 batch header (protocol.md §5); the client's encoder writes V0. */
const V0_CRC_OFFSET = 21;

interface Stored {
  baseOffset: number;
  bytes: Uint8Array;
}

/** A V0 log batch of `ids` at `baseOffset`, as a FetchLog answer carries it. */
async function logBatch(baseOffset: number, ids: number[]): Promise<Stored> {
  const bytes = await encodeLogRecords(rowsToRecordBatch(schema, ids.map((id) => ({ id }))), { schemaId: 1 });
  // The base offset lies outside the CRC's range: the server sets it when it appends the batch.
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setBigInt64(0, BigInt(baseOffset), true);
  return { baseOffset, bytes };
}

/**
 * A cluster whose one tablet server (node 7) leads both buckets and answers
 * FetchLog from `log`, whole batches from the one holding the fetch offset
 * on; `damage` may spoil a copy of a batch on its way out.
 */
function clusterServing(log: Map<number, Stored[]>, damage: (bucketId: number, batch: Stored, copy: Uint8Array) => void): ClusterClient {
  return standInCluster({
    callCoordinator: async () => ({
      tableMetadata: [{ bucketMetadata: [0, 1].map((bucketId) => create(PbBucketMetadataSchema, { bucketId, leaderId: 7 })) }],
      partitionMetadata: [],
    }),
    callTabletServer: async (_node: number, _key: number, init: { tablesReq: { bucketsReq: { bucketId: number; fetchOffset: bigint }[] }[] }) => ({
      tablesResp: [
        {
          bucketsResp: init.tablesReq[0]!.bucketsReq.map(({ bucketId, fetchOffset }) => {
            const batches = (log.get(bucketId) ?? []).filter((b, i, all) => (all[i + 1]?.baseOffset ?? Infinity) > Number(fetchOffset));
            const copies = batches.map((b) => {
              const copy = b.bytes.slice();
              damage(bucketId, b, copy);
              return copy;
            });
            const records = new Uint8Array(copies.reduce((n, c) => n + c.length, 0));
            let at = 0;
            for (const copy of copies) {
              records.set(copy, at);
              at += copy.length;
            }
            return create(PbFetchLogRespForBucketSchema, { bucketId, records, highWatermark: 10n });
          }),
        },
      ],
    }),
  });
}

async function twoBucketLog(): Promise<Map<number, Stored[]>> {
  return new Map([
    [0, [await logBatch(0, [0, 1, 2, 3, 4]), await logBatch(5, [5, 6, 7, 8, 9])]],
    [1, [await logBatch(0, [100, 101, 102, 103, 104]), await logBatch(5, [105, 106, 107, 108, 109])]],
  ]);
}

/** Polls until every id arrived (at most 12 polls): ids per bucket in arrival order, and the errors met. */
async function drain(scanner: LogScanner, wanted: number, repairAfterErrors: () => void): Promise<{ ids: Map<number, number[]>; errors: FlussError[] }> {
  const ids = new Map<number, number[]>([
    [0, []],
    [1, []],
  ]);
  const errors: FlussError[] = [];
  for (let poll = 0; poll < 12 && [...ids.values()].flat().length < wanted; poll++) {
    try {
      const records = await scanner.poll(50);
      for (const bucket of records.buckets()) for (const record of records.records(bucket)) ids.get(bucket.bucketId)!.push(record.row.id as number);
    } catch (error) {
      errors.push(error as FlussError);
      repairAfterErrors();
    }
  }
  return { ids, errors };
}

/** A scanner over `cluster` with both buckets subscribed from offset 0. */
function scannerOver(cluster: ClusterClient, checkCrc: boolean): LogScanner {
  const fetcher = new LogFetcher(cluster, info, new Projection(info.schema), { maxBytes: 1 << 20, maxBytesForBucket: 1 << 20, minBytes: 1, maxWaitMs: 10, checkCrc });
  const scanner = new LogScanner(info, fetcher, new Projection(info.schema), { maxPollRecords: 500, fetchWaitMs: 10 });
  scanner.subscribeBuckets({ 0: 0, 1: 0 });
  return scanner;
}

function sortedIds(records: Iterable<{ row: Record<string, unknown> }>): number[] {
  return [...records].map((r) => r.row.id as number).sort((a, b) => a - b);
}

describe("LogScanner when one bucket of a round fails", () => {
  it("a bad CRC: the other bucket's rows and the bucket's earlier batch go out; the bad batch is read again, never skipped", async () => {
    const log = await twoBucketLog();
    let damaged = true;
    const cluster = clusterServing(log, (bucketId, batch, copy) => {
      if (damaged && bucketId === 1 && batch.baseOffset === 5) copy[V0_CRC_OFFSET]! ^= 0x01;
    });
    const scanner = scannerOver(cluster, true);

    const first = await scanner.poll(50);
    // Bucket 1's failure did not cost bucket 0's rows, nor bucket 1's intact first batch.
    expect(sortedIds(first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 101, 102, 103, 104]);
    // The next poll reports it (the server's bytes are then intact again).
    const { ids, errors } = await drain(scanner, 5, () => (damaged = false));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const error of errors) expect(error.errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
    expect(ids.get(0)).toEqual([]);
    expect(ids.get(1)).toEqual([105, 106, 107, 108, 109]);
  });

  it("a batch that cannot be decoded: the same, and the bucket's later rows wait for it", async () => {
    const log = await twoBucketLog();
    let damaged = true;
    const cluster = clusterServing(log, (bucketId, batch, copy) => {
      // The Arrow metadata length (bytes 4..7 of the payload) made impossible; with check-crc off
      // the batch passes the fetch and fails to decode.
      if (damaged && bucketId === 1 && batch.baseOffset === 5) new DataView(copy.buffer).setInt32(V0_HEADER_SIZE + 4, 0x7fffffff, true);
    });
    // A third batch after the bad one: it must not go out before the bad one reads again.
    log.get(1)!.push(await logBatch(10, [110, 111]));
    const scanner = scannerOver(cluster, false);

    const first = await scanner.poll(50);
    expect(sortedIds(first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100, 101, 102, 103, 104]);
    const { ids, errors } = await drain(scanner, 7, () => (damaged = false));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const error of errors) {
      expect(error.errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
      expect(error.message).toContain("offset 5");
    }
    expect(ids.get(0)).toEqual([]);
    expect(ids.get(1)).toEqual([105, 106, 107, 108, 109, 110, 111]);
  });

  it("forgets a failure held back for the next poll once its bucket is unsubscribed", async () => {
    const log = await twoBucketLog();
    const cluster = clusterServing(log, (bucketId, batch, copy) => {
      if (bucketId === 1 && batch.baseOffset === 5) copy[V0_CRC_OFFSET]! ^= 0x01;
    });
    const scanner = scannerOver(cluster, true);
    expect((await scanner.poll(50)).count()).toBe(15);
    scanner.unsubscribe(1);
    // Bucket 0 has nothing more: an empty poll, not bucket 1's failure.
    expect((await scanner.poll(50)).isEmpty()).toBe(true);
    // Subscribed again at the bad batch, the bucket fails again: nothing was skipped.
    scanner.subscribe(1, 5);
    await expect(scanner.poll(50)).rejects.toMatchObject({ errorCode: ErrorCode.CORRUPT_RECORD_EXCEPTION });
  });
});
