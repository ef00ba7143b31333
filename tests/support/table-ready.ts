import { type FlussAdmin, OffsetSpec, type TableDescriptor, type TablePath } from "@fluss-edge/client";

/**
 * Fluss 0.9.1's coordinator can miss a table creation (see
 * tests/setup/coordinator-log-watch.ts: it registers the table znode empty,
 * fills it a moment later, and its ZooKeeper cache watcher may never report
 * the table as created), so that the table never gets bucket leaders. Tests
 * that need leaders right after creating a table wait for them here (so do
 * the benchmarks, which have no watchdog, with a shorter wait); the
 * integration run's coordinator watchdog (tests/setup/coordinator-guard.ts)
 * notices the missed table within about 15 s and restarts the coordinator,
 * which then loads it. Should the leaders still not come, the table is
 * dropped and created once more. Browser-safe: page code uses it too (the
 * watchdog runs in the test file's Node process meanwhile).
 */
export async function createTableReady(admin: FlussAdmin, path: TablePath, descriptor: TableDescriptor, options: TableReadyOptions = {}): Promise<void> {
  await ensureTableReady(admin, path, () => admin.createTable(path, descriptor), options);
}

/** Long enough for the watchdog to notice a missed table (10 s), wait out its grace (5 s) and restart the coordinator. */
const LEADERS_TIMEOUT_MS = 45_000;
const CREATIONS = 2;

export interface TableReadyOptions {
  /**
   * How long to wait for leaders before creating the table again (default 45 s, which leaves the
   * test run's watchdog time to restart the coordinator). Without a watchdog (the benchmarks) a
   * missed table never gets leaders, and a new leader normally comes within milliseconds: 10 s.
   */
  leadersTimeoutMs?: number;
}

/** Runs `create` and waits for bucket leaders, creating the table again if none come. */
export async function ensureTableReady(admin: FlussAdmin, path: TablePath, create: () => Promise<unknown>, options: TableReadyOptions = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await create();
    if (await hasBucketLeaders(admin, path, options.leadersTimeoutMs ?? LEADERS_TIMEOUT_MS)) return;
    if (attempt >= CREATIONS) throw new Error(`table ${path} got no bucket leaders after ${attempt} creations`);
    await admin.dropTable(path, { ignoreIfNotExists: true });
  }
}

/** True once every bucket of a non-partitioned table has a leader (partitions get theirs when created). */
async function hasBucketLeaders(admin: FlussAdmin, path: TablePath, timeoutMs: number): Promise<boolean> {
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
