/**
 * Primary-key table throughput and latency: fluss-edge over TCP, fluss-edge
 * through the gateway, pyfluss and the official Java client, against the same
 * local cluster in the same run.
 *
 *   bash scripts/bench.sh kv         (starts the cluster if needed)
 *
 * Env: BENCH_ROWS (default 200 000), BENCH_LOOKUPS (20 000), BENCH_LATENCY_LOOKUPS (500),
 * BENCH_LOOKUP_CHUNK (1 000), BENCH_BUCKETS (4), BENCH_ROUNDS (3), BENCH_NODE (the Node binary
 * of the fluss-edge drivers; results then go to kv-throughput-node<major>).
 *
 * Built like bench/log-throughput.ts: fluss-edge cases run the built package (dist/); every case
 * runs in its own process (bench/edge-kv-bench.ts, bench/peers/python_kv_bench.py,
 * bench/peers/JavaKvBench.java); the gateway runs as deployed, the built `fluss-gateway` command
 * in a process of its own (bench/gateway-process.ts), whose CPU is recorded for gateway cases.
 * The table is bench/kv-bench-schema.ts's (a BIGINT primary key and four value columns, the
 * default kv format). Phases, cases interleaved within a round:
 *   upsert   each client upserts BENCH_ROWS rows with distinct ids into a fresh table, then one flush;
 *   lookup   BENCH_LOOKUPS existing keys, as many in flight as the client's API allows
 *            (chunks of BENCH_LOOKUP_CHUNK), every row checked;
 *   latency  BENCH_LATENCY_LOOKUPS existing keys one after the other: p50 and p99.
 * A client's lookups read the table its own upsert case wrote in the same round: pyfluss 1.0.0
 * puts some keys in other buckets than Java and fluss-edge (docs/bucketing.md §7), so in their
 * tables its lookups would miss rows. The report gives the best of BENCH_ROUNDS rounds and the
 * medians, and the ratios fluss-edge / pyfluss, fluss-edge / Java and gateway / TCP of both.
 * Writes bench/results/kv-throughput.json and .md.
 */
import { execFileSync } from "node:child_process";
import { TableDescriptor, type TablePath } from "@fluss-edge/client";
import { openBenchSession } from "./bench-session.js";
import { KV_SCHEMA, type KvPhase, type KvPhaseResult } from "./kv-bench-schema.js";
import { CLIENTS, type Client, type KvCaseResult, type KvRuns, PHASES, writeKvReport } from "./kv-report.js";
import { EDGE_DRIVER_ENV, EDGE_NODE, lastJsonLine, run } from "./processes.js";
import { round, summarise } from "./stats.js";

const bootstrap = process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";
const settings = {
  rows: Number(process.env.BENCH_ROWS ?? 200_000),
  lookups: Number(process.env.BENCH_LOOKUPS ?? 20_000),
  latencyLookups: Number(process.env.BENCH_LATENCY_LOOKUPS ?? 500),
  lookupChunk: Number(process.env.BENCH_LOOKUP_CHUNK ?? 1000),
  buckets: Number(process.env.BENCH_BUCKETS ?? 4),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
};
const edgeNodeVersion = execFileSync(EDGE_NODE, ["--version"], { encoding: "utf8" }).trim();

/** The operations a phase's case must report. */
function expectedOperations(phase: KvPhase): number {
  return phase === "upsert" ? settings.rows : phase === "lookup" ? settings.lookups : settings.latencyLookups;
}

/** The driver's result, checked (every operation done, every lookup's row checked), with the latency percentiles. */
function checked(label: string, phase: KvPhase, result: KvPhaseResult): KvCaseResult {
  const expected = expectedOperations(phase);
  if (result.operations !== expected) throw new Error(`${label}: ${result.operations} operations, expected ${expected}`);
  if (phase !== "upsert" && result.checked !== expected) throw new Error(`${label}: ${result.checked} lookups checked, expected ${expected}`);
  const { latenciesMs, ...rest } = result;
  if (phase !== "latency") return rest;
  if (latenciesMs?.length !== expected) throw new Error(`${label}: ${latenciesMs?.length} latencies, expected ${expected}`);
  // Percentiles taken here, from every driver's raw latencies: one definition for all clients.
  const { p50Ms, p99Ms } = summarise(latenciesMs, result.seconds);
  return { ...rest, p50Ms: round(p50Ms, 3), p99Ms: round(p99Ms, 3) };
}

function logLine(r: number, phase: KvPhase, client: Client, result: KvCaseResult): string {
  const rate = `${Math.round(result.perSec).toLocaleString("en-US").padStart(9)} ${phase === "upsert" ? "rows/s   " : "lookups/s"}`;
  const latency = result.p50Ms === undefined ? "" : `  p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`;
  const gateway = result.gatewayCpuMs === undefined ? "" : `  (gateway CPU ${result.gatewayCpuMs} ms)`;
  return `[round ${r + 1}/${settings.rounds}] ${phase.padEnd(7)} ${client.padEnd(18)} ${rate}  CPU ${(result.cpuMs / 1000).toFixed(2)} s${latency}${gateway}`;
}

async function main(): Promise<void> {
  const session = await openBenchSession(bootstrap, "bench_kv");
  const { peers, gateway, admin, database } = session;

  const args = (phase: KvPhase, table: string) => [
    ...["--database", database, "--table", table, "--rows", String(settings.rows), "--phase", phase],
    ...["--lookups", String(phase === "latency" ? settings.latencyLookups : settings.lookups), "--chunk", String(settings.lookupChunk)],
  ];
  const edge = (target: string[]) => (phase: KvPhase, table: string) =>
    run(EDGE_NODE, ["--import", "tsx", "bench/edge-kv-bench.ts", ...target, ...args(phase, table)], EDGE_DRIVER_ENV);
  const drivers: Record<Client, (phase: KvPhase, table: string) => Promise<string>> = {
    Java: (phase, table) => peers.java("JavaKvBench", ["--bootstrap", bootstrap, ...args(phase, table)]),
    pyfluss: (phase, table) => peers.python("bench/peers/python_kv_bench.py", ["--bootstrap", bootstrap, ...args(phase, table)]),
    "fluss-edge TCP": edge(["--bootstrap", bootstrap]),
    "fluss-edge gateway": edge(["--gateway", gateway.url]),
  };

  const runs: KvRuns = { upsert: new Map(), lookup: new Map(), latency: new Map() };
  let tableProperties: Record<string, string> = {};
  let tableNo = 0;
  try {
    for (let r = 0; r < settings.rounds; r++) {
      // Each client's table of this round: written by its upsert case, read by its lookup cases.
      const tables = new Map<Client, TablePath>();
      for (const phase of PHASES) {
        for (const client of CLIENTS) {
          if (phase === "upsert") {
            const path = await session.createTable(`t${tableNo++}`, new TableDescriptor(KV_SCHEMA, { bucketCount: settings.buckets }));
            tables.set(client, path);
            if (tableNo === 1) tableProperties = (await admin.getTableInfo(path)).getProperties();
          }
          const label = `${phase} ${client}`;
          const gatewayCpuBefore = gateway.cpuMs();
          const result = checked(label, phase, lastJsonLine<KvPhaseResult>(await drivers[client](phase, tables.get(client)!.tableName)));
          if (client === "fluss-edge gateway") result.gatewayCpuMs = Math.round(gateway.cpuMs() - gatewayCpuBefore);
          runs[phase].set(client, [...(runs[phase].get(client) ?? []), result]);
          console.error(logLine(r, phase, client, result));
        }
      }
      // Off the clock: this round's tables are read no more (the cluster is shared; keep it small).
      for (const path of tables.values()) await admin.dropTable(path, { ignoreIfNotExists: true });
    }
  } finally {
    await session.close();
  }
  const name = "kv-throughput" + (process.env.BENCH_NODE ? `-node${edgeNodeVersion.split(".")[0]!.slice(1)}` : "");
  console.log(writeKvReport(name, { ...settings, edgeNode: edgeNodeVersion, tableProperties }, runs));
}

await main();
