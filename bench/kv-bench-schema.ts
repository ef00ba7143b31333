/**
 * The primary-key table of the KV benchmark (bench/kv-throughput.ts), the
 * rows every driver upserts and the keys every driver looks up. The peers'
 * drivers (bench/peers/python_kv_bench.py, bench/peers/JavaKvBench.java)
 * follow the same formulas, so that all clients write the same rows and ask
 * for the same keys. Row i (0-based):
 *
 *   id     BIGINT NOT NULL    i (the primary key)
 *   name   STRING             "name-" + i as 12 zero-padded decimal digits (17 ASCII chars)
 *   score  DOUBLE             i * 0.5
 *   ts     TIMESTAMP_LTZ(3)   epoch milliseconds 1700000000000 + i
 *   qty    INT                (i * 7) mod 1000003
 *
 * Lookup j (0-based) asks for key (j * LOOKUP_KEY_STRIDE) mod rows: every key
 * exists, and the keys are spread over the table rather than in insertion
 * order (distinct while j < rows, as the stride is a prime that does not
 * divide the benchmark's row counts). Every lookup's row is checked: found,
 * with the `name` of its key, so that a lookup that finds nothing (a wrong
 * bucket, an empty table) fails the case instead of looking fast.
 */
import { DataTypes, Schema } from "@fluss-edge/client";

export const KV_SCHEMA = new Schema(
  [
    { name: "id", type: DataTypes.bigint().notNull() },
    { name: "name", type: DataTypes.string() },
    { name: "score", type: DataTypes.double() },
    { name: "ts", type: DataTypes.timestampLtz(3) },
    { name: "qty", type: DataTypes.int() },
  ],
  { primaryKeys: ["id"] },
);

export const LOOKUP_KEY_STRIDE = 7919;

/** Row `i` as the JS object a user would upsert (numbers where they are exact, as docs/data-types.md allows). */
export type KvRow = { id: number; name: string; score: number; ts: number; qty: number };

export function kvRow(i: number): KvRow {
  return { id: i, name: kvName(i), score: i * 0.5, ts: 1_700_000_000_000 + i, qty: (i * 7) % 1_000_003 };
}

/** The `name` of row `i`: what every lookup checks. */
export function kvName(i: number): string {
  return "name-" + String(i).padStart(12, "0");
}

/** The key lookup `j` asks for, in a table of `rows` rows. */
export function lookupKey(j: number, rows: number): number {
  return (j * LOOKUP_KEY_STRIDE) % rows;
}

export type KvPhase = "upsert" | "lookup" | "latency";

/**
 * What every KV driver prints for one phase (as ONE JSON line): the contract
 * bench/kv-throughput.ts reads.
 */
export interface KvPhaseResult {
  /** Rows upserted, or keys looked up. */
  operations: number;
  seconds: number;
  /** CPU time of the driver's whole process during the phase, every thread (getrusage; the JVM's process CPU time). */
  cpuMs: number;
  /** operations / seconds. */
  perSec: number;
  /** What was timed, in words. */
  api: string;
  /** Lookup phases: how many lookups found their row with the expected name (all, or the driver fails). */
  checked?: number;
  /** The latency phase: each lookup's time, in order (the orchestrator takes the percentiles, the same way for every client). */
  latenciesMs?: number[];
}
