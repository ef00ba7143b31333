/** Running benchmark drivers as child processes (each case in a fresh process). */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
const CASE_TIMEOUT_MS = 900_000;

/**
 * fluss-edge drivers import "@fluss-edge/client" as users do: the built package (dist/, compiled
 * JS, codec worker included), not the TypeScript sources through tsx (bench/tsconfig.json has no
 * `paths`). bench.sh builds it first.
 */
export const EDGE_DRIVER_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  TSX_TSCONFIG_PATH: fileURLToPath(new URL("./tsconfig.json", import.meta.url)),
  // Each case also reports its CPU by thread (bench/thread-cpu.ts: two /proc reads per phase).
  BENCH_THREAD_CPU: "1",
};

/** Runs `file` from the repository root; resolves with its stdout, rejects with the tail of its output. */
export function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: REPO, env, timeout: CASE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stderr.slice(-3000)}\n${stdout.slice(-1000)}`));
      else resolve(stdout);
    });
  });
}

/** A driver's result: the JSON document on its last line of output (`{"error": …}` rejects). */
export function lastJsonLine<T>(stdout: string): T {
  const line = stdout.trim().split("\n").pop() ?? "";
  const doc = JSON.parse(line) as T & { error?: string };
  if (doc.error) throw new Error(doc.error);
  return doc;
}
