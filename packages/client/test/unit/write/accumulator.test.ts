/**
 * The record accumulator on its own (no network): routing rows to buckets
 * and partitions, sealing batches by size and by time, and keeping a batch
 * intact when a bad row is refused.
 */
import { describe, expect, it } from "vitest";
import { KeyBucketer } from "../../../src/bucketing/index.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { accumulator, Clock, clientErrorOf, cycling, rowsOf, tableInfo } from "./helpers.js";

const schema = new Schema([
  { name: "id", type: DataTypes.int().notNull() },
  { name: "name", type: DataTypes.string() },
  { name: "score", type: DataTypes.double() },
]);

describe("batch sealing", () => {
  it("seals a bucket's batch once its estimated size reaches writer.batch-size", () => {
    const acc = accumulator(tableInfo(schema), { batchSize: 1000 });
    const sealedAt: number[] = [];
    let appended = 0;
    const first = acc.append({ id: 0, name: "x".repeat(20) });
    for (let i = 1; first.state === "open"; i++, appended++) acc.append({ id: i, name: "x".repeat(20) });
    sealedAt.push(appended + 1);
    // Every row estimates to the same size: the batch took as many rows as fit in 1000 bytes (plus the one that filled it).
    expect(first.state).toBe("sealed");
    expect(first.estimatedBytes).toBeGreaterThanOrEqual(1000);
    expect(first.estimatedBytes).toBeLessThan(1000 + 40);
    expect(first.recordCount).toBe(sealedAt[0]);
    expect(first.bytes, "sealed batches are encoded at once when no codec must load").toBeDefined();
    // The next row opens a new batch.
    const next = acc.append({ id: 999 });
    expect(next).not.toBe(first);
    expect(next.state).toBe("open");
    expect(next.ordinal).toBe(first.ordinal + 1);
  });

  it("seals batches older than writer.batch-timeout-ms, and all of them when forced", () => {
    const clock = new Clock();
    const deadlines: number[] = [];
    const acc = accumulator(tableInfo(schema), {
      batchTimeoutMs: 100,
      now: clock.now,
      noKeyAssigner: "round_robin",
      random: cycling(0),
      onOpened: (deadline) => deadlines.push(deadline),
    });
    const a = acc.append({ id: 1 }); // bucket 0 at t
    clock.time += 60;
    const b = acc.append({ id: 2 }); // bucket 1 at t + 60
    expect(deadlines).toEqual([clock.time - 60 + 100, clock.time + 100]);
    clock.time += 39;
    expect(acc.sealExpired()).toBe(clock.time - 99 + 100);
    expect([a.state, b.state]).toEqual(["open", "open"]);
    clock.time += 1; // a is 100 ms old
    expect(acc.sealExpired()).toBe(clock.time - 40 + 100);
    expect([a.state, b.state]).toEqual(["sealed", "open"]);
    expect(acc.sealExpired(true)).toBe(Number.POSITIVE_INFINITY);
    expect(b.state).toBe("sealed");
    expect([...acc.queues()].map((q) => q.pending.length)).toEqual([1, 1]);
  });
});

describe("bucket assignment", () => {
  it("sticky: stays on one bucket until its batch is full, then moves to another", () => {
    // Random draws that Java's `nextInt() % 4` turns into bucket 1, then bucket 3.
    const acc = accumulator(tableInfo(schema), { batchSize: 300, random: cycling(1.5 / 2 ** 32, 3.5 / 2 ** 32) });
    const buckets: number[] = [];
    for (let i = 0; i < 30; i++) buckets.push(acc.append({ id: i, name: "abcdefghij" }).queue.bucketId);
    const firstSwitch = buckets.findIndex((b) => b !== buckets[0]);
    expect(buckets[0]).toBe(1);
    expect(firstSwitch).toBeGreaterThan(1);
    expect(new Set(buckets.slice(0, firstSwitch))).toEqual(new Set([1]));
    expect(buckets[firstSwitch]).toBe(3);
    const sealed = [...acc.queues()].find((q) => q.bucketId === 1)!.pending;
    expect(sealed).toHaveLength(1);
    expect(sealed[0]!.recordCount).toBe(firstSwitch);
  });

  it("round_robin: cycles through the buckets row by row", () => {
    const acc = accumulator(tableInfo(schema), { noKeyAssigner: "round_robin", random: cycling(0) });
    const buckets = Array.from({ length: 9 }, (_, i) => acc.append([i, null, null]).queue.bucketId);
    expect(buckets).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0]);
  });

  it("tables with bucket keys hash the bucket key as the Java client does", () => {
    const info = tableInfo(schema, { bucketKeys: ["name"], bucketCount: 8 });
    const acc = accumulator(info);
    const bucketer = new KeyBucketer(info);
    const names = ["a", "b", "fluss", "日本", "", "edge-42", "z".repeat(100)];
    for (const name of names) {
      expect(acc.append({ id: 1, name }).queue.bucketId).toBe(bucketer.bucketOf({ id: 1, name }));
    }
    // The same key always lands in the same bucket, whatever else the row holds.
    expect(acc.append({ id: 2, name: "fluss", score: 1 }).queue.bucketId).toBe(bucketer.bucketOf([0, "fluss", null]));
    const error = clientErrorOf(() => acc.append({ id: 3 }));
    expect(error.message).toContain("'name'");
  });

  it("partitioned tables route by partition name; each partition has its own buckets and waits for its id", () => {
    const partitioned = new Schema([
      { name: "id", type: DataTypes.int() },
      { name: "region", type: DataTypes.string() },
      { name: "day", type: DataTypes.date() },
    ]);
    const seen: string[] = [];
    const acc = accumulator(tableInfo(partitioned, { partitionKeys: ["region", "day"] }), {
      onNewPartition: (table) => seen.push(table.partitionName!),
    });
    const eu = acc.append({ id: 1, region: "EU", day: 20235 });
    const us = acc.append({ id: 2, region: "US", day: 20235 });
    const eu2 = acc.append([3, "EU", 20235]);
    expect(seen).toEqual(["EU$2025-05-27", "US$2025-05-27"]);
    expect(eu2).toBe(eu);
    expect(us.queue.table).not.toBe(eu.queue.table);
    expect([...acc.unresolvedPartitions()].map((t) => t.partitionName)).toEqual(seen);
    const error = clientErrorOf(() => acc.append({ id: 4, day: 1 }));
    expect(error.message).toContain("'region' must not be null");
  });
});

describe("a refused row", () => {
  it("throws a CLIENT_ERROR naming the column and does not poison the batch it would have joined", async () => {
    const acc = accumulator(tableInfo(schema));
    const batch = acc.append({ id: 1, name: "one", score: 1.5 });
    const refused: [unknown, string][] = [
      [{ id: 2, nope: 1 }, "unknown column 'nope'"],
      [{ id: 2, name: 42 }, "'name'"],
      [{ id: null }, "'id' is NOT NULL"],
      [{ name: "no id" }, "'id' is NOT NULL"],
      [{ id: 2 ** 31 }, "'id'"],
      [[1, "x"], "2 values but the table has 3 columns"],
      ["not a row", "a row must be"],
    ];
    for (const [row, message] of refused) {
      const error = clientErrorOf(() => acc.append(row as never));
      expect(error.message).toContain(message);
    }
    expect(acc.append([3, null, -0.25])).toBe(batch);
    expect(batch.recordCount).toBe(2);
    acc.sealExpired(true);
    expect(await rowsOf(batch, schema)).toEqual([
      { id: 1, name: "one", score: 1.5 },
      { id: 3, name: null, score: -0.25 },
    ]);
  });

  it("a refused first row leaves no empty batch behind", () => {
    const acc = accumulator(tableInfo(schema));
    clientErrorOf(() => acc.append({ id: "1" } as never));
    expect(acc.incompleteCount).toBe(0);
    expect(acc.memory.used).toBe(0);
    expect([...acc.queues()].every((q) => q.open === undefined && q.pending.length === 0)).toBe(true);
    expect(acc.append({ id: 1 }).ordinal).toBe(0);
  });
});
