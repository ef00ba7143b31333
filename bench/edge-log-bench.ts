/**
 * Log throughput driver for fluss-edge, one phase per process, run by
 * bench/log-throughput.ts like the Java and Python drivers in bench/peers/:
 *
 *   node --import tsx bench/edge-log-bench.ts --bootstrap 127.0.0.1:9123 | --gateway ws://… \
 *     --database db --table t --rows N --phase append|scan --api rows|arrow [--conf key=value]...
 *
 * Each phase is timed from its first client call to its last (connecting and
 * opening the table are not):
 *   append, api rows   row i as a JS object built in the loop; `await writer.ready()`
 *                      then `writer.append(row)` per row (the documented producer
 *                      loop), then one `flush()`.
 *   append, api arrow  the rows as Arrow RecordBatches of BENCH_ARROW_BATCH_ROWS rows
 *                      (default 100 000), built before the clock starts;
 *                      `writeArrowBatch` each, then one `flush()`.
 *   scan, api arrow    `createRecordBatchLogScanner()`, every bucket from the earliest
 *                      offset, `pollRecordBatch(100)` until N rows (zero-copy Arrow);
 *                      ids summed from the id column.
 *   scan, api rows     `createLogScanner()`, `poll(100)` until N records (row objects);
 *                      each row's id summed.
 * With --passes N the phase runs N times in the process and the last is reported (a
 * long-lived process: JIT-compiled code, warm codecs), as with the Python driver's option.
 * With BENCH_PHASE_PROFILE=<file>, a V8 CPU profile of the timed phase alone (not of
 * start-up or input preparation) is written there (summarise it with bench/profile-summary.mjs).
 * With BENCH_THREAD_CPU=1 (Linux), the result also says how the reported pass's CPU time split
 * between the JS thread, the codec workers and the other threads (bench/thread-cpu.ts).
 * Prints one JSON line on stdout: {"rows", "seconds", "cpuMs", "rowsPerSec", "mbPerSec", "api", "idSum"?, "threadCpuMs"?}.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { EARLIEST_OFFSET, FlussConnection, type FlussTable, rowsToRecordBatch, TablePath } from "@fluss-edge/client";
import { DRIVER_OPTIONS, driverConfig, type Elapsed, type PhaseClock, runDriver, startClock } from "./edge-driver.js";
import { BYTES_PER_ROW, benchRow, type BenchRow, type PhaseResult } from "./log-bench-schema.js";
import { newThreads, splitThreadCpu, threadCpuNanos, type ThreadCpuSplit } from "./thread-cpu.js";

const SCAN_TIMEOUT_MS = 600_000;

type RecordBatch = ReturnType<typeof rowsToRecordBatch>;

const { values: args } = parseArgs({
  options: { ...DRIVER_OPTIONS, passes: { type: "string" }, api: { type: "string" } },
});

function result(rows: number, { ms, cpuMs }: Elapsed, api: string, idSum?: bigint): PhaseResult {
  const seconds = ms / 1000;
  return {
    rows,
    seconds: Number(seconds.toFixed(4)),
    cpuMs,
    rowsPerSec: Number((rows / seconds).toFixed(1)),
    mbPerSec: Number(((rows * BYTES_PER_ROW) / 1e6 / seconds).toFixed(3)),
    api,
    ...(idSum === undefined ? {} : { idSum: idSum.toString() }),
  };
}

async function appendRows(table: FlussTable, rows: number): Promise<PhaseResult> {
  const writer = table.newAppend().createWriter();
  const clock = await clockStarts();
  for (let i = 0; i < rows; i++) {
    await writer.ready();
    writer.append(benchRow(i));
  }
  await writer.flush();
  const elapsed = clock.stop();
  await writer.close();
  return result(rows, elapsed, "await ready() + append(object) per row + one flush()");
}

async function appendArrow(table: FlussTable, rows: number): Promise<PhaseResult> {
  const batchRows = Number(process.env.BENCH_ARROW_BATCH_ROWS ?? 100_000);
  const schema = table.getTableInfo().schema;
  // Created first, as a service creates its writer at start-up: the codec's encoder loads meanwhile.
  const writer = table.newAppend().createWriter();
  // The input, prepared off the clock (a user bulk-loading already holds Arrow data).
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const chunk: BenchRow[] = [];
    for (let i = start; i < Math.min(rows, start + batchRows); i++) chunk.push(benchRow(i));
    batches.push(rowsToRecordBatch(schema, chunk));
  }
  const clock = await clockStarts();
  for (const batch of batches) await writer.writeArrowBatch(batch);
  await writer.flush();
  const elapsed = clock.stop();
  await writer.close();
  return result(rows, elapsed, `writeArrowBatch(RecordBatch) per ${batchRows} rows (prepared beforehand) + one flush()`);
}

function subscribeAll(table: FlussTable, scanner: { subscribe(bucket: number, offset: number): void }): void {
  for (let b = 0; b < table.getTableInfo().numBuckets; b++) scanner.subscribe(b, EARLIEST_OFFSET);
}

/**
 * The sum of the first `n` ids, the scan's check that no row was lost or repeated. It times the
 * consumer, not the client, so it is kept cheap, like pyfluss's native `pyarrow.compute.sum`:
 * ids < 2^53, so a Number sum is exact; the ids are read as 32-bit halves (each element read from
 * a BigInt64Array allocates a BigInt); and the loop is a function of its own, which V8 compiles
 * after a few batches. Inline in the async polling loop, in a fresh process, it cost 17–23 ms of
 * a 0.2 s scan (against 6–10 ms here).
 */
function sumOfIds(ids: BigInt64Array, n: number): number {
  const halves = new Int32Array(ids.buffer, ids.byteOffset, ids.length * 2);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += halves[2 * k + 1]! * 4294967296 + (halves[2 * k]! >>> 0);
  return sum;
}

async function scanArrow(table: FlussTable, rows: number): Promise<PhaseResult> {
  const clock = await clockStarts();
  const scanner = table.newScan().createRecordBatchLogScanner();
  subscribeAll(table, scanner);
  let seen = 0;
  let idSum = 0;
  while (seen < rows) {
    if (clock.ms() > SCAN_TIMEOUT_MS) throw new Error(`scan timed out after ${seen} of ${rows} rows`);
    for (const { batch } of await scanner.pollRecordBatch(100)) {
      const n = batch.numRows; // a getter that walks the children: read once
      seen += n;
      idSum += sumOfIds(batch.getChildAt(0)!.data[0]!.values as BigInt64Array, n);
    }
  }
  const elapsed = clock.stop();
  scanner.close();
  return result(seen, elapsed, "createRecordBatchLogScanner().pollRecordBatch(100 ms) (Arrow, zero-copy)", BigInt(idSum));
}

async function scanRows(table: FlussTable, rows: number): Promise<PhaseResult> {
  const clock = await clockStarts();
  const scanner = table.newScan().createLogScanner();
  subscribeAll(table, scanner);
  let seen = 0;
  let idSum = 0n;
  while (seen < rows) {
    if (clock.ms() > SCAN_TIMEOUT_MS) throw new Error(`scan timed out after ${seen} of ${rows} rows`);
    for (const record of await scanner.poll(100)) {
      idSum += record.row.id as bigint;
      seen++;
    }
  }
  const elapsed = clock.stop();
  scanner.close();
  return result(seen, elapsed, "createLogScanner().poll(100 ms) (row objects)", idSum);
}

let phaseProfile: { stop(file: string): Promise<void> } | undefined;
const THREAD_CPU = process.env.BENCH_THREAD_CPU === "1";
/** With BENCH_THREAD_CPU: the threads that appeared while the table was opened (the codec workers). */
let codecWorkerThreads = new Set<number>();
/** With BENCH_THREAD_CPU: the reported pass's split. */
let threadCpuMs: ThreadCpuSplit | undefined;
/** Only the reported (last) pass is profiled. */
let reportedPass = true;

/** Called right before each phase: starts its clock (and the profile, with BENCH_PHASE_PROFILE). */
async function clockStarts(): Promise<PhaseClock> {
  if (process.env.BENCH_PHASE_PROFILE && reportedPass) phaseProfile = await startPhaseProfile();
  const threads0 = THREAD_CPU && reportedPass ? threadCpuNanos() : undefined;
  const clock = startClock();
  return {
    ms: clock.ms,
    stop: () => {
      const elapsed = clock.stop();
      const threads1 = threads0 && threadCpuNanos();
      if (threads0 && threads1) threadCpuMs = splitThreadCpu(threads0, threads1, codecWorkerThreads);
      return elapsed;
    },
  };
}

/** Profiles from now until `stop`. */
async function startPhaseProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main(): Promise<PhaseResult> {
  const rows = Number(args.rows);
  if (!args.database || !args.table || !Number.isInteger(rows) || rows < 0 || (!args.bootstrap && !args.gateway)) {
    throw new Error("usage: edge-log-bench.ts --bootstrap h:p | --gateway url --database d --table t --rows N --phase append|scan --api rows|arrow");
  }
  const config = driverConfig(args);
  const threadsAtStart = THREAD_CPU ? threadCpuNanos() : undefined;
  const conn = await FlussConnection.create(config);
  try {
    const table = await conn.getTable(new TablePath(args.database, args.table));
    if (THREAD_CPU) codecWorkerThreads = newThreads(threadsAtStart, threadCpuNanos());
    const key = `${args.phase}/${args.api}`;
    const run =
      key === "append/rows" ? appendRows : key === "append/arrow" ? appendArrow : key === "scan/rows" ? scanRows : key === "scan/arrow" ? scanArrow : undefined;
    if (!run) throw new Error(`unknown --phase/--api ${key}`);
    // --passes N: the same phase N times in this process (JIT-compiled code, warm codecs; appends
    // add N × rows to the table); the last is reported.
    const passes = Number(args.passes ?? 1);
    if (!Number.isInteger(passes) || passes < 1) throw new Error(`--passes must be a positive integer, got ${args.passes}`);
    for (let pass = 1; pass < passes; pass++) {
      reportedPass = false;
      await run(table, rows);
    }
    reportedPass = true;
    let outcome: PhaseResult & { threadCpuMs?: ThreadCpuSplit } = await run(table, rows);
    if (passes > 1) outcome = { ...outcome, api: `${outcome.api}; pass ${passes} of one process` };
    if (threadCpuMs) outcome = { ...outcome, threadCpuMs };
    if (phaseProfile) await phaseProfile.stop(process.env.BENCH_PHASE_PROFILE!);
    return outcome;
  } finally {
    await conn.close();
  }
}

await runDriver(main);
