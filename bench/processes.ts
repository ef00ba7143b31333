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

/** The Node that runs the fluss-edge drivers (BENCH_NODE, e.g. `$(bash scripts/fetch-node.sh 22)`); default this one. */
export const EDGE_NODE = process.env.BENCH_NODE ?? process.execPath;

/** Runs a setup script (it prints progress on stderr) and returns the last line of its stdout: the path it made ready. */
async function setupScript(script: string): Promise<string> {
  const out = await run("bash", [script]);
  return out.trim().split("\n").pop()!;
}

const JAVA_JVM_ARGS = ["-Xms256m", "-Xmx1g", "-XX:+IgnoreUnrecognizedVMOptions", "--add-opens=java.base/java.nio=ALL-UNNAMED"];

/** The peers' drivers (bench/peers/), ready to run from the repository root; each resolves with the driver's stdout. */
export interface Peers {
  /** A pyfluss driver, on the venv's Python (scripts/setup-python.sh). */
  python(script: string, args: string[]): Promise<string>;
  /** A Java client driver class, on the JVM with the drivers built against fluss-client (bench/peers/build-java-bench.sh). */
  java(mainClass: string, args: string[]): Promise<string>;
}

export async function setUpPeers(): Promise<Peers> {
  const [python, javaCp] = await Promise.all([setupScript("scripts/setup-python.sh"), setupScript("bench/peers/build-java-bench.sh")]);
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : "java";
  return {
    python: (script, args) => run(python, [script, ...args]),
    java: (mainClass, args) => run(java, [...JAVA_JVM_ARGS, "-cp", javaCp, mainClass, ...args]),
  };
}
