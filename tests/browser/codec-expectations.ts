import { expect } from "vitest";
import type { CodecWorkerStats } from "./page/codec-workers.js";

/**
 * What a big ZSTD write and scan must show of the codec workers that ran it
 * (on a page, or started from the client's own worker): every started
 * worker answered, both directions ran on them, and their inputs came as
 * `inputs` says: moved with each job (an ordinary page), or through the
 * shared inboxes (a cross-origin isolated page).
 */
export function expectCodecJobsOffThread(stats: CodecWorkerStats, inputs: "moved" | "shared"): void {
  expect(stats.crossOriginIsolated).toBe(inputs === "shared");
  expect(stats.started).toBeGreaterThanOrEqual(1);
  expect(stats.answered).toBe(stats.started);
  expect(stats.compressJobs).toBeGreaterThan(0);
  expect(stats.decompressJobs).toBeGreaterThan(0);
  // Without SharedArrayBuffer every job carries its input; with it, none does.
  expect(stats.sharedInputJobs).toBe(inputs === "shared" ? stats.compressJobs + stats.decompressJobs : 0);
}
