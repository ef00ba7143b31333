/**
 * KV record batches (PutKv `records`): the builder's layout, header and CRC as the reader (and the
 * server, see tests/integration/pk-tables.test.ts) takes them, records written whole or not at
 * all, and malformed batches refused with CORRUPT_RECORD_EXCEPTION.
 */
import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { crc32c, finishKvBatch, KV_BATCH_HEADER_SIZE, KvBatchBuilder, readKvBatch } from "../../../src/wire/records/index.js";
import type { ByteOutput } from "../../../src/wire/rows/index.js";
import { seededBytes, seededRandom } from "./seeded.js";

const bytes = (...values: number[]) => Uint8Array.from(values);
/** Writes a record's row as given (the tests' rows are their bytes). */
const asIs = (out: ByteOutput, row: Uint8Array) => out.writeBytes(row);

function corruptionOf(batch: Uint8Array): FlussError {
  try {
    readKvBatch(batch);
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
    return error as FlussError;
  }
  throw new Error("expected the batch to be refused");
}

function sampleBatch(): Uint8Array {
  const builder = new KvBatchBuilder();
  builder.append(bytes(1), bytes(0, 0xa, 0xb), asIs);
  builder.append(bytes(2, 3), undefined, asIs); // a delete
  return finishKvBatch(builder.build(), { schemaId: 3, recordCount: builder.recordCount, writerId: 77n, batchSequence: 5 });
}

describe("KV record batches", () => {
  it("lays out the 28-byte header, little-endian, with the CRC over everything from the schema id on", () => {
    const batch = sampleBatch();
    const view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
    expect(view.getInt32(0, true)).toBe(batch.length - 4);
    expect(view.getInt8(4)).toBe(0);
    expect(view.getUint32(5, true)).toBe(crc32c(batch, 9));
    expect(view.getInt16(9, true)).toBe(3);
    expect(view.getInt8(11)).toBe(0);
    expect(view.getBigInt64(12, true)).toBe(77n);
    expect(view.getInt32(20, true)).toBe(5);
    expect(view.getInt32(24, true)).toBe(2);
    // Record 1: int32 length, varint key length, key, row. Record 2: no row bytes (a delete).
    expect([...batch.subarray(KV_BATCH_HEADER_SIZE)]).toEqual([5, 0, 0, 0, 1, 1, 0, 0xa, 0xb, 3, 0, 0, 0, 2, 2, 3]);
  });

  it("reads back what it wrote: keys, rows, deletes, writer id and sequence", () => {
    const batch = readKvBatch(sampleBatch());
    expect(batch.schemaId).toBe(3);
    expect(batch.writerId).toBe(77n);
    expect(batch.batchSequence).toBe(5);
    expect(batch.records.map((r) => [[...r.key], r.row && [...r.row]])).toEqual([
      [[1], [0, 0xa, 0xb]],
      [[2, 3], null],
    ]);
  });

  it("defaults to no writer id and no sequence (−1), and a header rewritten for a retry keeps the records", () => {
    const builder = new KvBatchBuilder();
    builder.append(bytes(9), bytes(1), asIs);
    const raw = builder.build();
    expect(readKvBatch(finishKvBatch(raw, { schemaId: 1, recordCount: 1 }))).toMatchObject({ writerId: -1n, batchSequence: -1 });
    const again = readKvBatch(finishKvBatch(raw, { schemaId: 1, recordCount: 1, writerId: 4n, batchSequence: 0 }));
    expect(again).toMatchObject({ writerId: 4n, batchSequence: 0 });
    expect(again.records).toHaveLength(1);
  });

  it("writes a record whole or not at all: a row that throws leaves the batch as it was", () => {
    const builder = new KvBatchBuilder();
    builder.append(bytes(1), bytes(7), asIs);
    const before = builder.build();
    expect(() =>
      builder.append(bytes(2), bytes(1, 2, 3), (out, row) => {
        out.writeBytes(row);
        throw FlussError.client("column 'x' does not fit");
      }),
    ).toThrow("column 'x'");
    expect(builder.recordCount).toBe(1);
    expect(builder.build()).toEqual(before);
    expect(() => builder.append(new Uint8Array(0), undefined, asIs)).toThrow(FlussError);
  });

  it("takes long keys and rows (multi-byte varint lengths) and many records", () => {
    const rnd = seededRandom(5);
    const builder = new KvBatchBuilder(64);
    const records = Array.from({ length: 300 }, (_, i) => ({ key: seededBytes(rnd, 1 + (i % 200)), row: i % 7 === 0 ? null : seededBytes(rnd, i * 3) }));
    for (const { key, row } of records) builder.append(key, row ?? undefined, asIs);
    const read = readKvBatch(finishKvBatch(builder.build(), { schemaId: 0, recordCount: builder.recordCount }));
    expect(read.records.map((r) => [r.key, r.row?.length ? r.row : null])).toEqual(records.map((r) => [r.key, r.row?.length ? r.row : null]));
  });

  it("refuses malformed batches with CORRUPT_RECORD_EXCEPTION, never a crash", () => {
    const good = sampleBatch();
    expect(corruptionOf(good.subarray(0, 20)).message).toContain("header");
    const flipped = good.slice();
    flipped[good.length - 1]! ^= 1;
    expect(corruptionOf(flipped).message).toContain("CRC");
    expect(corruptionOf(good.subarray(0, good.length - 1)).message).toContain("length field");
    const magic = good.slice();
    magic[4] = 1;
    expect(corruptionOf(magic).message).toContain("magic");
    // Every truncation and single-byte change (CRC fixed up afterwards) either reads or is refused.
    const rnd = seededRandom(9);
    for (let i = 0; i < 2000; i++) {
      const mutated = good.slice();
      mutated[KV_BATCH_HEADER_SIZE + Math.floor(rnd() * (good.length - KV_BATCH_HEADER_SIZE))] = Math.floor(rnd() * 256);
      new DataView(mutated.buffer).setUint32(5, crc32c(mutated, 9), true);
      try {
        readKvBatch(mutated);
      } catch (error) {
        expect((error as FlussError).errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
      }
    }
  });

  it("checks its header fields", () => {
    const raw = new KvBatchBuilder().build();
    expect(() => finishKvBatch(raw, { schemaId: 40_000, recordCount: 0 })).toThrow("schema id");
    expect(() => finishKvBatch(raw, { schemaId: 1, recordCount: -1 })).toThrow("record count");
    expect(() => finishKvBatch(raw, { schemaId: 1, recordCount: 0, batchSequence: -2 })).toThrow("batch sequence");
    expect(() => finishKvBatch(new Uint8Array(10), { schemaId: 1, recordCount: 0 })).toThrow("header");
  });
});
