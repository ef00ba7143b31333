/**
 * The table of the log throughput benchmark, as fluss-edge sees it: the
 * schema and row formulas of bench/log-schema.json (shared with the Java and
 * Python drivers in bench/peers/), and the fixed per-row byte size that turns
 * rows/s into MB/s for every client alike.
 */
import { readFileSync } from "node:fs";
import { DataTypes, Schema } from "@fluss-edge/client";

interface LogSchemaFile {
  columns: { name: string; type: string }[];
  bytesPerRow: number;
}

const spec = JSON.parse(readFileSync(new URL("./log-schema.json", import.meta.url), "utf8")) as LogSchemaFile;

/** MB in every result = rows × BYTES_PER_ROW / 10^6 (uncompressed Arrow payload of a row). */
export const BYTES_PER_ROW: number = spec.bytesPerRow;

/** The 10 columns, in the order and with the types of bench/log-schema.json. */
export const BENCH_SCHEMA = new Schema([
  { name: "id", type: DataTypes.bigint() },
  { name: "i32", type: DataTypes.int() },
  { name: "i64", type: DataTypes.bigint() },
  { name: "f64", type: DataTypes.double() },
  { name: "f32", type: DataTypes.float() },
  { name: "flag", type: DataTypes.boolean() },
  { name: "s16", type: DataTypes.string() },
  { name: "s32", type: DataTypes.string() },
  { name: "ts", type: DataTypes.timestampLtz(3) },
  { name: "amount", type: DataTypes.decimal(10, 2) },
]);

// The JSON file is the contract with the other drivers: fail loudly if the two ever drift apart.
const drift = spec.columns.filter((c, i) => {
  const column = BENCH_SCHEMA.columns[i];
  return column?.name !== c.name || column.type.toString() !== c.type;
});
if (drift.length > 0 || spec.columns.length !== BENCH_SCHEMA.columns.length) {
  throw new Error(`bench/log-schema.json and bench/log-bench-schema.ts disagree on ${JSON.stringify(drift)}`);
}

/**
 * One row as the JS object a user would append (numbers where they are
 * exact, as docs/data-types.md allows). A type alias, not an interface, so it
 * is assignable to the writer's `RowInput` record type.
 */
export type BenchRow = {
  id: number;
  i32: number;
  i64: number;
  f64: number;
  f32: number;
  flag: boolean;
  s16: string;
  s32: string;
  ts: number;
  amount: number;
};

/** Row `i` by the formulas of bench/log-schema.json. */
export function benchRow(i: number): BenchRow {
  return {
    id: i,
    i32: (i * 7) % 1_000_003,
    i64: i * 1_000_003,
    f64: i * 0.5,
    f32: (i % 1000) * 0.25,
    flag: i % 3 === 0,
    s16: "s16-" + String(i).padStart(12, "0"),
    s32: "payload-" + String(i).padStart(24, "0"),
    ts: 1_700_000_000_000 + i,
    amount: (i % 10_000_000) / 100,
  };
}

/** The sum of ids 0..rows-1, which every scan checks. */
export function expectedIdSum(rows: number): bigint {
  return (BigInt(rows) * BigInt(rows - 1)) / 2n;
}

/**
 * What every driver prints for one phase (fluss-edge's, and the Java and
 * Python ones in bench/peers/, as JSON): the contract the orchestrator reads.
 */
export interface PhaseResult {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  mbPerSec: number;
  /**
   * CPU time of the client's whole process during the phase, every thread (the JS thread and
   * codec workers; Python and the Rust core's runtime; the JVM's JIT and GC), from getrusage or
   * its JVM equivalent. On a machine with few cores this, more than anything, sets the rate.
   * Absent where a driver cannot measure it (a browser page).
   */
  cpuMs?: number;
  /** What was timed, in words. */
  api: string;
  /** Scans: the sum of the ids read, checked against {@link expectedIdSum}. */
  idSum?: string;
}

/** The common head of a log benchmark's results file: when, on what, with which sizes. */
export function runHeader(run: { rows: number; buckets: number; rounds: number }): {
  date: string;
  node: string;
  rows: number;
  buckets: number;
  rounds: number;
  bytesPerRow: number;
} {
  return { date: new Date().toISOString(), node: process.version, ...run, bytesPerRow: BYTES_PER_ROW };
}

/** Each case's best result, with the rows/s of every round. */
export function bestWithRounds<R>(best: ReadonlyMap<string, R>, all: ReadonlyMap<string, number[]>): Record<string, R & { roundsRowsPerSec: number[] | undefined }> {
  return Object.fromEntries([...best].map(([label, r]) => [label, { ...r, roundsRowsPerSec: all.get(label) }]));
}
