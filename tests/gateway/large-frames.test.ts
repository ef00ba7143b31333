/**
 * Large responses through the gateway, whose frames are assembled in pooled,
 * reused buffers and relayed as one WebSocket message each: two scanners
 * read an uncompressed table (fetch responses of about 1 MiB per bucket)
 * through one gateway at the same time, and every value of every row
 * arrives exactly as written. A buffer reused while still being sent, or a
 * head written over another frame's bytes, would show here as a wrong value.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config, DataTypes, EARLIEST_OFFSET, FlussConnection, Schema, TableDescriptor, TablePath } from "../../packages/client/src/node.js";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { createTableReady } from "../support/table-ready.js";

const { plain } = clusterAddresses();
const DB = `edge_gw_frames_${Date.now().toString(36)}`;
const ROWS = 60_000;
const BUCKETS = 3;
const payloadOf = (id: number) => `row-${id}-`.padEnd(64 + (id % 97), String.fromCharCode(97 + (id % 26)));

let gateway: RunningGateway;
let direct: FlussConnection;
const path = new TablePath(DB, "wide");

beforeAll(async () => {
  gateway = await startGateway({ bootstrapServers: plain, port: 0, logger: silentLogger });
  direct = await FlussConnection.create(new Config({ "bootstrap.servers": plain }));
  await direct.getAdmin().createDatabase(DB, { ignoreIfExists: true });
  const schema = new Schema([
    { name: "id", type: DataTypes.int() },
    { name: "payload", type: DataTypes.string() },
  ]);
  await createTableReady(
    direct.getAdmin(),
    path,
    new TableDescriptor(schema, { bucketCount: BUCKETS, properties: { "table.log.arrow.compression.type": "NONE" } }),
  );
  const writer = (await direct.getTable(path)).newAppend().createWriter();
  for (let id = 0; id < ROWS; id++) {
    await writer.ready();
    writer.append({ id, payload: payloadOf(id) });
  }
  await writer.flush();
  await writer.close();
});

afterAll(async () => {
  await direct?.getAdmin().dropDatabase(DB, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
  await direct?.close();
  await gateway?.close();
});

async function scanAll(conn: FlussConnection): Promise<number> {
  const scanner = (await conn.getTable(path)).newScan().createRecordBatchLogScanner();
  for (let b = 0; b < BUCKETS; b++) scanner.subscribe(b, EARLIEST_OFFSET);
  const seen = new Set<number>();
  let wrong = 0;
  const deadline = Date.now() + 60_000;
  while (seen.size < ROWS && Date.now() < deadline) {
    for (const { batch } of await scanner.pollRecordBatch(500)) {
      const ids = batch.getChild("id")!;
      const payloads = batch.getChild("payload")!;
      for (let i = 0; i < batch.numRows; i++) {
        const id = ids.get(i) as number;
        if (payloads.get(i) !== payloadOf(id) || seen.has(id)) wrong++;
        seen.add(id);
      }
    }
  }
  scanner.close();
  expect(wrong).toBe(0);
  return seen.size;
}

describe("large frames through the gateway", () => {
  it("two concurrent scans of ~1 MiB fetch responses read every value exactly", async () => {
    const conns = await Promise.all([0, 1].map(() => FlussConnection.create(new Config({ "gateway.url": gateway.url }))));
    try {
      expect(await Promise.all(conns.map(scanAll))).toEqual([ROWS, ROWS]);
    } finally {
      await Promise.all(conns.map((c) => c.close()));
    }
  });
});
