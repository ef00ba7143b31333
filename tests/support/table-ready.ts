import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { FlussAdmin, TableDescriptor, TablePath } from "@fluss-edge/client";
import * as core from "./table-ready-core.js";

const run = promisify(execFile);
const clusterScript = new URL("../../scripts/fluss-cluster.sh", import.meta.url).pathname;

/** The Node side of table-ready-core.ts: recovery restarts the suite's coordinator. */
async function restartCoordinator(): Promise<void> {
  console.warn("[table-ready] the coordinator missed a table creation (Fluss 0.9.1 race): restarting it");
  await run("bash", [clusterScript, "restart-coordinator"], { timeout: 180_000 });
}

export function createTableReady(admin: FlussAdmin, path: TablePath, descriptor: TableDescriptor): Promise<void> {
  return core.createTableReady(admin, path, descriptor, { restartCoordinator });
}

export function ensureTableReady(admin: FlussAdmin, path: TablePath, create: () => Promise<unknown>): Promise<void> {
  return core.ensureTableReady(admin, path, create, { restartCoordinator });
}
