/**
 * Vitest globalSetup for the `integration` project: starts (or reuses) the
 * local Apache Fluss cluster of `scripts/fluss-cluster.sh` and hands its
 * bootstrap addresses to the tests.
 *
 * In a test:
 *   import { inject } from "vitest";
 *   const bootstrap = inject("flussBootstrapServers");          // plaintext CLIENT listener
 *   const saslBootstrap = inject("flussSaslBootstrapServers");  // SASL/PLAIN SECURE listener
 * (also in process.env.FLUSS_BOOTSTRAP_SERVERS / FLUSS_SASL_BOOTSTRAP_SERVERS).
 * SASL users: admin/admin-secret, alice/alice-secret.
 *
 * Environment:
 *   FLUSS_KEEP_CLUSTER=1       do not stop a cluster that this setup started
 *   FLUSS_TABLET_SERVERS=N     start with N tablet servers (default: 1, or whatever is running)
 *   FLUSS_EXTERNAL_CLUSTER=1   start nothing; use FLUSS_BOOTSTRAP_SERVERS and
 *                              FLUSS_SASL_BOOTSTRAP_SERVERS from the environment as they are
 *   plus everything scripts/fluss-cluster.sh reads (FLUSS_CLUSTER_DIR, FLUSS_PORT_BASE, ...).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
// The augmented module must be part of the program: pull it in type-only.
import type {} from "vitest";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** `host:port` of the coordinator's plaintext CLIENT listener, e.g. `127.0.0.1:9123`. */
    flussBootstrapServers: string;
    /** `host:port` of the coordinator's SASL/PLAIN SECURE listener, e.g. `127.0.0.1:9124`. */
    flussSaslBootstrapServers: string;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const clusterScript = path.join(repoRoot, "scripts", "fluss-cluster.sh");

/** True when this setup started the cluster (so teardown may stop it). */
let startedHere = false;

interface RunResult {
  code: number;
  stdout: string;
}

/** Runs the cluster script; its progress (stderr) goes straight to our stderr. */
function runClusterScript(args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [clusterScript, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stdout });
    });
  });
}

/** Parses the two `KEY=value` lines that `fluss-cluster.sh start` prints. */
export function parseBootstrapLines(stdout: string): {
  bootstrap: string;
  saslBootstrap: string;
} {
  const values = new Map<string, string>();
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^(FLUSS_BOOTSTRAP_SERVERS|FLUSS_SASL_BOOTSTRAP_SERVERS)=(\S+)$/.exec(line.trim());
    if (m?.[1] && m[2]) values.set(m[1], m[2]);
  }
  const bootstrap = values.get("FLUSS_BOOTSTRAP_SERVERS");
  const saslBootstrap = values.get("FLUSS_SASL_BOOTSTRAP_SERVERS");
  if (!bootstrap || !saslBootstrap) {
    throw new Error(`fluss-cluster.sh start printed no bootstrap lines; stdout was:\n${stdout}`);
  }
  return { bootstrap, saslBootstrap };
}

export async function setup(project: TestProject): Promise<void> {
  let bootstrap: string;
  let saslBootstrap: string;

  if (process.env.FLUSS_EXTERNAL_CLUSTER === "1") {
    const b = process.env.FLUSS_BOOTSTRAP_SERVERS;
    const s = process.env.FLUSS_SASL_BOOTSTRAP_SERVERS;
    if (!b || !s) {
      throw new Error(
        "FLUSS_EXTERNAL_CLUSTER=1 needs FLUSS_BOOTSTRAP_SERVERS and FLUSS_SASL_BOOTSTRAP_SERVERS",
      );
    }
    bootstrap = b;
    saslBootstrap = s;
  } else {
    // A cluster that is already up is reused, and then left running afterwards.
    const status = await runClusterScript(["status"]);
    const wasUp = status.code === 0;

    const startArgs = ["start"];
    const tablets = process.env.FLUSS_TABLET_SERVERS;
    if (tablets) startArgs.push("--tablet-servers", tablets);
    const started = await runClusterScript(startArgs);
    if (started.code !== 0) {
      throw new Error(
        `scripts/fluss-cluster.sh ${startArgs.join(" ")} failed with exit code ${started.code} ` +
          "(its output is above; logs are in .fluss/cluster/logs or $FLUSS_CLUSTER_DIR/logs)",
      );
    }
    ({ bootstrap, saslBootstrap } = parseBootstrapLines(started.stdout));
    startedHere = !wasUp;
  }

  process.env.FLUSS_BOOTSTRAP_SERVERS = bootstrap;
  process.env.FLUSS_SASL_BOOTSTRAP_SERVERS = saslBootstrap;
  project.provide("flussBootstrapServers", bootstrap);
  project.provide("flussSaslBootstrapServers", saslBootstrap);
}

export async function teardown(): Promise<void> {
  if (!startedHere) return;
  startedHere = false;
  if (process.env.FLUSS_KEEP_CLUSTER === "1") {
    process.stderr.write("[cluster setup] FLUSS_KEEP_CLUSTER=1: leaving the Fluss cluster running\n");
    return;
  }
  const stopped = await runClusterScript(["stop"]);
  if (stopped.code !== 0) {
    process.stderr.write(`[cluster setup] fluss-cluster.sh stop exited with ${stopped.code}\n`);
  }
}
