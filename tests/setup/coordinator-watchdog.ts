/**
 * Follows the coordinator's log and restarts the coordinator when it shows
 * Fluss 0.9.1's coordinator fault (coordinator-log-watch.ts). Without this,
 * one missed table creation among the hundreds a run makes leaves a test
 * waiting for bucket leaders until its timeout, or every later table
 * leaderless. The restart is what an operator would do; clients that are
 * already connected ride it out (their coordinator calls are retried), but a
 * new connection made while the coordinator is down fails at once (as it
 * must), so coordinator-guard.ts runs this inside each test file and holds
 * the next test back until a restart is over. Each restart is reported on
 * stderr.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { CoordinatorLogWatch, TAKE_UP_MS } from "./coordinator-log-watch.js";

const POLL_MS = 500;
/** A test file that needs more restarts than this has a problem of its own: stop restarting, let tests fail. */
const MAX_RESTARTS = 3;

export interface CoordinatorWatchdog {
  /**
   * Between tests: restarts the coordinator now if a fault was seen, and
   * resolves once no restart is under way.
   */
  boundary(): Promise<void>;
  /**
   * Waits (at most about TAKE_UP_MS) until no registered table waits to be
   * taken up, restarting the coordinator if one was missed: a file's last
   * table creation is judged before the next file starts.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A fault seen while a test runs is repaired at the next test boundary, so
 * that no other test meets the coordinator down; a test still running this
 * long after it is taken to be the one waiting for the missed table, and the
 * coordinator is restarted under it.
 */
const RESTART_GRACE_MS = 5_000;

export function startCoordinatorWatchdog(
  logFile: string,
  restartCoordinator: () => Promise<void>,
  options: { takeUpMs?: number; graceMs?: number } = {},
): CoordinatorWatchdog {
  const takeUpMs = options.takeUpMs ?? TAKE_UP_MS;
  const graceMs = options.graceMs ?? RESTART_GRACE_MS;
  const watch = new CoordinatorLogWatch(takeUpMs);
  // Only what is logged from now on: earlier lines belong to earlier runs on a reused cluster.
  let offset = sizeOf(logFile);
  let restarts = 0;
  let busy: Promise<void> | undefined;
  let fault: { detail: string; seenAt: number } | undefined;

  const restart = (): void => {
    if (busy || !fault) return;
    const { detail } = fault;
    fault = undefined;
    if (restarts >= MAX_RESTARTS) return;
    restarts++;
    process.stderr.write(`[coordinator watchdog] Fluss 0.9.1 coordinator fault: ${detail}; restarting the coordinator (${restarts}/${MAX_RESTARTS})\n`);
    busy = restartCoordinator()
      .catch((error: unknown) => {
        process.stderr.write(`[coordinator watchdog] restart failed: ${error instanceof Error ? error.message : String(error)}\n`);
      })
      .finally(() => {
        watch.reset();
        offset = sizeOf(logFile);
        busy = undefined;
      });
  };

  const poll = (): void => {
    if (busy) return;
    const size = sizeOf(logFile);
    if (size < offset) offset = 0; // a new log (the cluster was started again)
    const text = size > offset ? readRange(logFile, offset, size) : "";
    offset = size;
    const now = Date.now();
    const seen = text ? watch.feed(text, now) : watch.check(now);
    if (seen && !fault) fault = { detail: seen.detail, seenAt: now };
    if (fault && now - fault.seenAt >= graceMs) restart();
  };

  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  return {
    async boundary() {
      poll();
      restart();
      await busy;
    },
    async settle() {
      poll();
      const deadline = Date.now() + takeUpMs + 2 * POLL_MS;
      while ((busy || fault || watch.waiting) && Date.now() < deadline) {
        restart();
        await (busy ?? new Promise((resolve) => setTimeout(resolve, POLL_MS)));
        poll();
      }
      restart();
      await busy;
    },
    async stop() {
      clearInterval(timer);
      await busy;
    },
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readRange(file: string, start: number, end: number): string {
  const fd = openSync(file, "r");
  try {
    const bytes = Buffer.alloc(end - start);
    const read = readSync(fd, bytes, 0, bytes.length, start);
    return bytes.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
