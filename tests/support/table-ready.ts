import { type FlussAdmin, OffsetSpec, type TableDescriptor, type TablePath } from "@fluss-edge/client";

/**
 * Fluss 0.9.1's coordinator can miss a table creation: it registers the table
 * znode empty and fills it a moment later, and its ZooKeeper cache watcher
 * only treats the *change* of that node as "table created". When the cache
 * first reads the node after it was filled (a busy 2-core machine makes that
 * likely), it reports NODE_CREATED, which the watcher ignores, and the table
 * never gets bucket leaders (`TableChangeWatcher` at v0.9.1-incubating; seen
 * in CI: the coordinator later logs a NullPointerException when that table is
 * dropped). Tests that write right after creating a table therefore wait for
 * leaders and, if none come, drop the table and create it again.
 */
export async function createTableReady(admin: FlussAdmin, path: TablePath, descriptor: TableDescriptor): Promise<void> {
  await ensureTableReady(admin, path, () => admin.createTable(path, descriptor));
}

/** Runs `create` and waits for bucket leaders, creating the table once more when the coordinator missed it. */
export async function ensureTableReady(admin: FlussAdmin, path: TablePath, create: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await create();
    if (await hasBucketLeaders(admin, path)) return;
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
