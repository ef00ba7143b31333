/**
 * The coordinator-fault recogniser on lines captured from the suite's real
 * Fluss 0.9.1 coordinator (fixtures/coordinator-missed-table.log): a README
 * run whose partitioned table `orders` the coordinator never took up; the
 * partition created on it then left the coordinator unable to set up the
 * next table (`clicks`), whose writer waited for leaders until a restart.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CoordinatorLogWatch, TAKE_UP_MS } from "./coordinator-log-watch.js";
import { type CoordinatorWatchdog, startCoordinatorWatchdog } from "./coordinator-watchdog.js";

const captured = readFileSync(new URL("./fixtures/coordinator-missed-table.log", import.meta.url), "utf8");
const lines = captured.split("\n");
const upTo = (marker: string): string => lines.slice(0, lines.findIndex((l) => l.includes(marker)) + 1).join("\n") + "\n";

describe("CoordinatorLogWatch", () => {
  it("says nothing while every registered table is taken up (clicks of the earlier run)", () => {
    const watch = new CoordinatorLogWatch();
    expect(watch.feed(upTo("New table: readme_mwy0ehar_2457_1.clicks"), 0)).toBeUndefined();
    expect(watch.check(TAKE_UP_MS * 3)).toBeUndefined();
  });

  it("names a registered table the coordinator has not taken up after TAKE_UP_MS", () => {
    const watch = new CoordinatorLogWatch();
    expect(watch.feed(upTo("Registered table orders"), 1_000)).toBeUndefined();
    expect(watch.check(1_000 + TAKE_UP_MS - 1)).toBeUndefined();
    expect(watch.check(1_000 + TAKE_UP_MS)).toEqual({ kind: "missed-table", detail: expect.stringContaining("readme_mwy0ekwu_2689_1.orders") });
  });

  it("reports the NullPointerException of a partition created on a missed table at once", () => {
    const watch = new CoordinatorLogWatch();
    expect(watch.feed(upTo('"this.tablePath" is null'), 0)).toMatchObject({ kind: "stuck-requests" });
  });

  it("reports stuck coordinator requests at once, also when lines arrive cut at any point", () => {
    for (const cut of [1, 17, 200, captured.length - 40]) {
      const watch = new CoordinatorLogWatch();
      const first = watch.feed(captured.slice(0, cut), 0);
      const second = watch.feed(captured.slice(cut), 0);
      expect(first ?? second, `cut at ${cut}`).toMatchObject({ kind: "stuck-requests" });
    }
  });

  it("forgets what was pending when someone else restarts the coordinator (its shutdown line)", () => {
    const watch = new CoordinatorLogWatch();
    watch.feed(upTo("Registered table orders"), 0);
    const shutdown =
      "2026-11-26 20:45:41,311 WARN  [SIGTERM handler] o.a.f.s.ServerBase - RECEIVED SIGNAL 15: SIGTERM. Shutting down as requested.\n" +
      "2026-11-26 20:45:41,315 INFO  [CoordinatorServer shutdown hook] o.a.f.s.c.CoordinatorServer - Shutting down Coordinator server (JVM_SHUTDOWN).\n";
    expect(watch.feed(shutdown, 1_000)).toBeUndefined();
    expect(watch.check(TAKE_UP_MS * 2)).toBeUndefined();
  });

  it("forgets what was pending once the coordinator restarted", () => {
    const watch = new CoordinatorLogWatch();
    watch.feed(upTo("Registered table orders"), 0);
    watch.reset();
    expect(watch.check(TAKE_UP_MS * 2)).toBeUndefined();
  });
});

/**
 * A watchdog over a log file of its own (starting with `initial`), whose
 * restarts are counted (and append `onRestart` to the log); its stderr
 * reports are silenced. `body` gets both; the watchdog is stopped afterwards.
 */
async function withWatchdog(
  options: { initial?: string; onRestart?: string; takeUpMs?: number; graceMs?: number },
  body: (file: string, watchdog: CoordinatorWatchdog, restarts: () => number) => Promise<void>,
): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), "watchdog-")), "coordinator.log");
  writeFileSync(file, options.initial ?? "");
  let restarts = 0;
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  const watchdog = startCoordinatorWatchdog(
    file,
    async () => {
      restarts++;
      if (options.onRestart) appendFileSync(file, options.onRestart);
    },
    { takeUpMs: options.takeUpMs, graceMs: options.graceMs },
  );
  try {
    await body(file, watchdog, () => restarts);
  } finally {
    await watchdog.stop();
    process.stderr.write = stderr;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startCoordinatorWatchdog", () => {
  it("follows a growing log and, with no test boundary, restarts once after the grace period; then reads on from after the restart", async () => {
    // The file starts with an earlier run's lines: not this run's business.
    const restarted = "2026-11-26 20:40:00,000 INFO  [main] o.a.f.s.ServerBase - restarted\n";
    await withWatchdog({ initial: captured, onRestart: restarted, graceMs: 300 }, async (file, _watchdog, restarts) => {
      await sleep(700);
      expect(restarts()).toBe(0);
      appendFileSync(file, captured.slice(captured.indexOf("2026-11-26 20:32:55,420")));
      for (let i = 0; i < 40 && restarts() === 0; i++) await sleep(100);
      expect(restarts()).toBe(1);
      await sleep(700);
      expect(restarts()).toBe(1);
    });
  });
});

describe("CoordinatorWatchdog.settle", () => {
  it("judges a table registered just before a file ends: restarts if it is not taken up, returns at once if it is", async () => {
    await withWatchdog({ takeUpMs: 300, graceMs: 60_000 }, async (file, watchdog, restarts) => {
      appendFileSync(file, upTo("New table: readme_mwy0ehar_2457_1.clicks"));
      let started = Date.now();
      await watchdog.settle();
      expect(Date.now() - started).toBeLessThan(250);
      expect(restarts()).toBe(0);
      appendFileSync(file, captured.split("\n").filter((l) => l.includes("Registered table orders")).join("\n") + "\n");
      started = Date.now();
      await watchdog.settle();
      expect(restarts()).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });
  });
});

describe("CoordinatorWatchdog.boundary", () => {
  it("restarts at the next test boundary rather than under a running test", async () => {
    await withWatchdog({ graceMs: 60_000 }, async (file, watchdog, restarts) => {
      appendFileSync(file, captured);
      await sleep(1200); // seen by the poll, within the grace period
      expect(restarts()).toBe(0);
      await watchdog.boundary();
      expect(restarts()).toBe(1);
      await watchdog.boundary();
      expect(restarts()).toBe(1);
    });
  });
});
