/**
 * What the fluss-edge benchmark drivers (bench/edge-log-bench.ts,
 * bench/edge-kv-bench.ts) share: their common command-line options, the
 * client config those name, the phase clock (wall time and process CPU, as
 * every driver reports them) and the one-JSON-line output the orchestrators
 * read (bench/processes.ts: lastJsonLine).
 */
import type { ParseArgsConfig } from "node:util";
import { Config } from "@fluss-edge/client";

/** Options every driver takes: where the cluster is, which table, how many rows, which phase, extra client settings. */
export const DRIVER_OPTIONS = {
  bootstrap: { type: "string" },
  gateway: { type: "string" },
  database: { type: "string" },
  table: { type: "string" },
  rows: { type: "string" },
  phase: { type: "string" },
  conf: { type: "string", multiple: true },
} as const satisfies ParseArgsConfig["options"];

/**
 * The client config of `--bootstrap h:p` (TCP) or `--gateway url`, with the `--conf key=value`
 * settings (repeatable; e.g. scanner.log.check-crc=false) on top.
 */
export function driverConfig(args: { bootstrap?: string; gateway?: string; conf?: string[] }): Config {
  const extra = Object.fromEntries(
    (args.conf ?? []).map((kv) => {
      const at = kv.indexOf("=");
      if (at <= 0) throw new Error(`--conf takes key=value, got '${kv}'`);
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
  return new Config({ ...extra, ...(args.gateway ? { "gateway.url": args.gateway } : { "bootstrap.servers": args.bootstrap! }) });
}

/** A phase's wall time and the CPU time of this whole process (every thread: JS, codec workers, V8's helpers). */
export interface Elapsed {
  ms: number;
  cpuMs: number;
}

export interface PhaseClock {
  /** Wall milliseconds so far. */
  ms(): number;
  stop(): Elapsed;
}

/** Starts a phase's clock: wall time from performance.now(), CPU from getrusage (process.cpuUsage). */
export function startClock(): PhaseClock {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return {
    ms: () => performance.now() - t0,
    stop: () => {
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return { ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
    },
  };
}

/**
 * Runs a driver and prints its result as ONE JSON line on stdout; on failure, the error on
 * stderr, `{"error": …}` on stdout (which the orchestrator turns into a rejection) and exit code 1.
 */
export async function runDriver(main: () => Promise<object>): Promise<void> {
  try {
    const outcome = await main();
    process.stdout.write(JSON.stringify(outcome) + "\n");
  } catch (e) {
    console.error(e);
    process.stdout.write(JSON.stringify({ error: String(e) }) + "\n");
    process.exitCode = 1;
  }
}
