/**
 * The log scanner's polling when a fetch fails, over a stand-in fetcher (the
 * integration suites cover real fetches): one failed fetch is reported once,
 * by the poll that awaited it, and the next poll fetches afresh; and a
 * fetcher whose buckets have no leader paces its rounds.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LogScanner } from "../../../src/api/log-scanner.js";
import { LogFetcher, type FetchRound } from "../../../src/client/scan/log-fetcher.js";
import { Projection } from "../../../src/client/scan/projection.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { PbBucketMetadataSchema } from "../../../src/gen/fluss/rpc_pb.js";
import { DataTypes, Schema, TableBucket } from "../../../src/metadata/index.js";
import { tableInfo } from "../write/helpers.js";
import { standInCluster } from "../stand-in-cluster.js";

const schema = new Schema([{ name: "id", type: DataTypes.bigint() }]);

/** A round that brought nothing. */
function nothing(): FetchRound {
  return { batches: [], failure: undefined };
}

/** A fetcher whose rounds fail or return nothing, as the test scripts them. */
function scriptedFetcher(rounds: (() => Promise<FetchRound>)[]): { fetcher: LogFetcher; calls: () => number } {
  let calls = 0;
  const fetcher = {
    subscriptionCount: 1,
    subscribe: () => {},
    unsubscribe: () => {},
    isCurrent: () => true,
    fetchRaw: () => {
      const round = rounds[Math.min(calls, rounds.length - 1)]!;
      calls++;
      return round();
    },
  } as unknown as LogFetcher;
  return { fetcher, calls: () => calls };
}

describe("LogScanner after a failed fetch", () => {
  it("reports the failure once and fetches afresh on the next poll", async () => {
    const info = tableInfo(schema);
    const timeout = new FlussError("ListOffsets timed out", ErrorCode.REQUEST_TIME_OUT, { retriable: true });
    const { fetcher, calls } = scriptedFetcher([() => Promise.reject(timeout), () => Promise.resolve(nothing())]);
    const scanner = new LogScanner(info, fetcher, new Projection(info.schema), { maxPollRecords: 500, fetchWaitMs: 10 });
    scanner.subscribe(0, 0);
    await expect(scanner.poll(50)).rejects.toBe(timeout);
    expect((await scanner.poll(50)).isEmpty()).toBe(true);
    expect((await scanner.pollRecordBatch(50)).length).toBe(0);
    expect(calls()).toBeGreaterThanOrEqual(3);
  });

  it("also when the failure arrives after the poll that started the fetch gave up waiting", async () => {
    const info = tableInfo(schema);
    const lost = new FlussError("connection lost", ErrorCode.NETWORK_EXCEPTION, { retriable: true });
    const { fetcher, calls } = scriptedFetcher([
      () => new Promise((_, reject) => setTimeout(() => reject(lost), 80)),
      () => Promise.resolve(nothing()),
    ]);
    const scanner = new LogScanner(info, fetcher, new Projection(info.schema), { maxPollRecords: 500, fetchWaitMs: 10 });
    scanner.subscribe(0, 0);
    expect((await scanner.poll(20)).isEmpty()).toBe(true); // the fetch is still under way
    await expect(scanner.poll(200)).rejects.toBe(lost); // the poll that awaits it reports it
    expect((await scanner.poll(50)).isEmpty()).toBe(true);
    expect(calls()).toBeGreaterThanOrEqual(2);
  });
});

describe("LogFetcher while no subscribed bucket has a leader", () => {
  it("pauses each round instead of asking the coordinator in a tight loop", async () => {
    const info = tableInfo(schema);
    let metadataCalls = 0;
    const cluster = standInCluster({
      callCoordinator: async () => {
        metadataCalls++;
        return { tableMetadata: [{ bucketMetadata: [create(PbBucketMetadataSchema, { bucketId: 0, leaderId: -1 })] }], partitionMetadata: [] };
      },
    });
    const fetcher = new LogFetcher(cluster, info, new Projection(info.schema), { maxBytes: 1 << 20, maxBytesForBucket: 1 << 20, minBytes: 1, maxWaitMs: 500, checkCrc: true });
    fetcher.subscribe(new TableBucket(info.tableId, 0), 0);
    const started = Date.now();
    let rounds = 0;
    while (Date.now() - started < 400) {
      expect(await fetcher.fetchRaw(500)).toEqual(nothing());
      rounds++;
    }
    // About one round (and one metadata request) per 100 ms, not thousands.
    expect(rounds).toBeLessThanOrEqual(6);
    expect(metadataCalls).toBeLessThanOrEqual(6);
    expect(metadataCalls).toBeGreaterThanOrEqual(2);
  });
});

describe("LogFetcher's fetch requests", () => {
  it("let the request timeout include the wait they ask the server for", async () => {
    const info = tableInfo(schema);
    const waits: (number | undefined)[] = [];
    const cluster = standInCluster({
      callCoordinator: async () => ({
        tableMetadata: [{ bucketMetadata: [create(PbBucketMetadataSchema, { bucketId: 0, leaderId: 7 })] }],
        partitionMetadata: [],
      }),
      callTabletServer: async (_node: number, _key: number, init: { maxWaitMs: number }, serverWaitMs?: number) => {
        expect(init.maxWaitMs).toBe(serverWaitMs);
        waits.push(serverWaitMs);
        return { tablesResp: [] };
      },
    });
    const fetcher = new LogFetcher(cluster, info, new Projection(info.schema), { maxBytes: 1 << 20, maxBytesForBucket: 1 << 20, minBytes: 1, maxWaitMs: 500, checkCrc: true });
    fetcher.subscribe(new TableBucket(info.tableId, 0), 0);
    expect(await fetcher.fetchRaw(2500)).toEqual(nothing());
    expect(await fetcher.fetchRaw(0)).toEqual(nothing());
    // A wait longer than the request timeout is then neither a timeout nor taken for a silent server.
    expect(waits).toEqual([2500, 0]);
  });
});
