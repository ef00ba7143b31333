/**
 * The results of bench/kv-throughput.ts: each case's best round and median,
 * the ratios between clients, and bench/results/<name>.json and .md (in the
 * style of log-throughput.md).
 */
import { writeFileSync } from "node:fs";
import type { KvPhase, KvPhaseResult } from "./kv-bench-schema.js";
import { median, round } from "./stats.js";

export const CLIENTS = ["Java", "pyfluss", "fluss-edge TCP", "fluss-edge gateway"] as const;
export type Client = (typeof CLIENTS)[number];
export const PHASES: readonly KvPhase[] = ["upsert", "lookup", "latency"];

/** One case's result in one round: the driver's, its latencies summarised. */
export interface KvCaseResult extends Omit<KvPhaseResult, "latenciesMs"> {
  /** The latency phase: percentiles of the driver's latencies (bench/stats.ts). */
  p50Ms?: number;
  p99Ms?: number;
  /** The gateway case: CPU ms the gateway's process used during the case. */
  gatewayCpuMs?: number;
}

/** Every round's result, by phase and client. */
export type KvRuns = Record<KvPhase, Map<Client, KvCaseResult[]>>;

export interface KvRunInfo {
  rows: number;
  lookups: number;
  latencyLookups: number;
  lookupChunk: number;
  buckets: number;
  rounds: number;
  edgeNode: string;
  tableProperties: Record<string, string>;
}

/** How fast a case was: operations/s, or for sequential lookups 1000 / p50 (one caller's lookups/s at the median). */
function speed(phase: KvPhase, r: KvCaseResult): number {
  return phase === "latency" ? 1000 / r.p50Ms! : r.perSec;
}

const RATIO_PAIRS = {
  edgeTcpToPyfluss: ["fluss-edge TCP", "pyfluss"],
  edgeTcpToJava: ["fluss-edge TCP", "Java"],
  edgeGatewayToEdgeTcp: ["fluss-edge gateway", "fluss-edge TCP"],
} as const satisfies Record<string, readonly [Client, Client]>;

const PHASE_RATIO_NAMES: Record<KvPhase, string> = {
  upsert: "upsert rows/s",
  lookup: "lookups/s in flight",
  latency: "sequential lookups (inverse p50)",
};

export function writeKvReport(name: string, info: KvRunInfo, runs: KvRuns): string {
  const rounds = (phase: KvPhase, client: Client) => runs[phase].get(client)!;
  const best = (phase: KvPhase, client: Client) => rounds(phase, client).reduce((a, b) => (speed(phase, b) > speed(phase, a) ? b : a));
  const medianSpeed = (phase: KvPhase, client: Client) => median(rounds(phase, client).map((r) => speed(phase, r)));
  const ratiosBy = (stat: (phase: KvPhase, client: Client) => number) =>
    Object.fromEntries(
      Object.entries(RATIO_PAIRS).map(([pair, [a, b]]) => [pair, Object.fromEntries(PHASES.map((p) => [PHASE_RATIO_NAMES[p], round(stat(p, a) / stat(p, b), 3)]))]),
    );
  const ratios = ratiosBy((p, c) => speed(p, best(p, c)));
  const medianRatios = ratiosBy(medianSpeed);
  const cpu = (phase: KvPhase, client: Client) => best(phase, client).cpuMs + (best(phase, client).gatewayCpuMs ?? 0);
  const cpuRatios = Object.fromEntries(
    (["upsert", "lookup"] as const).flatMap((phase) =>
      CLIENTS.filter((c) => c !== "fluss-edge TCP").map((c) => [`${phase}: ${c} / fluss-edge TCP`, round(cpu(phase, c) / cpu(phase, "fluss-edge TCP"), 3)]),
    ),
  );
  const date = new Date().toISOString();
  const results = Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      Object.fromEntries(
        CLIENTS.map((c) => [
          c,
          {
            ...best(phase, c),
            roundsPerSec: rounds(phase, c).map((r) => r.perSec),
            ...(phase === "latency" ? { roundsP50Ms: rounds(phase, c).map((r) => r.p50Ms), roundsP99Ms: rounds(phase, c).map((r) => r.p99Ms) } : {}),
          },
        ]),
      ),
    ]),
  );
  const json = { benchmark: "primary-key tables: upsert, lookups in flight, sequential lookups; same cluster, same run", date, node: process.version, ...info, results, ratios, medianRatios, cpuRatios };
  writeFileSync(new URL(`./results/${name}.json`, import.meta.url), JSON.stringify(json, null, 2) + "\n");

  const n = (v: number) => Math.round(v).toLocaleString("en-US");
  const gatewayNote = (r: KvCaseResult) => (r.gatewayCpuMs === undefined ? "" : ` (gateway process: ${r.gatewayCpuMs} ms CPU)`);
  const rateRow = (phase: KvPhase) => (c: Client) => {
    const r = best(phase, c);
    return `| ${c} | ${n(r.perSec)} | ${n(medianSpeed(phase, c))} | ${r.seconds.toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ${r.api}${gatewayNote(r)} |`;
  };
  const latencyRow = (c: Client) => {
    const r = best("latency", c);
    const medianP50 = median(rounds("latency", c).map((x) => x.p50Ms!));
    return `| ${c} | ${r.p50Ms!.toFixed(2)} | ${r.p99Ms!.toFixed(2)} | ${medianP50.toFixed(2)} | ${n(r.perSec)} | ${(r.cpuMs / 1000).toFixed(2)} | ${r.api}${gatewayNote(r)} |`;
  };
  const ratioLines = (groups: Record<string, Record<string, number>>) =>
    Object.entries(groups).map(([group, entries]) => `- **${group}**: ` + Object.entries(entries).map(([k, v]) => `${k} = ${v}`).join("; "));
  const md = [
    `# Primary-key tables: fluss-edge (TCP, gateway), pyfluss, Java (${date})`,
    "",
    `A primary-key table of bench/kv-bench-schema.ts (BIGINT primary key, STRING, DOUBLE, TIMESTAMP_LTZ(3), INT), ${info.buckets} buckets, ` +
      `kv format ${info.tableProperties["table.kv.format"] ?? "COMPACTED (the default: the table sets none)"}; best of ${info.rounds} round(s) (tables), ` +
      "ratios of the best rounds and of the medians; " +
      `fluss-edge on Node ${info.edgeNode}; one local Fluss 0.9.1 cluster (1 tablet server) on the same 2-core machine. ` +
      "Each case is its own process; the gateway runs as deployed, the built fluss-gateway command in a process of its own on the same Node. " +
      "Each client upserts into a fresh table of its own and its lookups read that table (pyfluss 1.0.0 puts some keys in other buckets " +
      "than Java and fluss-edge, docs/bucketing.md §7, so its lookups would miss rows in their tables). Every lookup's row is checked " +
      "(found, with its key's name). Writers and lookupers are created before the clock starts. " +
      "CPU s: the CPU time of the client's whole process during the timed phase, every thread (getrusage; the JVM's process CPU time), in the best round.",
    "",
    `## Upsert (${n(info.rows)} rows with distinct ids, then one flush)`,
    "",
    "| client | rows/s | median rows/s | s | CPU s | what is timed |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...CLIENTS.map(rateRow("upsert")),
    "",
    `## Lookups in flight (${n(info.lookups)} existing keys, chunks of ${n(info.lookupChunk)})`,
    "",
    "fluss-edge and Java look a chunk's keys up on one Lookuper at once and wait for all. pyfluss 1.0.0 serves one Lookuper's " +
      "lookups one at a time, each waiting out its lookup batch timeout (about 100 ms: asyncio.gather of 20 lookups on one Lookuper " +
      "took 2.0 s), so its case gives each lookup of a chunk a Lookuper of its own (they share the connection's lookup client, " +
      "which batches their keys together), what its API allows for lookups in flight.",
    "",
    "| client | lookups/s | median lookups/s | s | CPU s | what is timed |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...CLIENTS.map(rateRow("lookup")),
    "",
    `## Sequential lookups (${n(info.latencyLookups)} existing keys, one after the other)`,
    "",
    "Best round: the lowest p50. Percentiles of every driver's own per-lookup times, taken the same way for all (bench/stats.ts). " +
      "All clients run with their default settings. Java and pyfluss hold a lookup until their lookup batch fills or its timeout passes " +
      "(Java: client.lookup.batch-timeout, default 100 ms; pyfluss has no setting for it), so a lookup made alone waits about that long; " +
      "fluss-edge sends the lookups made in one turn of the event loop at once, without a timer.",
    "",
    "| client | p50 ms | p99 ms | median p50 ms | lookups/s | CPU s | what is timed |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...CLIENTS.map(latencyRow),
    "",
    "## Ratios (best rounds)",
    "",
    "Rates of the first named over the second (sequential lookups: the second's p50 over the first's); above 1 favours the first.",
    "",
    ...ratioLines(ratios),
    "",
    "## Ratios (medians)",
    "",
    ...ratioLines(medianRatios),
    "",
    "## CPU time (best rounds)",
    "",
    "Each client's CPU time over fluss-edge TCP's for the same work (above 1: it needed more than fluss-edge over TCP); " +
      "the gateway case counts the client's and the gateway's processes.",
    "",
    ...Object.entries(cpuRatios).map(([k, v]) => `- ${k} = ${v}`),
    "",
  ].join("\n");
  writeFileSync(new URL(`./results/${name}.md`, import.meta.url), md);
  return md;
}
