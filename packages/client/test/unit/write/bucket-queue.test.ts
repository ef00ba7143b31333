/**
 * The per-bucket bookkeeping behind ordered, idempotent retries: a retried
 * batch goes back to its own place, and a batch refused for good closes its
 * sequence gap.
 */
import { describe, expect, it } from "vitest";
import { nextSequenceAfter } from "../../../src/client/write/bucket-queue.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { readLogBatches } from "../../../src/wire/records/index.js";
import { accumulator, tableInfo } from "./helpers.js";

const schema = new Schema([{ name: "id", type: DataTypes.int() }]);

/** Four sealed batches of one bucket, numbered 0–3 under writer 9 as the sender would. */
function fourBatches() {
  const acc = accumulator(tableInfo(schema, { bucketCount: 1 }));
  const batches = [0, 1, 2, 3].map((i) => {
    const batch = acc.append([i]);
    acc.sealExpired(true);
    return batch;
  });
  const queue = batches[0]!.queue;
  queue.resetSequences(9n);
  for (const batch of batches) {
    batch.writerId = 9n;
    batch.sequence = queue.nextSequence;
    queue.nextSequence = nextSequenceAfter(queue.nextSequence);
    batch.finishHeader(1);
  }
  return { acc, queue, batches };
}

describe("BucketQueue", () => {
  it("puts a retried batch back before everything written after it", () => {
    const { queue, batches } = fourBatches();
    // All four sent: move them in flight.
    queue.inflight.push(...queue.pending.splice(0));
    queue.requeue(batches[2]!);
    queue.requeue(batches[0]!);
    queue.requeue(batches[3]!);
    expect(queue.pending.map((b) => b.sequence)).toEqual([0, 2, 3]);
    expect(queue.inflight.map((b) => b.sequence)).toEqual([1]);
  });

  it("moves later sequences down by one when a batch is refused for good, and re-heads them", () => {
    const { queue, batches } = fourBatches();
    queue.lastAcked = 0;
    queue.inflight.push(...queue.pending.splice(0, 2)); // 0 (acknowledged meanwhile) and 1 in flight, 2 and 3 waiting
    queue.remove(batches[0]!);
    queue.remove(batches[1]!); // 1 failed for good
    queue.closeSequenceGap(1, 9n);
    expect(batches.slice(2).map((b) => [b.sequence, b.sequenceReset])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(queue.nextSequence).toBe(3);
    expect(queue.expectedSequence).toBe(1);
    // Before its next send the header is rewritten with the new number.
    batches[2]!.finishHeader(1);
    expect([...readLogBatches(batches[2]!.bytes!)][0]!.batchSequence).toBe(1);
    expect(batches[2]!.sequenceReset).toBe(false);
  });

  it("leaves batches of another writer id alone", () => {
    const { queue, batches } = fourBatches();
    queue.closeSequenceGap(1, 8n);
    expect(batches.map((b) => b.sequence)).toEqual([0, 1, 2, 3]);
  });

  it("wraps sequences from Integer.MAX_VALUE to 0, as the server accepts", () => {
    expect(nextSequenceAfter(0x7fffffff)).toBe(0);
    const { queue } = fourBatches();
    queue.lastAcked = 0x7fffffff;
    expect(queue.expectedSequence).toBe(0);
  });
});
