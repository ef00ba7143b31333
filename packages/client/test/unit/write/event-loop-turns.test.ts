/**
 * A producer loop over the writer (`await ready(); append(row)`, or
 * `await writeArrowBatch(batch)`) resumes on promise callbacks alone; the
 * writer gives the event loop a turn every few milliseconds of it, so that
 * connections, sends and acknowledgements (and, in a page, rendering) go on
 * while the loop runs. Without the turns a macrotask scheduled before the
 * loop ran only after it: measured on a 1M-row Arrow append, the tablet
 * server's connection and the first ProduceLog waited for the whole loop.
 */
import { describe, expect, it } from "vitest";
import { EventLoopTurns } from "../../../src/client/event-loop.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { rowsToRecordBatch } from "../../../src/row/index.js";
import { writerToSilentCluster } from "./helpers.js";

const schema = new Schema([{ name: "id", type: DataTypes.bigint() }]);
/** Long enough for several turns of a few ms each, on a slow machine too. */
const LOOP_MS = 60;

/** Counts the macrotasks that run until stopped (each schedules the next). */
function macrotaskCounter(): { count: () => number; stop: () => void } {
  let count = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    count++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return { count: () => count, stop: () => void (running = false) };
}

describe("a producer loop over the writer", () => {
  it("lets the event loop run while it appends rows behind ready()", async () => {
    const writer = writerToSilentCluster(schema);
    const counter = macrotaskCounter();
    const started = performance.now();
    let id = 0n;
    while (performance.now() - started < LOOP_MS) {
      await writer.ready();
      writer.append({ id: id++ });
    }
    const turns = counter.count();
    counter.stop();
    // About one turn per 4 ms; none at all without them.
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(id).toBeGreaterThan(100n);
  });

  it("lets the event loop run while it writes Arrow batches", async () => {
    const writer = writerToSilentCluster(schema);
    const batch = rowsToRecordBatch(schema, Array.from({ length: 500 }, (_, i) => ({ id: BigInt(i) })));
    const counter = macrotaskCounter();
    const started = performance.now();
    let written = 0;
    while (performance.now() - started < LOOP_MS) {
      await writer.writeArrowBatch(batch);
      written++;
    }
    const turns = counter.count();
    counter.stop();
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(written).toBeGreaterThan(10);
  });
});

describe("EventLoopTurns", () => {
  it("yields only once its slice is used up, then starts a new slice", async () => {
    const turns = new EventLoopTurns(20);
    expect(turns.turn()).toBeUndefined();
    const until = performance.now() + 25;
    while (performance.now() < until) {
      // the caller's work
    }
    let macrotaskRan = false;
    setImmediate(() => (macrotaskRan = true));
    const turn = turns.turn();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    expect(macrotaskRan).toBe(true);
    expect(turns.turn()).toBeUndefined();
  });
});
