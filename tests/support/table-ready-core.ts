import { type FlussAdmin, OffsetSpec, type TableDescriptor, type TablePath } from "@fluss-edge/client";

/**
 * Fluss 0.9.1's coordinator can miss a table creation: it registers the table
 * znode empty and fills it a moment later, and its ZooKeeper cache watcher
 * only treats the *change* of that node as "table created". When the cache
 * first reads the node after it was filled (a busy 2-core machine makes that
 * likely), it reports NODE_CREATED, which the watcher ignores, and the table
 * never gets bucket leaders (`TableChangeWatcher` at v0.9.1-incubating; seen
 * in CI: the coordinator later logs a NullPointerException when that table is
 * dropped; a partition created on such a table even leaves the coordinator
 * unable to create any later table). Tests that write right after creating a
 * table therefore wait for leaders and, if none come, restart the coordinator
 * when they can (it then reloads every table from ZooKeeper), or else drop the
 * table and create it again. This module is browser-safe; `table-ready.ts`
 * adds the coordinator restart for Node tests.
 */
export interface TableReadyOptions {
  /** Restarts the cluster's coordinator (Node tests: `scripts/fluss-cluster.sh restart-coordinator`). */
  restartCoordinator?: () => Promise<void>;
}

export async function createTableReady(
  admin: FlussAdmin,
  path: TablePath,
  descriptor: TableDescriptor,
  options: TableReadyOptions = {},
): Promise<void> {
  await ensureTableReady(admin, path, () => admin.createTable(path, descriptor), options);
}

/** Runs `create` and waits for bucket leaders, recovering when the coordinator missed the table. */
export async function ensureTableReady(
  admin: FlussAdmin,
  path: TablePath,
  create: () => Promise<unknown>,
  options: TableReadyOptions = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await create();
    if (await hasBucketLeaders(admin, path)) return;
    if (options.restartCoordinator) {
      await options.restartCoordinator();
      if (await hasBucketLeaders(admin, path, 20_000)) return;
    }
    if (attempt >= 3) throw new Error(`table ${path} got no bucket leaders after ${attempt} creations`);
    await admin.dropTable(path, { ignoreIfNotExists: true });
  }
}

/** True once every bucket of a non-partitioned table has a leader (partitions get theirs when created). */
async function hasBucketLeaders(admin: FlussAdmin, path: TablePath, timeoutMs = 8000): Promise<boolean> {
  const info = await admin.getTableInfo(path);
  if (info.isPartitioned()) return true;
  const buckets = Array.from({ length: info.numBuckets }, (_, i) => i);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await admin.listOffsets(path, buckets, OffsetSpec.latest());
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}
