/**
 * Admin round trips per second and p50/p99 latency, direct TCP vs through the
 * gateway, measured in one run against the same local cluster.
 *
 *   bash scripts/bench.sh admin        (starts the cluster if needed)
 *
 * Writes bench/results/admin-roundtrips.json and .md.
 */
import { writeFileSync } from "node:fs";
import { Config, FlussConnection, TablePath } from "@fluss-edge/client";
import { silentLogger, startGateway } from "../gateway/src/index.js";
import { round, summarise, type LatencySummary } from "./stats.js";

const bootstrap = process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** Runs `operation` from CONCURRENCY loops for DURATION_MS and records each latency. */
async function measure(conn: FlussConnection): Promise<LatencySummary> {
  const admin = conn.getAdmin();
  const path = new TablePath("fluss", "bench_probe_absent");
  const operation = () => admin.tableExists(path);
  for (let i = 0; i < 200; i++) await operation(); // warm-up: connections, JIT
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await operation();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return summarise(latencies, (performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const gateway = await startGateway({ bootstrapServers: bootstrap, port: 0, logger: silentLogger });
  try {
    const tcpConn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap }));
    const gatewayConn = await FlussConnection.create(new Config({ "gateway.url": gateway.url }));
    try {
      // Interleave the two so that machine noise hits both alike.
      const tcp1 = await measure(tcpConn);
      const gw1 = await measure(gatewayConn);
      const tcp2 = await measure(tcpConn);
      const gw2 = await measure(gatewayConn);
      const best = (a: LatencySummary, b: LatencySummary) => (a.perSecond >= b.perSecond ? a : b);
      const tcp = best(tcp1, tcp2);
      const viaGateway = best(gw1, gw2);
      const result = {
        benchmark: "admin round trips (tableExists), same cluster, same run",
        date: new Date().toISOString(),
        node: process.version,
        concurrency: CONCURRENCY,
        durationMsPerRound: DURATION_MS,
        tcp: roundAll(tcp),
        gateway: roundAll(viaGateway),
        gatewayToTcpThroughputRatio: round(viaGateway.perSecond / tcp.perSecond, 3),
        gatewayToTcpP50LatencyRatio: round(viaGateway.p50Ms / tcp.p50Ms, 3),
      };
      writeFileSync(new URL("./results/admin-roundtrips.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");
      const table = [
        `# Admin round trips: direct TCP vs gateway (${result.date})`,
        "",
        `${CONCURRENCY} concurrent callers, best of two ${DURATION_MS} ms rounds each, Node ${process.version}, one local Fluss 0.9.1 cluster.`,
        "",
        "| transport | round trips/s | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: |",
        `| direct TCP | ${round(tcp.perSecond, 0)} | ${round(tcp.p50Ms)} | ${round(tcp.p99Ms)} |`,
        `| through the gateway | ${round(viaGateway.perSecond, 0)} | ${round(viaGateway.p50Ms)} | ${round(viaGateway.p99Ms)} |`,
        "",
        `Gateway / TCP throughput: **${result.gatewayToTcpThroughputRatio}**; p50 latency ratio ${result.gatewayToTcpP50LatencyRatio}.`,
        "",
      ].join("\n");
      writeFileSync(new URL("./results/admin-roundtrips.md", import.meta.url), table);
      console.log(table);
    } finally {
      await tcpConn.close();
      await gatewayConn.close();
    }
  } finally {
    await gateway.close();
  }
}

function roundAll(summary: LatencySummary): LatencySummary {
  return {
    operations: summary.operations,
    seconds: round(summary.seconds),
    perSecond: round(summary.perSecond, 0),
    p50Ms: round(summary.p50Ms, 3),
    p99Ms: round(summary.p99Ms, 3),
  };
}

await main();
