/**
 * Run by built-package.test.ts in a plain Node process (no tsx, no test
 * aliases), so that "@fluss-edge/client" resolves as an installed package
 * does: to its bundled Node build (dist/bundle/). Prints one JSON line.
 *
 *   node tests/integration/built-package-probe.mjs <bootstrap> <database>
 */
import { readdirSync } from "node:fs";
import * as client from "@fluss-edge/client";
import * as internal from "@fluss-edge/client/internal";
import * as wire from "@fluss-edge/client/wire";

const [bootstrap, database] = process.argv.slice(2);
const { Config, DataTypes, EARLIEST_OFFSET, FlussConnection, FlussError, Schema, TableDescriptor, TablePath } = client;

/** Threads of this process (Linux): codec workers are threads of their own. */
const threadCount = () => readdirSync("/proc/self/task").length;

const resolved = {
  client: import.meta.resolve("@fluss-edge/client"),
  wire: import.meta.resolve("@fluss-edge/client/wire"),
  internal: import.meta.resolve("@fluss-edge/client/internal"),
};
// One module graph across the entries: an error the wire layer makes is the client's FlussError.
const oneFlussError = wire.FlussError === FlussError && new wire.FlussError("probe", wire.ErrorCode.CLIENT_ERROR) instanceof FlussError;
const internalLoaded = typeof internal.ClusterClient === "function";

const conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap }));
const admin = conn.getAdmin();
await admin.createDatabase(database, { ignoreIfExists: true });
const path = new TablePath(database, "zstd_events");
const schema = new Schema([
  { name: "id", type: DataTypes.bigint() },
  { name: "text", type: DataTypes.string() },
]);
// ZSTD, Fluss's default log compression: opening the table starts the codec workers.
await admin.createTable(path, new TableDescriptor(schema, { bucketCount: 2 }), { ignoreIfExists: true });
const threadsBefore = threadCount();
const table = await conn.getTable(path);
const codecThreads = threadCount() - threadsBefore;

const rows = 20_000;
const writer = table.newAppend().createWriter();
for (let i = 0; i < rows; i++) writer.append({ id: BigInt(i), text: `row ${i} ${"x".repeat(i % 50)}` });
await writer.flush();
await writer.close();

const scanner = table.newScan().createRecordBatchLogScanner();
scanner.subscribeBuckets({ 0: EARLIEST_OFFSET, 1: EARLIEST_OFFSET });
let seen = 0;
let idSum = 0n;
for (let polls = 0; seen < rows && polls < 200; polls++) {
  for (const { batch } of await scanner.pollRecordBatch(500)) {
    seen += batch.numRows;
    for (const id of batch.getChild("id")) idSum += id;
  }
}
scanner.close();
await admin.dropDatabase(database, { ignoreIfNotExists: true, cascade: true });
await conn.close();

console.log(JSON.stringify({ resolved, oneFlussError, internalLoaded, codecThreads, seen, idSum: idSum.toString() }));
