/**
 * Cold start: what a short-lived client (an edge function, a CLI, a page
 * load) pays before its first rows, fluss-edge (TCP, Node) against pyfluss,
 * each step timed in a fresh process (bench/cold-start-edge.ts,
 * bench/peers/python_cold_start.py): importing the client, connecting,
 * opening a ZSTD table, reading its first rows, writing one row.
 *
 *   bash scripts/bench.sh cold        (starts the cluster if needed)
 *
 * BENCH_ROUNDS (default 7) fresh processes per client, interleaved; the
 * medians are reported. Writes bench/results/cold-start.json and .md.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { Config, FlussConnection, rowsToRecordBatch, TableDescriptor, TablePath } from "@fluss-edge/client";
import { createTableReady } from "../tests/support/table-ready.js";
import { BENCH_SCHEMA, benchRow } from "./log-bench-schema.js";
import { EDGE_DRIVER_ENV, lastJsonLine, REPO, run } from "./processes.js";
import { median, round } from "./stats.js";

const bootstrap = process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** Rows in the table before the runs: a few batches per bucket. */
const ROWS = 20_000;
const EDGE_NODE = process.env.BENCH_NODE ?? process.execPath;
const STEPS = ["importMs", "connectMs", "openMs", "firstRowsMs", "firstWriteMs", "totalMs", "cpuMs"] as const;
type Step = (typeof STEPS)[number];
type Result = Record<Step, number>;

async function main(): Promise<void> {
  const python = (await run("bash", ["scripts/setup-python.sh"])).trim().split("\n").pop()!;
  const conn = await FlussConnection.create(new Config({ "bootstrap.servers": bootstrap }));
  const admin = conn.getAdmin();
  const database = `bench_cold_${Date.now().toString(36)}`;
  const results: Record<"fluss-edge" | "pyfluss", Result[]> = { "fluss-edge": [], pyfluss: [] };
  let pyflussVersion = "";
  try {
    await admin.createDatabase(database);
    const path = new TablePath(database, "events");
    // Fluss's default log compression, ZSTD: opening the table loads its codec.
    await createTableReady(admin, path, new TableDescriptor(BENCH_SCHEMA, { bucketCount: 4 }), { leadersTimeoutMs: 30_000 });
    const table = await conn.getTable(path);
    const writer = table.newAppend().createWriter();
    await writer.writeArrowBatch(rowsToRecordBatch(table.getTableInfo().schema, Array.from({ length: ROWS }, (_, i) => benchRow(i))));
    await writer.flush();
    await writer.close();
    const args = ["--bootstrap", bootstrap, "--database", database, "--table", "events"];
    const edgeDriver = await bundleEdgeDriver();
    for (let r = 0; r < ROUNDS; r++) {
      const edge = lastJsonLine<Result>(await run(EDGE_NODE, [edgeDriver, ...args], EDGE_DRIVER_ENV));
      const py = lastJsonLine<Result & { version: string }>(await run(python, ["bench/peers/python_cold_start.py", ...args]));
      pyflussVersion = py.version;
      results["fluss-edge"].push(edge);
      results.pyfluss.push(py);
      console.error(`[round ${r + 1}/${ROUNDS}] fluss-edge ${edge.totalMs} ms (open ${edge.openMs}), pyfluss ${py.totalMs} ms (open ${py.openMs})`);
    }
  } finally {
    await admin.dropDatabase(database, { ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
    await conn.close();
  }
  const medians = Object.fromEntries(
    Object.entries(results).map(([client, runs]) => [client, Object.fromEntries(STEPS.map((s) => [s, round(median(runs.map((x) => x[s])), 1)]))]),
  ) as Record<"fluss-edge" | "pyfluss", Result>;
  const ratio = (s: Step) => round(medians.pyfluss[s] / medians["fluss-edge"][s], 2);
  const doc = {
    benchmark: "cold start: fresh process, import → connect → open a ZSTD table → first rows → first write",
    date: new Date().toISOString(),
    node: execFileSync(EDGE_NODE, ["--version"], { encoding: "utf8" }).trim(),
    pyfluss: pyflussVersion,
    rounds: ROUNDS,
    tableRows: ROWS,
    medians,
    pyflussOverEdge: { total: ratio("totalMs"), open: ratio("openMs"), cpu: ratio("cpuMs") },
    runs: results,
  };
  writeFileSync(`${REPO}bench/results/cold-start.json`, JSON.stringify(doc, null, 2) + "\n");
  const row = (client: "fluss-edge" | "pyfluss") => `| ${client} | ${STEPS.map((s) => medians[client][s]).join(" | ")} |`;
  const md = [
    `# Cold start: fluss-edge (TCP) and pyfluss (${doc.date})`,
    "",
    `Each client in ${ROUNDS} fresh processes, interleaved (medians, ms): import the client, connect, open a ZSTD table of`,
    `${ROWS.toLocaleString("en-US")} rows (4 buckets), read its first rows (record-batch scanner from the earliest offsets), write one row (createWriter, append, flush).`,
    `fluss-edge on Node ${doc.node} (plain JavaScript, its codec workers on), pyfluss ${pyflussVersion}; CPU: the whole process, every thread.`,
    "",
    "| client | import | connect | open table | first rows | first write | total | CPU |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    row("fluss-edge"),
    row("pyfluss"),
    "",
    `pyfluss / fluss-edge (above 1 favours fluss-edge): total ${doc.pyflussOverEdge.total}, open ${doc.pyflussOverEdge.open}, CPU ${doc.pyflussOverEdge.cpu}.`,
    "",
  ].join("\n");
  writeFileSync(`${REPO}bench/results/cold-start.md`, md);
  console.log(md);
}

/**
 * The fluss-edge driver as plain JavaScript, the client (its built package) left as an import, as
 * an application runs it: under tsx every codec worker thread loads tsx's loader as well.
 */
async function bundleEdgeDriver(): Promise<string> {
  const outdir = `${REPO}.cache/bench`;
  await build({
    entryPoints: [`${REPO}bench/cold-start-edge.ts`],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    packages: "external",
    outdir,
    logLevel: "warning",
  });
  // log-bench-schema.ts reads it next to itself.
  copyFileSync(`${REPO}bench/log-schema.json`, `${outdir}/log-schema.json`);
  return `${outdir}/cold-start-edge.js`;
}

await main();
