/**
 * Buffer memory: what the writer counts, when `append` refuses rows, and
 * how `ready()` holds a producer back until batches are done.
 */
import { describe, expect, it } from "vitest";
import { BufferMemory } from "../../../src/client/write/buffer-memory.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { accumulator, clientErrorOf, tableInfo } from "./helpers.js";

const schema = new Schema([
  { name: "id", type: DataTypes.bigint().notNull() },
  { name: "payload", type: DataTypes.string() },
]);

describe("BufferMemory", () => {
  it("resolves ready() at once while there is room, without a new promise each time", async () => {
    const memory = new BufferMemory(1000, Number.POSITIVE_INFINITY);
    memory.noteRowSize(100);
    memory.reserve(900);
    expect(memory.hasRoom()).toBe(true);
    expect(memory.ready()).toBe(memory.ready());
    await memory.ready();
    memory.reserve(1);
    expect(memory.hasRoom()).toBe(true); // below the cap, though the largest row no longer fits
    memory.reserve(99);
    expect(memory.hasRoom()).toBe(false);
  });

  it("holds waiters until the largest row fits again, first come first served", async () => {
    const memory = new BufferMemory(1000, Number.POSITIVE_INFINITY);
    memory.noteRowSize(300);
    memory.reserve(900);
    const order: string[] = [];
    const a = memory.ready().then(() => order.push("a"));
    const b = memory.ready().then(() => order.push("b"));
    memory.release(100); // 800 used: 300 does not fit
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(memory.waiting).toBe(2);
    memory.release(200); // 600 used: one row of 300 fits, not two
    await a;
    expect(order).toEqual(["a"]);
    expect(memory.waiting).toBe(1);
    memory.release(600);
    await b;
    expect(order).toEqual(["a", "b"]);
  });

  it("does not strand a waiter when the one woken before it adds nothing", async () => {
    const memory = new BufferMemory(1000, Number.POSITIVE_INFINITY);
    memory.noteRowSize(300);
    memory.reserve(1000);
    const a = memory.ready();
    const b = memory.ready();
    memory.release(400); // room for one more row by the plan; a is woken and then adds nothing
    await a;
    expect(memory.waiting).toBe(1);
    await b; // woken by the second look, without another release
    expect(memory.waiting).toBe(0);
  });

  it("turns a long wait into a CLIENT_ERROR naming writer.buffer.wait-timeout-ms", async () => {
    const memory = new BufferMemory(100, 30);
    memory.reserve(100);
    const started = Date.now();
    const error = await memory.ready().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(error).toMatchObject({ errorCode: -2 });
    expect((error as Error).message).toContain("writer.buffer.wait-timeout-ms = 30 ms");
    expect(memory.waiting).toBe(0);
  });

  it("lets a smaller waiter in as soon as the larger one ahead of it gives up", async () => {
    const memory = new BufferMemory(1000, 80);
    memory.reserve(600);
    const large = memory.ready(500); // does not fit
    await new Promise((resolve) => setTimeout(resolve, 30));
    const small = memory.ready(300); // fits, but waits behind the large one
    await expect(large).rejects.toThrow(/writer.buffer.wait-timeout-ms = 80 ms/);
    // Woken when the large one timed out, ~30 ms before its own timeout would have rejected it.
    await expect(small).resolves.toBeUndefined();
    expect(memory.waiting).toBe(0);
  });

  it("rejects waiters when the writer closes", async () => {
    const memory = new BufferMemory(100, Number.POSITIVE_INFINITY);
    memory.reserve(100);
    const waiting = memory.ready();
    memory.rejectWaiters(new (await import("../../../src/errors/index.js")).FlussError("closed"));
    await expect(waiting).rejects.toThrow("closed");
  });
});

describe("memory accounting of the accumulator", () => {
  it("counts rows, then encoded bytes, and frees a batch's bytes when it is done", () => {
    const acc = accumulator(tableInfo(schema));
    const batch = acc.append({ id: 1n, payload: "x".repeat(1000) });
    acc.append({ id: 2n, payload: "y".repeat(1000) });
    expect(acc.memory.used).toBe(batch.accountedBytes);
    expect(batch.accountedBytes).toBeGreaterThan(2 * 1000);
    acc.sealExpired(true);
    expect(batch.accountedBytes).toBe(batch.bytes!.length);
    expect(acc.memory.used).toBe(batch.bytes!.length);
    acc.complete(batch);
    expect(acc.memory.used).toBe(0);
    expect(acc.incompleteCount).toBe(0);
  });

  it("refuses rows once the buffer is full, with a CLIENT_ERROR that says to await ready()", () => {
    const acc = accumulator(tableInfo(schema), { memory: new BufferMemory(4096, Number.POSITIVE_INFINITY), batchSize: 4096 });
    let taken = 0;
    while (acc.memory.hasRoom()) {
      acc.append({ id: BigInt(taken), payload: "z".repeat(100) });
      taken++;
    }
    const error = clientErrorOf(() => acc.append({ id: -1n }));
    expect(error.message).toMatch(/writer buffer is full .*writer\.buffer\.memory-size = 4096.*await writer\.ready\(\)/);
    expect(taken).toBeGreaterThan(10);
    expect(acc.memory.used).toBeLessThan(4096 + 120);
  });

  it("a producer that awaits ready() never takes the buffer past its cap", async () => {
    const cap = 16 * 1024;
    const acc = accumulator(tableInfo(schema), { memory: new BufferMemory(cap, 5000), batchSize: 2048 });
    let peak = 0;
    let completed = 0;
    // Stands in for the sender: every 2 ms what is sealed gets acknowledged.
    const acknowledger = setInterval(() => {
      acc.sealExpired(true);
      for (const queue of acc.queues()) {
        for (const batch of [...queue.pending]) {
          completed += batch.recordCount;
          acc.complete(batch);
        }
      }
    }, 2);
    const rows = 3000;
    for (let i = 0; i < rows; i++) {
      await acc.memory.ready();
      acc.append({ id: BigInt(i), payload: `row ${i} `.padEnd(60, ".") });
      peak = Math.max(peak, acc.memory.used);
    }
    while (acc.incompleteCount > 0) await new Promise((r) => setTimeout(r, 5));
    clearInterval(acknowledger);
    expect(completed).toBe(rows);
    expect(peak).toBeLessThanOrEqual(cap);
    expect(peak).toBeGreaterThan(cap / 2);
    expect(acc.memory.used).toBe(0);
  });
});
