import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { crc32c } from "../../../src/wire/records/crc32c.js";
import {
  ChangeType,
  encodeLogBatch,
  LogBatch,
  readLogBatches,
  V0_HEADER_SIZE,
  V1_HEADER_SIZE,
} from "../../../src/wire/records/index.js";
import { concatBytes, seededBytes, seededRandom } from "./seeded.js";

const payload = Uint8Array.from({ length: 40 }, (_, i) => i);

/** A V1 batch built by hand from the layout of protocol.md §5.1 (V1 = V0 + LeaderEpoch at 21). */
function v1Batch(baseOffset: bigint, recordCount: number, body: Uint8Array, appendOnly = true): Uint8Array {
  const b = new Uint8Array(V1_HEADER_SIZE + body.length);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, baseOffset, true);
  v.setInt32(8, b.length - 12, true);
  b[12] = 1;
  v.setBigInt64(13, 1_700_000_000_000n, true);
  v.setInt32(21, 7, true); // leader epoch
  v.setInt16(29, 3, true); // schema id
  b[31] = appendOnly ? 1 : 0;
  v.setInt32(32, recordCount - 1, true);
  v.setBigInt64(36, 99n, true);
  v.setInt32(44, 5, true);
  v.setInt32(48, recordCount, true);
  b.set(body, V1_HEADER_SIZE);
  v.setUint32(25, crc32c(b, 29), true);
  return b;
}

function expectCorrupt(f: () => unknown): FlussError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FlussError);
    expect((e as FlussError).errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
    return e as FlussError;
  }
  throw new Error("expected a CORRUPT_RECORD_EXCEPTION");
}

describe("V0 log batch encoding", () => {
  it("writes the header at the documented offsets, little-endian, with the CRC over SchemaId..end", () => {
    const b = encodeLogBatch({ schemaId: 258, recordCount: 10, writerId: 0x0102030405060708n, batchSequence: 77 }, payload);
    const v = new DataView(b.buffer);
    expect(b.length).toBe(V0_HEADER_SIZE + payload.length);
    expect(v.getBigInt64(0, true)).toBe(0n); // base offset
    expect(v.getInt32(8, true)).toBe(b.length - 12);
    expect(b[12]).toBe(0); // magic
    expect(v.getBigInt64(13, true)).toBe(0n); // commit timestamp
    expect(v.getUint32(21, true)).toBe(crc32c(b, 25));
    expect(v.getInt16(25, true)).toBe(258);
    expect(b[27]).toBe(1); // append-only
    expect(v.getInt32(28, true)).toBe(9); // last offset delta
    expect(v.getBigInt64(32, true)).toBe(0x0102030405060708n);
    expect(v.getInt32(40, true)).toBe(77);
    expect(v.getInt32(44, true)).toBe(10);
    expect([...b.subarray(48)]).toEqual([...payload]);
  });

  it("defaults to no writer id / sequence (−1) and writes LastOffsetDelta 0 for an empty batch", () => {
    const b = encodeLogBatch({ schemaId: 1, recordCount: 0 }, new Uint8Array(0));
    const batch = new LogBatch(b);
    expect(b.length).toBe(48);
    expect(batch.writerId).toBe(-1n);
    expect(batch.batchSequence).toBe(-1);
    expect(batch.lastOffsetDelta).toBe(0);
    expect(batch.payload.length).toBe(0);
    expect(batch.isValid()).toBe(true);
  });

  it("puts the change-type vector before the payload of a non-append-only batch", () => {
    const types = [ChangeType.INSERT, ChangeType.UPDATE_BEFORE, ChangeType.UPDATE_AFTER, ChangeType.DELETE];
    const b = encodeLogBatch({ schemaId: 1, recordCount: 4, appendOnly: false, changeTypes: types }, payload);
    const [batch] = [...readLogBatches(b)];
    expect(batch!.isAppendOnly).toBe(false);
    expect([...batch!.changeTypes]).toEqual(types);
    expect(batch!.changeType(3)).toBe(ChangeType.DELETE);
    expect([...batch!.payload]).toEqual([...payload]);
  });

  it("rejects bad header values with CLIENT_ERROR", () => {
    for (const init of [
      { schemaId: 40000, recordCount: 1 },
      { schemaId: -1, recordCount: 1 },
      { schemaId: 1, recordCount: -1 },
      { schemaId: 1, recordCount: 1, batchSequence: -2 },
      { schemaId: 1, recordCount: 2, appendOnly: false, changeTypes: [ChangeType.INSERT] },
      { schemaId: 1, recordCount: 1, appendOnly: false, changeTypes: [9 as ChangeType] },
    ]) {
      expect(() => encodeLogBatch(init, payload)).toThrow(FlussError);
    }
  });
});

describe("reading fetched records", () => {
  it("reads V0 and V1 batches back to back, as views into the input", () => {
    const a = encodeLogBatch({ schemaId: 2, recordCount: 3 }, payload);
    const b = v1Batch(3n, 2, payload);
    const blob = concatBytes([a, b]);
    const batches = [...readLogBatches(blob)];
    expect(batches.map((x) => x.magic)).toEqual([0, 1]);
    const [v0, v1] = batches as [LogBatch, LogBatch];
    expect(v0.bytes.buffer).toBe(blob.buffer);
    expect(v0.payload.buffer).toBe(blob.buffer);
    expect(v0.leaderEpoch).toBe(-1);
    expect(v1.baseOffset).toBe(3n);
    expect(v1.leaderEpoch).toBe(7);
    expect(v1.schemaId).toBe(3);
    expect(v1.commitTimestamp).toBe(1_700_000_000_000n);
    expect(v1.writerId).toBe(99n);
    expect(v1.batchSequence).toBe(5);
    expect(v1.recordCount).toBe(2);
    expect(v1.lastOffset).toBe(4n);
    expect(v1.nextOffset).toBe(5n);
    expect(v1.headerSize).toBe(52);
    expect([...v1.payload]).toEqual([...payload]);
  });

  it("reads a V1 batch that is not append-only (change types after the 52-byte header)", () => {
    const body = concatBytes([Uint8Array.of(1, 4), payload]);
    const [batch] = [...readLogBatches(v1Batch(0n, 2, body, false))];
    expect([...batch!.changeTypes]).toEqual([1, 4]);
    expect([...batch!.payload]).toEqual([...payload]);
  });

  it("treats RecordCount 0 as no payload even when LastOffsetDelta is set", () => {
    const [batch] = [...readLogBatches(v1Batch(10n, 0, new Uint8Array(0)))];
    expect(batch!.recordCount).toBe(0);
    expect(batch!.payload.length).toBe(0);
  });

  it("stops quietly at a trailing partial batch", () => {
    const a = encodeLogBatch({ schemaId: 2, recordCount: 3 }, payload);
    const b = encodeLogBatch({ schemaId: 2, recordCount: 3 }, payload);
    const blob = concatBytes([a, b]);
    for (let cut = a.length; cut < blob.length; cut++) {
      expect([...readLogBatches(blob.subarray(0, cut))]).toHaveLength(1);
    }
    expect([...readLogBatches(new Uint8Array(0))]).toHaveLength(0);
    expect([...readLogBatches(a.subarray(0, 11))]).toHaveLength(0);
  });

  it("reports a CRC mismatch as CORRUPT_RECORD_EXCEPTION, and can skip the check", () => {
    const a = encodeLogBatch({ schemaId: 2, recordCount: 3 }, payload);
    for (const at of [25, 27, 30, 47, 48, a.length - 1]) {
      const bad = a.slice();
      bad[at] = bad[at]! ^ 0x10;
      expect(expectCorrupt(() => [...readLogBatches(bad)]).message).toMatch(/CRC/);
    }
    // Fields outside the CRC (base offset, commit timestamp) may change: the server fills them in.
    const stamped = a.slice();
    stamped[0] = 5;
    stamped[15] = 9;
    expect([...readLogBatches(stamped)]).toHaveLength(1);
    const bad = a.slice();
    bad[50] = bad[50]! ^ 1;
    expect([...readLogBatches(bad, { skipCrcCheck: true })]).toHaveLength(1);
  });

  it("rejects an unknown magic and impossible lengths", () => {
    const a = encodeLogBatch({ schemaId: 2, recordCount: 3 }, payload);
    const badMagic = a.slice();
    badMagic[12] = 2;
    expectCorrupt(() => [...readLogBatches(badMagic)]);
    const shortLength = a.slice();
    new DataView(shortLength.buffer).setInt32(8, 10, true);
    expectCorrupt(() => [...readLogBatches(shortLength)]);
    const negative = a.slice();
    new DataView(negative.buffer).setInt32(8, -100, true);
    expectCorrupt(() => [...readLogBatches(negative)]);
  });

  it("never crashes, hangs or allocates on garbage and mutated blobs (seeded fuzz)", () => {
    const rnd = seededRandom(2024);
    const valid = concatBytes([
      encodeLogBatch({ schemaId: 2, recordCount: 3 }, payload),
      v1Batch(3n, 2, payload),
      encodeLogBatch({ schemaId: 2, recordCount: 2, appendOnly: false, changeTypes: [1, 2] }, payload),
    ]);
    const started = Date.now();
    for (let round = 0; round < 5000; round++) {
      let blob: Uint8Array;
      if (round % 4 === 0) blob = seededBytes(rnd, Math.floor(rnd() * 300));
      else {
        blob = valid.slice(0, Math.max(0, valid.length - Math.floor(rnd() * 40)));
        const flips = 1 + Math.floor(rnd() * 5);
        for (let k = 0; k < flips && blob.length > 0; k++) blob[Math.floor(rnd() * blob.length)] = Math.floor(rnd() * 256);
      }
      try {
        for (const batch of readLogBatches(blob)) {
          expect(batch.bytes.length).toBeLessThanOrEqual(blob.length);
          expect(batch.payload.length).toBeLessThanOrEqual(batch.bytes.length);
        }
      } catch (e) {
        expect(e).toBeInstanceOf(FlussError);
        expect((e as FlussError).errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
      }
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("encodeLogRecords", () => {
  it("wraps an Arrow payload in a V0 batch in one buffer, with idempotence fields and change types", async () => {
    const { DataTypes, Schema } = await import("../../../src/metadata/index.js");
    const { rowsToRecordBatch } = await import("../../../src/row/index.js");
    const { encodeLogRecords, parseArrowMessage } = await import("../../../src/wire/records/index.js");
    const schema = new Schema([{ name: "a", type: DataTypes.int() }]);
    const batch = rowsToRecordBatch(schema, [[1], [2], [3]]);
    const appended = await encodeLogRecords(batch, { schemaId: 4, writerId: 12n, batchSequence: 0 });
    const [a] = [...readLogBatches(appended)];
    expect([a!.schemaId, a!.recordCount, a!.writerId, a!.batchSequence, a!.isAppendOnly]).toEqual([4, 3, 12n, 0, true]);
    expect(parseArrowMessage(a!.payload).meta.length).toBe(3);

    const cdc = await encodeLogRecords(batch, { schemaId: 4, changeTypes: [ChangeType.INSERT, ChangeType.UPDATE_BEFORE, ChangeType.UPDATE_AFTER] });
    const [c] = [...readLogBatches(cdc)];
    expect(c!.isAppendOnly).toBe(false);
    expect([...c!.changeTypes]).toEqual([1, 2, 3]);
    expect(parseArrowMessage(c!.payload).meta.length).toBe(3);

    const empty = await encodeLogRecords(rowsToRecordBatch(schema, []), { schemaId: 4 });
    expect(empty.length).toBe(V0_HEADER_SIZE);
    expect([...readLogBatches(empty)][0]!.payload.length).toBe(0);
  });
});
