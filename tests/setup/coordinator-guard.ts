/**
 * Vitest setup file of the `integration` project: runs the coordinator
 * watchdog (coordinator-watchdog.ts) in each test file's process, for as long
 * as the file runs. A fault is repaired at the next `beforeEach`, before the
 * next test starts (its new connections would find no coordinator during the
 * restart), or, if the test that saw it is still running a few seconds later
 * (waiting for the missed table), under that test. `afterAll` judges the
 * file's last table creations before the next file starts. Files run one after another, so no other file is affected. Not for
 * an external cluster (FLUSS_EXTERNAL_CLUSTER=1): it is not ours to restart.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeEach } from "vitest";
import { startCoordinatorWatchdog } from "./coordinator-watchdog.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

if (process.env.FLUSS_EXTERNAL_CLUSTER !== "1") {
  const clusterDir = path.resolve(repoRoot, process.env.FLUSS_CLUSTER_DIR ?? path.join(".fluss", "cluster"));
  const watchdog = startCoordinatorWatchdog(path.join(clusterDir, "logs", "coordinator.log"), async () => {
    await run("bash", [path.join(repoRoot, "scripts", "fluss-cluster.sh"), "restart-coordinator"], { cwd: repoRoot, timeout: 180_000 });
  });
  beforeEach(() => watchdog.boundary(), 200_000);
  afterAll(async () => {
    await watchdog.settle();
    await watchdog.stop();
  }, 200_000);
}
