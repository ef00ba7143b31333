// Summarises a V8 .cpuprofile (e.g. from BENCH_PHASE_PROFILE in bench/edge-log-bench.ts): total
// sampled time and the functions with the most self time.
//   node bench/profile-summary.mjs profile.cpuprofile [top=30]
import { readFileSync } from "node:fs";

const [file, top = "30"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map();
profile.samples.forEach((id, i) => {
  const { functionName, url, lineNumber } = nodes.get(id).callFrame;
  const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + profile.timeDeltas[i]);
});
const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [key, micros] of [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${(micros / 1000).toFixed(1).padStart(8)} ms  ${key}`);
}
