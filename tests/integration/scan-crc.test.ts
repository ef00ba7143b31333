/**
 * `scanner.log.check-crc` against the real cluster: the scanner verifies each
 * fetched batch's CRC-32C by default (as the Java client does) and reports a
 * mismatch as CORRUPT_RECORD_EXCEPTION; with the key off it reads the batch.
 * A real server never sends a bad CRC (it checks them on produce), so the
 * test damages the stored CRC field of the batches a real FetchLog answered,
 * between the transport and the fetcher; the rows themselves stay intact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterClient } from "../../packages/client/src/client/cluster-client.js";
import { LogFetcher } from "../../packages/client/src/client/scan/log-fetcher.js";
import { Projection } from "../../packages/client/src/client/scan/projection.js";
import { Config, DataTypes, EARLIEST_OFFSET, ErrorCode, FlussConnection, Schema, TableDescriptor, TablePath } from "../../packages/client/src/node.js";
import { TableBucket, type TableInfo } from "../../packages/client/src/metadata/index.js";
import { ApiKey } from "../../packages/client/src/wire/api-keys.js";
import { LOG_MAGIC_V1, readLogBatches } from "../../packages/client/src/wire/records/index.js";
import { connectClusterClient } from "../support/cluster-client.js";
import { createTableReady } from "../support/table-ready.js";

const DB = `edge_crc_${Date.now().toString(36)}`;
const bootstrap = () => process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";
const ROWS = 50;

/** Byte offset of the CRC field in a log batch header, per magic (protocol.md §5). */
function crcOffset(magic: number): number {
  return magic === LOG_MAGIC_V1 ? 25 : 21;
}

/** Flips one bit of every batch's stored CRC in a FetchLog records blob. */
function damageCrcs(records: Uint8Array): number {
  let damaged = 0;
  for (const batch of readLogBatches(records, { skipCrcCheck: true })) {
    batch.bytes[crcOffset(batch.magic)]! ^= 0x01;
    damaged++;
  }
  return damaged;
}

describe("scanner.log.check-crc against the real cluster", () => {
  let conn: FlussConnection;
  let cluster: ClusterClient;
  let info: TableInfo;
  let damagedBatches = 0;

  beforeAll(async () => {
    conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap() }));
    await conn.getAdmin().createDatabase(DB, { ignoreIfExists: true });
    const path = new TablePath(DB, "events");
    const schema = new Schema([
      { name: "id", type: DataTypes.int() },
      { name: "name", type: DataTypes.string() },
    ]);
    await createTableReady(conn.getAdmin(), path, new TableDescriptor(schema, { bucketCount: 1 }));
    const table = await conn.getTable(path);
    const writer = table.newAppend().createWriter();
    for (let i = 0; i < ROWS; i++) writer.append({ id: i, name: `row-${i}` });
    await writer.flush();
    await writer.close();
    info = table.getTableInfo();

    cluster = await connectClusterClient(bootstrap());
    // Every FetchLog answer passes through here on its way to the fetcher.
    const call = cluster.callTabletServer.bind(cluster);
    (cluster as { callTabletServer: typeof call }).callTabletServer = (async (nodeId, key, init) => {
      const response = await call(nodeId, key, init);
      if (key === ApiKey.FETCH_LOG) {
        const fetched = response as Awaited<ReturnType<typeof call<typeof ApiKey.FETCH_LOG>>>;
        for (const t of fetched.tablesResp) for (const b of t.bucketsResp) damagedBatches += damageCrcs(b.records);
      }
      return response;
    }) as typeof call;
  });

  afterAll(async () => {
    await conn?.getAdmin().dropDatabase(DB, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
    await cluster?.close();
    await conn?.close();
  });

  function fetcher(checkCrc: boolean): LogFetcher {
    const f = new LogFetcher(cluster, info, new Projection(info.schema), {
      maxBytes: 1 << 20,
      maxBytesForBucket: 1 << 20,
      minBytes: 1,
      maxWaitMs: 500,
      checkCrc,
    });
    f.subscribe(new TableBucket(info.tableId, 0), EARLIEST_OFFSET);
    return f;
  }

  it("is on by default, and a damaged CRC fails the fetch with CORRUPT_RECORD_EXCEPTION", async () => {
    expect(new Config({}).resolve().scannerLogCheckCrc).toBe(true);
    const before = damagedBatches;
    // The bucket's round fails at its first batch, whose offset it keeps (nothing is handed out past it).
    const round = await fetcher(true).fetchRaw(500);
    expect(round.failure).toMatchObject({ errorCode: ErrorCode.CORRUPT_RECORD_EXCEPTION });
    expect(round.failure!.message).toContain(`bucket=0`);
    expect(round.batches).toEqual([]);
    expect(damagedBatches).toBeGreaterThan(before);
  });

  it("when off (also spelled client.scanner.log.check-crc), reads the same batches intact", async () => {
    expect(new Config({ "client.scanner.log.check-crc": "false" }).resolve().scannerLogCheckCrc).toBe(false);
    const before = damagedBatches;
    const ids: number[] = [];
    const f = fetcher(false);
    for (let round = 0; round < 10 && ids.length < ROWS; round++) {
      const round = await f.fetchRaw(500);
      expect(round.failure).toBeUndefined();
      for (const raw of round.batches) {
        const batch = await f.decode(raw);
        for (const row of batch.records.getChild("id")!) ids.push(row as number);
      }
    }
    expect(damagedBatches).toBeGreaterThan(before);
    expect(ids).toEqual(Array.from({ length: ROWS }, (_, i) => i));
  });
});
