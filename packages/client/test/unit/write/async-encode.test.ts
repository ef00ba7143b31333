/**
 * Batches encoded off the JS thread (a codec with `compressAsync`): encodes
 * of one bucket's successive batches and of several buckets overlap and end
 * in any order, yet each bucket's batches go out in append order, memory is
 * accounted as for the synchronous path, a failed encode fails only its
 * batch, and waiting for the writer (flush) covers batches still encoding.
 */
import { describe, expect, it } from "vitest";
import { ASYNC_ENCODE_MIN_BYTES, type RecordAccumulator } from "../../../src/client/write/record-accumulator.js";
import type { WriteBatch } from "../../../src/client/write/write-batch.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { readLogBatches } from "../../../src/wire/records/index.js";
import { ControlledCodec, settle, type HeldCompression } from "./controlled-codec.js";
import { accumulator, arrowStorageOf, cycling, rowsOf, tableInfo } from "./helpers.js";

const schema = new Schema([
  { name: "id", type: DataTypes.bigint().notNull() },
  { name: "payload", type: DataTypes.string() },
]);

/** Full batches are well above the off-thread threshold; the last, partial one of each bucket is below it. */
const BATCH_SIZE = 80 * 1024;
const TRAILING_ROWS_PER_BUCKET = 10;

interface Writes {
  acc: RecordAccumulator;
  codec: ControlledCodec;
  /** Full batches, in the order they were sealed (their encodes started then). */
  full: WriteBatch[];
  /** The partial batches sealed at the end (encoded at once: small). */
  trailing: WriteBatch[];
  /** The compressions each full batch is waiting for. */
  heldOf: Map<WriteBatch, HeldCompression[]>;
  /** Row ids per batch and per bucket, in append order. */
  idsOf: Map<WriteBatch, bigint[]>;
  appended: Map<number, bigint[]>;
  /** How often the accumulator reported an off-thread encode as ended. */
  encodesEnded: () => number;
}

/** Appends rows round-robin over `buckets` buckets until each has sealed `fullPerBucket` batches, then a few more, and seals everything. */
async function write(fullPerBucket: number, buckets = 2): Promise<Writes> {
  const codec = await ControlledCodec.create();
  let ended = 0;
  const acc = accumulator(tableInfo(schema, { bucketCount: buckets }), {
    batchSize: BATCH_SIZE,
    noKeyAssigner: "round_robin",
    random: cycling(0),
    compression: { codec: "ZSTD", level: 3 },
    onEncoded: () => ended++,
  });
  acc.setCodec(codec);
  const full: WriteBatch[] = [];
  const heldOf = new Map<WriteBatch, HeldCompression[]>();
  const idsOf = new Map<WriteBatch, bigint[]>();
  const appended = new Map<number, bigint[]>();
  let id = 0n;
  const append = (): WriteBatch => {
    const batch = acc.append({ id, payload: `row ${id} `.repeat(150).slice(0, 1000) });
    idsOf.set(batch, [...(idsOf.get(batch) ?? []), id]);
    appended.set(batch.queue.bucketId, [...(appended.get(batch.queue.bucketId) ?? []), id]);
    id++;
    return batch;
  };
  let mark = 0;
  while (full.length < fullPerBucket * buckets) {
    const batch = append();
    if (batch.state !== "sealed") continue;
    // All compressions of a batch start while it is sealed, before the next row comes in.
    full.push(batch);
    heldOf.set(batch, codec.held.slice(mark));
    mark = codec.held.length;
  }
  const trailing = new Set<WriteBatch>();
  for (let i = 0; i < TRAILING_ROWS_PER_BUCKET * buckets; i++) trailing.add(append());
  acc.sealExpired(true);
  return { acc, codec, full, trailing: [...trailing], heldOf, idsOf, appended, encodesEnded: () => ended };
}

/**
 * Stands in for the sender's ordering rule (Sender#take): a bucket's head
 * batch goes once it is encoded, never a batch behind it. Records the ids
 * each bucket "sent", acknowledges the batch, and notes whether any bucket
 * had an encoded batch waiting behind an unencoded head.
 */
async function drain(acc: RecordAccumulator, sent: Map<number, bigint[]>): Promise<{ waitedBehind: boolean }> {
  let waitedBehind = false;
  for (const queue of acc.queues()) {
    for (let head = queue.pending[0]; head?.isEncoded; head = queue.pending[0]) {
      expect(head.accountedBytes, "an encoded batch counts its encoded size").toBe(head.bytes!.length);
      const ids = (await rowsOf(head, schema)).map((row) => row.id as bigint);
      sent.set(queue.bucketId, [...(sent.get(queue.bucketId) ?? []), ...ids]);
      acc.complete(head);
    }
    if (queue.pending.slice(1).some((batch) => batch.isEncoded)) waitedBehind = true;
  }
  return { waitedBehind };
}

function usedByBatches(acc: RecordAccumulator): number {
  let sum = 0;
  for (const queue of acc.queues()) for (const batch of [...queue.pending, ...queue.inflight]) sum += batch.accountedBytes;
  return sum;
}

describe("encoding off the JS thread", () => {
  it("sends each bucket's batches in append order, whatever order their compressions end in", async () => {
    const { acc, codec, full, trailing, appended, encodesEnded } = await write(3);
    expect(full.every((batch) => batch.estimatedBytes >= ASYNC_ENCODE_MIN_BYTES && !batch.isEncoded)).toBe(true);
    expect(trailing.every((batch) => batch.isEncoded), "small batches are encoded at once").toBe(true);
    expect(codec.held.length).toBeGreaterThanOrEqual(full.length * 2);
    // While encoding, a batch still counts its rows.
    expect(acc.memory.used).toBe(usedByBatches(acc));

    const sent = new Map<number, bigint[]>();
    let waitedBehind = (await drain(acc, sent)).waitedBehind;
    expect(sent.size, "nothing goes while every head is encoding").toBe(0);
    // The last compression asked for ends first, the first one last.
    while (codec.held.length > 0) {
      codec.held.at(-1)!.finish();
      await settle();
      waitedBehind = (await drain(acc, sent)).waitedBehind || waitedBehind;
      expect(acc.memory.used).toBe(usedByBatches(acc));
    }

    expect(waitedBehind, "later batches finished encoding before their bucket's head").toBe(true);
    expect(sent).toEqual(appended);
    expect(encodesEnded()).toBe(full.length);
    await Promise.all([...full, ...trailing].map((batch) => batch.result.wait()));
    expect(acc.incompleteCount).toBe(0);
    expect(acc.memory.used).toBe(0);
  });

  it("a failed compression fails only its batch; the bucket's later batches go on", async () => {
    const { acc, codec, full, heldOf, idsOf, appended } = await write(3);
    const victim = full.filter((batch) => batch.queue.bucketId === full[0]!.queue.bucketId)[1]!;
    for (const held of heldOf.get(victim)!) held.fail(new Error("zstd blew up"));
    await settle();
    expect(victim.state).toBe("done");
    const error = await victim.result.wait().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect((error as FlussError).message).toBe("cannot encode the batch: zstd blew up");

    const sent = new Map<number, bigint[]>();
    while (codec.held.length > 0) {
      codec.held.at(-1)!.finish();
      await settle();
      await drain(acc, sent);
    }
    const lost = new Set(idsOf.get(victim));
    const expected = new Map([...appended].map(([bucket, ids]) => [bucket, ids.filter((id) => !lost.has(id))]));
    expect(sent).toEqual(expected);
    expect(acc.takeFailure(acc.nextOrdinal)).toBe(error);
    expect(acc.incompleteCount).toBe(0);
    expect(acc.memory.used).toBe(0);
  });

  it("waiting for everything appended (flush) covers batches still encoding", async () => {
    const { acc, codec } = await write(1);
    // What AppendWriter.flush waits for.
    let flushed = false;
    const flush = Promise.allSettled(acc.incompleteBefore(acc.nextOrdinal).map((batch) => batch.result.wait())).then(() => {
      flushed = true;
    });
    const sent = new Map<number, bigint[]>();
    while (codec.held.length > 1) {
      codec.held[0]!.finish();
      await settle();
      await drain(acc, sent);
    }
    await settle();
    expect(flushed).toBe(false);
    expect(acc.incompleteCount).toBeGreaterThan(0);
    codec.held[0]!.finish();
    await settle();
    await drain(acc, sent);
    await flush;
    expect(acc.incompleteCount).toBe(0);
    expect(acc.memory.used).toBe(0);
  });

  it("a writer failed (or closed) while encodes run frees their memory at once and drops their late results quietly", async () => {
    const { acc, codec, full, heldOf } = await write(2);
    acc.failAll(FlussError.client("the writer was closed"));
    expect(acc.memory.used).toBe(0);
    expect(acc.incompleteCount).toBe(0);
    // Late ends, good (every other batch) and bad: no bytes kept, no memory counted, no unhandled rejection.
    full.forEach((batch, i) => {
      for (const held of heldOf.get(batch)!) {
        if (i % 2 === 0) held.finish();
        else held.fail(new Error("late failure"));
      }
    });
    expect(codec.held).toHaveLength(0);
    await settle();
    expect(full.every((batch) => batch.state === "done" && !batch.isEncoded && batch.accountedBytes === 0)).toBe(true);
    expect(acc.memory.used).toBe(0);
    for (const batch of full) await expect(batch.result.wait()).rejects.toThrow("the writer was closed");
  });

  it("sends small batches uncompressed while the codec loads, starts larger ones once it arrives, then encodes small ones on the JS thread", async () => {
    const codec = await ControlledCodec.create();
    const acc = accumulator(tableInfo(schema, { bucketCount: 1 }), { batchSize: BATCH_SIZE, compression: { codec: "ZSTD", level: 3 } });
    let batch = acc.append({ id: 0n, payload: "x".repeat(1000) });
    while (batch.state === "open") batch = acc.append({ id: 1n, payload: "y".repeat(1000) });
    const small = acc.append({ id: 2n, payload: "small" });
    acc.sealExpired(true);
    // The full batch waits for the codec; the small one is encoded at once, without compression.
    expect([batch.isEncoded, small.isEncoded, codec.calls]).toEqual([false, true, 0]);
    expect(storageOf(small)).toEqual({ codec: "ZSTD", allBuffersRaw: true });

    acc.setCodec(codec);
    expect(batch.isEncoded).toBe(false);
    const calls = codec.calls;
    expect(calls).toBeGreaterThan(0);
    acc.encodePending(); // a batch already encoding, or encoded, is not encoded again
    expect(codec.calls).toBe(calls);
    while (codec.held.length > 0) codec.held[0]!.finish();
    await settle();
    expect(batch.isEncoded).toBe(true);
    expect(storageOf(batch)).toEqual({ codec: "ZSTD", allBuffersRaw: false });
    expect((await rowsOf(batch, schema)).every((row) => row.payload === "x".repeat(1000) || row.payload === "y".repeat(1000))).toBe(true);
    expect((await rowsOf(small, schema)).map((row) => row.payload)).toEqual(["small"]);

    // With the codec there, a small batch is compressed on the JS thread, not sent to the pool.
    const later = acc.append({ id: 3n, payload: "later".repeat(200) }); // compressible
    acc.sealExpired(true);
    expect([later.isEncoded, codec.calls]).toEqual([true, calls]);
    expect(storageOf(later)).toEqual({ codec: "ZSTD", allBuffersRaw: false });
    for (const each of [batch, small, later]) acc.complete(each);
    expect(acc.memory.used).toBe(0);
  });
});

/** How an encoded batch's Arrow body is stored. */
function storageOf(batch: WriteBatch): ReturnType<typeof arrowStorageOf> {
  batch.finishHeader(1);
  const [logBatch] = [...readLogBatches(batch.bytes!)];
  return arrowStorageOf(logBatch!.payload);
}
