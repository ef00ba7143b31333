/**
 * The gateway as it is deployed: the built `fluss-gateway` command
 * (gateway/bin/fluss-gateway.mjs over gateway/dist/) in a process of its own,
 * so that gateway cases measure the shipped relay, and its CPU apart from the
 * benchmark's own process (which also runs the harness, tsx and an admin
 * connection). bench.sh builds gateway/dist/ first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { REPO } from "./processes.js";

export interface GatewayProcess {
  /** The WebSocket URL callers use. */
  url: string;
  /** CPU time the gateway's process used so far (every thread), in ms; NaN where /proc is missing. */
  cpuMs(): number;
  /** Stops it (SIGTERM, its graceful shutdown) and waits for the exit. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** Starts `fluss-gateway --bootstrap-servers <bootstrap> --port 0` with `node` and waits for its "gateway listening" log line. */
export function startGatewayProcess(bootstrap: string, node = process.execPath): Promise<GatewayProcess> {
  const child = spawn(node, ["gateway/bin/fluss-gateway.mjs", "--bootstrap-servers", bootstrap, "--port", "0"], {
    cwd: REPO,
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new Error(`the gateway process did not start: ${why}\n${log.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`no "gateway listening" within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`it exited (${code ?? signal})`));
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      if (settled) return; // keep draining, so that its log never blocks it
      log += chunk;
      // Complete lines only: a chunk may end mid-line.
      for (const line of log.split("\n").slice(0, -1)) {
        if (!line.includes('"gateway listening"')) continue;
        const { url } = JSON.parse(line) as { url: string };
        settled = true;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve(running(child, url));
        return;
      }
    });
  });
}

function running(child: ChildProcess, url: string): GatewayProcess {
  return {
    url,
    cpuMs: () => processCpuMs(child.pid!),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // Its graceful stop waits for callers to go; none is left by now, but never hang the benchmark on it.
        const kill = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/**
 * Sum of every thread's time on CPU (schedstat, in ns: finer than stat's 10 ms ticks), in ms. A
 * thread that ended would take its time with it; the gateway's (V8's helpers, libuv's pool) live as
 * long as the process.
 */
function processCpuMs(pid: number): number {
  try {
    let nanos = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanos += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return nanos / 1e6;
  } catch {
    return Number.NaN;
  }
}
