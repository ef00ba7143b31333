/**
 * A writer's first moments while its codec is prepared for compression
 * (client/write/record-accumulator.ts, UNCOMPRESSED_WHILE_LOADING_MAX_BYTES):
 * a small batch goes out at once, encoded with the codec's synchronous
 * `compress`; where that cannot compress, its buffers are stored
 * uncompressed inside the table's ZSTD framing. A larger batch waits and is
 * compressed. In Node the JS thread's WebAssembly codec compresses the small
 * batch; this file (a process of its own) registers Node's ZSTD with its
 * synchronous `compress` refusing, as where a thread has no encoder
 * (workerd without its module), so that both kinds of batch are written.
 * Against the real cluster:
 * - the server keeps both as sent (a raw FetchLog shows them);
 * - the server's own projection, which rewrites a batch's Arrow metadata
 *   with the table's compression (Fluss 0.9.1 FileLogProjection), still
 *   yields batches fluss-edge reads right;
 * - the Java client and pyfluss (rows and Arrow) read every row back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterClient } from "../../packages/client/src/client/cluster-client.js";
import { Config, DataTypes, FlussConnection, rowsToRecordBatch, Schema, TableDescriptor, TablePath, type TableInfo } from "../../packages/client/src/node.js";
import { uniqueName } from "../integration/targets.js";
import { connectClusterClient } from "../support/cluster-client.js";
import { fetchRawLogBatches } from "../support/raw-log-batches.js";
import { createTableReady } from "../support/table-ready.js";
import { ensurePeersReady, type ProbeRecord, runJavaProbe, runPythonProbe } from "./peers.js";
import { loadZstdForNode } from "../../packages/client/src/node/zstd-for-node.js";
import { registerCodecProvider } from "../../packages/client/src/wire/records/compression/codec.js";

// Node's ZSTD (codec workers included), its synchronous compress refusing: see the file's comment.
registerCodecProvider("ZSTD", async () => ({ ...(await loadZstdForNode()), compress: () => null }));

const DB = uniqueName("encoder_loading");
const bootstrap = () => process.env.FLUSS_BOOTSTRAP_SERVERS!;
const schema = new Schema([
  { name: "id", type: DataTypes.int() },
  { name: "name", type: DataTypes.string() },
  { name: "score", type: DataTypes.double() },
]);
/** Rows of the first, small batch; then enough rows for a batch well above 64 KiB. */
const FIRST = 3;
const BULK = 4_000;
const row = (i: number) => ({ id: i, name: `name-${i}-${"n".repeat(i % 17)}`, score: i / 4 });

describe("the first batches of a writer whose thread cannot compress while its codec workers prepare", () => {
  let conn: FlussConnection;
  let cluster: ClusterClient;
  let info: TableInfo;

  beforeAll(async () => {
    await ensurePeersReady();
    conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap() }));
    await conn.getAdmin().createDatabase(DB);
    const path = new TablePath(DB, "events");
    await createTableReady(conn.getAdmin(), path, new TableDescriptor(schema, { bucketCount: 1, properties: { "table.log.arrow.compression.type": "ZSTD" } }));
    const table = await conn.getTable(path);
    info = table.getTableInfo();
    const writer = table.newAppend().createWriter();
    for (let i = 0; i < FIRST; i++) writer.append(row(i));
    await writer.flush();
    await writer.writeArrowBatch(rowsToRecordBatch(schema, Array.from({ length: BULK }, (_, i) => row(FIRST + i))));
    await writer.close();
    cluster = await connectClusterClient(bootstrap());
  }, 300_000);

  afterAll(async () => {
    await conn?.getAdmin().dropDatabase(DB, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
    await cluster?.close();
    await conn?.close();
  });

  const fetchAll = (columns: number[] | null) => fetchRawLogBatches(cluster, info, FIRST + BULK, columns);

  it("are stored as sent: the small first one in ZSTD framing with every buffer uncompressed, the bulk one compressed", async () => {
    const batches = await fetchAll(null);
    expect(batches.map((b) => b.storage)).toEqual([
      { codec: "ZSTD", allBuffersRaw: true },
      { codec: "ZSTD", allBuffersRaw: false },
    ]);
    expect(batches.map((b) => b.records.numRows)).toEqual([FIRST, BULK]);
  });

  it("read right through the server's projection, which gives every batch the table's compression", async () => {
    const batches = await fetchAll([2, 0]); // score, id
    expect(batches.map((b) => b.storage.codec)).toEqual(["ZSTD", "ZSTD"]);
    const ids = batches.flatMap((b) => [...b.records.getChild("id")!]);
    const scores = batches.flatMap((b) => [...b.records.getChild("score")!]);
    expect(ids).toEqual(Array.from({ length: FIRST + BULK }, (_, i) => i));
    expect(scores).toEqual(Array.from({ length: FIRST + BULK }, (_, i) => i / 4));
  });

  it("read back row for row by the Java client and by pyfluss (rows and Arrow)", async () => {
    const arg = { database: DB, table: "events", expected: FIRST + BULK };
    const expected = Array.from({ length: FIRST + BULK }, (_, offset) => ({ bucket: 0, offset, changeType: "+A", row: Object.values(row(offset)) }));
    expect(await runJavaProbe<ProbeRecord[]>("scan-rows", arg)).toEqual(expected);
    expect(await runPythonProbe<ProbeRecord[]>("scan-rows", { ...arg, api: "rows" })).toEqual(expected);
    expect(await runPythonProbe<ProbeRecord[]>("scan-rows", { ...arg, api: "arrow" })).toEqual(expected);
  });
});
