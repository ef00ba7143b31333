/**
 * Primary-key table driver for fluss-edge, one phase per process, run by
 * bench/kv-throughput.ts like the Java and Python drivers in bench/peers/:
 *
 *   node --import tsx bench/edge-kv-bench.ts --bootstrap 127.0.0.1:9123 | --gateway ws://… \
 *     --database db --table t --rows N --phase upsert|lookup|latency [--lookups M] [--chunk C] [--conf key=value]...
 *
 * The table is the one of bench/kv-bench-schema.ts, holding rows 0..N-1 for the lookup phases.
 * Each phase is timed from its first client call to its last (connecting, opening the table and
 * creating the writer or lookuper are not):
 *   upsert   row i as a JS object built in the loop; `await writer.ready()` then
 *            `writer.upsert(row)` per row (the documented producer loop), then one `flush()`.
 *   lookup   M keys in chunks of C: `Promise.all` over a chunk's `lookuper.lookup({ id })`
 *            (one Lookuper; lookups made together share requests), then the next chunk.
 *   latency  M keys one after the other: `await lookuper.lookup({ id })`, each timed.
 * Every lookup's row is checked (found, with its key's name). Prints one JSON line on stdout:
 * a KvPhaseResult (bench/kv-bench-schema.ts).
 */
import { parseArgs } from "node:util";
import { FlussConnection, type FlussTable, type Lookuper, type Row, TablePath } from "@fluss-edge/client";
import { DRIVER_OPTIONS, driverConfig, type Elapsed, runDriver, startClock } from "./edge-driver.js";
import { kvName, type KvPhaseResult, kvRow, lookupKey } from "./kv-bench-schema.js";

const { values: args } = parseArgs({
  options: { ...DRIVER_OPTIONS, lookups: { type: "string" }, chunk: { type: "string" } },
});

function result(operations: number, { ms, cpuMs }: Elapsed, api: string, extra: Partial<KvPhaseResult> = {}): KvPhaseResult {
  const seconds = ms / 1000;
  return { operations, seconds: Number(seconds.toFixed(4)), cpuMs, perSec: Number((operations / seconds).toFixed(1)), api, ...extra };
}

/** A lookup's row must be there and be its key's: a benchmark that finds nothing must not look fast. */
function check(row: Row | null, key: number): void {
  if (row === null) throw new Error(`lookup of key ${key} found no row`);
  if (row.name !== kvName(key)) throw new Error(`lookup of key ${key} found name ${String(row.name)}, expected ${kvName(key)}`);
}

async function upsert(table: FlussTable, rows: number): Promise<KvPhaseResult> {
  const writer = table.newUpsert().createWriter();
  const clock = startClock();
  for (let i = 0; i < rows; i++) {
    await writer.ready();
    writer.upsert(kvRow(i));
  }
  await writer.flush();
  const elapsed = clock.stop();
  await writer.close();
  return result(rows, elapsed, "await ready() + upsert(object) per row + one flush()");
}

async function lookups(lookuper: Lookuper, rows: number, lookupCount: number, chunk: number): Promise<KvPhaseResult> {
  const clock = startClock();
  for (let start = 0; start < lookupCount; start += chunk) {
    const js = Array.from({ length: Math.min(chunk, lookupCount - start) }, (_, k) => start + k);
    // Every lookup of the chunk is made in this turn of the event loop, so they share requests.
    await Promise.all(
      js.map(async (j) => {
        const key = lookupKey(j, rows);
        check(await lookuper.lookup({ id: key }), key);
      }),
    );
  }
  const elapsed = clock.stop();
  return result(lookupCount, elapsed, `Promise.all over chunks of ${chunk} lookup({ id }) (one Lookuper)`, { checked: lookupCount });
}

async function latency(lookuper: Lookuper, rows: number, lookupCount: number): Promise<KvPhaseResult> {
  const latenciesMs: number[] = [];
  const clock = startClock();
  for (let j = 0; j < lookupCount; j++) {
    const key = lookupKey(j, rows);
    const t0 = performance.now();
    const row = await lookuper.lookup({ id: key });
    latenciesMs.push(Number((performance.now() - t0).toFixed(3)));
    check(row, key);
  }
  const elapsed = clock.stop();
  return result(lookupCount, elapsed, "await lookup({ id }) one after the other (one Lookuper)", { checked: lookupCount, latenciesMs });
}

async function main(): Promise<KvPhaseResult> {
  const rows = Number(args.rows);
  const lookupCount = Number(args.lookups ?? 0);
  const chunk = Number(args.chunk ?? 1000);
  if (!args.database || !args.table || !(rows > 0) || (!args.bootstrap && !args.gateway) || !(chunk > 0)) {
    throw new Error("usage: edge-kv-bench.ts --bootstrap h:p | --gateway url --database d --table t --rows N --phase upsert|lookup|latency [--lookups M] [--chunk C]");
  }
  const conn = await FlussConnection.create(driverConfig(args));
  try {
    const table = await conn.getTable(new TablePath(args.database, args.table));
    if (args.phase === "upsert") return await upsert(table, rows);
    // Created off the clock, as a service creates its lookuper once.
    const lookuper = table.newLookup().createLookuper();
    if (args.phase === "lookup") return await lookups(lookuper, rows, lookupCount, chunk);
    if (args.phase === "latency") return await latency(lookuper, rows, lookupCount);
    throw new Error(`unknown --phase ${args.phase}`);
  } finally {
    await conn.close();
  }
}

await runDriver(main);
