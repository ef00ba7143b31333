/**
 * Cold-start driver for fluss-edge (run by bench/cold-start.ts, like
 * bench/peers/python_cold_start.py for pyfluss): in a fresh process, the time
 * of each step a short-lived client (an edge function, a CLI, a page load)
 * goes through before its first rows, from importing the client on:
 *
 *   node .cache/bench/cold-start-edge.js --bootstrap 127.0.0.1:9123 --database db --table t
 *
 * It runs as plain JavaScript (bench/cold-start.ts bundles it with esbuild,
 * the client left as an import): under tsx, whose loader every codec worker
 * thread would load too, opening a table took 80 ms longer.
 *
 *   importMs      import("@fluss-edge/client")
 *   connectMs     FlussConnection.create
 *   openMs        getTable (on Node, loading ZSTD's decoder and starting the codec workers)
 *   firstRowsMs   a record-batch scanner from the earliest offsets until its first rows
 *   firstWriteMs  createWriter, one append, flush (a batch this small does not wait for ZSTD's encoder)
 *
 * Prints one JSON line: the steps in milliseconds, `totalMs` (their sum) and
 * `cpuMs` (the process's CPU time over all of them, every thread).
 */
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { bootstrap: { type: "string" }, database: { type: "string" }, table: { type: "string" } },
});

async function main(): Promise<Record<string, number>> {
  const cpu0 = process.cpuUsage();
  const steps: Record<string, number> = {};
  let last = performance.now();
  const step = (name: string): void => {
    const now = performance.now();
    steps[name] = Number((now - last).toFixed(1));
    last = now;
  };
  const client = await import("@fluss-edge/client");
  step("importMs");
  // The row formulas (their module imports the client too, so only now), off the clock.
  const { benchRow } = await import("./log-bench-schema.js");
  last = performance.now();
  const conn = await client.FlussConnection.create(new client.Config({ "bootstrap.servers": args.bootstrap! }));
  step("connectMs");
  try {
    const table = await conn.getTable(new client.TablePath(args.database!, args.table!));
    step("openMs");
    const scanner = table.newScan().createRecordBatchLogScanner();
    for (let b = 0; b < table.getTableInfo().numBuckets; b++) scanner.subscribe(b, client.EARLIEST_OFFSET);
    let rows = 0;
    while (rows === 0) for (const { batch } of await scanner.pollRecordBatch(100)) rows += batch.numRows;
    scanner.close();
    step("firstRowsMs");
    const writer = table.newAppend().createWriter();
    writer.append(benchRow(0));
    await writer.flush();
    step("firstWriteMs");
    await writer.close();
  } finally {
    await conn.close();
  }
  const cpu = process.cpuUsage(cpu0);
  const totalMs = Object.values(steps).reduce((a, b) => a + b, 0);
  return { ...steps, totalMs: Number(totalMs.toFixed(1)), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

main().then(
  (result) => {
    console.log(JSON.stringify({ client: "fluss-edge", node: process.version, ...result }));
    process.exit(0);
  },
  (error: unknown) => {
    console.log(JSON.stringify({ error: String(error) }));
    process.exit(1);
  },
);
