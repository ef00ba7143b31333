/**
 * A primary-key table's records on their way into KV batches (no cluster): routed to the bucket the
 * Java client hashes the key to, keys and rows encoded as the server reads them, deletes without a
 * row, bad rows refused whole, partial updates, and the key shapes `delete` and `lookup` take.
 */
import { describe, expect, it } from "vitest";
import { bucketKeyEncoderOf, flussBucketing, primaryKeyEncoderOf } from "../../../src/bucketing/index.js";
import { kvFormatOf, kvRecordEncoderOf, primaryKeyRow } from "../../../src/client/write/kv-encoder.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { finishKvBatch, readKvBatch } from "../../../src/wire/records/index.js";
import { CompactedRowDecoder, IndexedRowDecoder } from "../../../src/wire/rows/index.js";
import { accumulator, clientErrorOf, tableInfo } from "./helpers.js";

const SCHEMA = new Schema(
  [
    { name: "id", type: DataTypes.int().notNull() },
    { name: "name", type: DataTypes.string() },
    { name: "score", type: DataTypes.bigint() },
    { name: "tag", type: DataTypes.binary(2) },
  ],
  { primaryKeys: ["id"] },
);

/** The records of a sealed batch: key bytes and decoded rows (null for a delete). */
function recordsOf(bytes: Uint8Array | undefined, decode: (row: Uint8Array) => unknown[]) {
  expect(bytes, "the batch is encoded").toBeDefined();
  return readKvBatch(finishKvBatch(bytes!, { schemaId: 1, recordCount: readCount(bytes!) })).records.map((r) => ({
    key: [...r.key],
    row: r.row && decode(r.row),
  }));
}

function readCount(bytes: Uint8Array): number {
  // Records are counted by walking them: the header is not written until the batch is sent.
  let count = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 28; pos < bytes.length; pos += 4 + view.getInt32(pos, true)) count++;
  return count;
}

describe("KV records in the accumulator", () => {
  const info = tableInfo(SCHEMA);
  const keyOf = (id: number) => [...primaryKeyEncoderOf(info).encodeKey({ id })];
  const decode = (row: Uint8Array) => new CompactedRowDecoder(info.getRowType()).decode(row);

  it("routes each key to the bucket the Java client hashes it to, and encodes key and row as the server reads them", () => {
    const acc = accumulator(info);
    const kv = kvRecordEncoderOf(info);
    const batches = new Map<number, ReturnType<typeof acc.appendKv>>();
    for (let id = 0; id < 40; id++) {
      const batch = acc.appendKv({ id, name: `n${id}`, score: BigInt(id) }, kv, "upsert");
      expect(batch.isKv).toBe(true);
      expect(batch.queue.bucketId).toBe(flussBucketing.bucketing(primaryKeyEncoderOf(info).encodeKey({ id }), 4));
      batches.set(batch.queue.bucketId, batch);
    }
    acc.sealExpired(true);
    const all = [...batches.values()].flatMap((batch) => recordsOf(batch.bytes, decode));
    expect(all.map((r) => r.row![0]).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(40).keys()]);
    for (const record of all) {
      const id = record.row![0] as number;
      expect(record.key).toEqual(keyOf(id));
      expect(record.row).toEqual([id, `n${id}`, BigInt(id), null]);
    }
  });

  it("routes by the bucket key where it is not the primary key, and reuses the key's bytes where it is", () => {
    const schema = new Schema(
      [
        { name: "id", type: DataTypes.int().notNull() },
        { name: "region", type: DataTypes.string().notNull() },
      ],
      { primaryKeys: ["id", "region"] },
    );
    const custom = tableInfo(schema, { bucketKeys: ["region"] });
    const defaulted = tableInfo(schema);
    expect(kvRecordEncoderOf(custom).keyIsBucketKey).toBe(false);
    expect(kvRecordEncoderOf(defaulted).keyIsBucketKey).toBe(true);
    for (const [info, encoder] of [[custom, bucketKeyEncoderOf(custom)!], [defaulted, primaryKeyEncoderOf(defaulted)]] as const) {
      const acc = accumulator(info);
      const kv = kvRecordEncoderOf(info);
      for (let id = 0; id < 30; id++) {
        const row = { id, region: `r${id % 7}` };
        expect(acc.appendKv(row, kv, "upsert").queue.bucketId).toBe(flussBucketing.bucketing(encoder.encodeKey(row), 4));
      }
    }
  });

  it("writes a delete as a key without a row; keys come as objects, key-order arrays or whole rows", () => {
    const acc = accumulator(tableInfo(SCHEMA, { bucketCount: 1 }));
    const kv = kvRecordEncoderOf(info);
    acc.appendKv(primaryKeyRow(info, { id: 5 }, "a key to delete"), kv, "delete");
    acc.appendKv(primaryKeyRow(info, [6], "a key to delete"), kv, "delete");
    const batch = acc.appendKv(primaryKeyRow(info, [7, "whole", 1n, null], "a key to delete"), kv, "delete");
    acc.sealExpired(true);
    expect(recordsOf(batch.bytes, decode)).toEqual([
      { key: keyOf(5), row: null },
      { key: keyOf(6), row: null },
      { key: keyOf(7), row: null },
    ]);
    expect(clientErrorOf(() => primaryKeyRow(info, [1, 2], "a key to delete")).message).toContain("a key to delete is an array of the 1 primary-key value(s) (id)");
    expect(clientErrorOf(() => primaryKeyRow(info, { id: 1, other: 2 }, "a lookup key")).message).toContain("unknown column 'other'");
    expect(clientErrorOf(() => primaryKeyRow(info, "1" as never, "a lookup key")).message).toContain("a lookup key must be an object");
  });

  it("refuses a row that does not fit whole: the batch and the buffer stay as they were", () => {
    const acc = accumulator(tableInfo(SCHEMA, { bucketCount: 1 }));
    const kv = kvRecordEncoderOf(info);
    const batch = acc.appendKv({ id: 1, name: "kept" }, kv, "upsert");
    const used = acc.memory.used;
    expect(clientErrorOf(() => acc.appendKv({ id: 2, score: "x" }, kv, "upsert")).message).toContain("'score'");
    expect(clientErrorOf(() => acc.appendKv({ id: null, name: "x" }, kv, "upsert")).message).toContain("'id'");
    expect(clientErrorOf(() => acc.appendKv({ id: 3, tag: new Uint8Array(3) }, kv, "upsert")).message).toContain("'tag'");
    expect(acc.memory.used).toBe(used);
    expect(batch.recordCount).toBe(1);
    acc.sealExpired(true);
    expect(recordsOf(batch.bytes, decode)).toEqual([{ key: keyOf(1), row: [1, "kept", null, null] }]);
  });

  it("writes only a partial update's columns, the others as null, and refuses values for the others", () => {
    const acc = accumulator(tableInfo(SCHEMA, { bucketCount: 1 }));
    const kv = kvRecordEncoderOf(info, [0, 2]);
    expect(kv.targetColumns).toEqual([0, 2]);
    const batch = acc.appendKv({ id: 1, score: 9n }, kv, "upsert");
    acc.appendKv([2, null, 3n, null], kv, "upsert");
    expect(clientErrorOf(() => acc.appendKv({ id: 3, name: "x", score: 1n }, kv, "upsert")).message).toContain(
      "'name' is not among the partial update's columns",
    );
    expect(clientErrorOf(() => acc.appendKv([3, null], kv, "upsert")).message).toContain("4 columns");
    acc.sealExpired(true);
    expect(recordsOf(batch.bytes, decode).map((r) => r.row)).toEqual([
      [1, null, 9n, null],
      [2, null, 3n, null],
    ]);
  });

  it("writes INDEXED rows for a table of table.kv.format INDEXED, refusing BINARY values that end in a zero byte", () => {
    const indexed = tableInfo(SCHEMA, { bucketCount: 1, properties: { "table.kv.format": "indexed" } });
    expect(kvFormatOf(indexed)).toBe("INDEXED");
    const acc = accumulator(indexed);
    const kv = kvRecordEncoderOf(indexed);
    const batch = acc.appendKv({ id: 1, tag: Uint8Array.of(1, 2) }, kv, "upsert");
    expect(clientErrorOf(() => acc.appendKv({ id: 2, tag: Uint8Array.of(1, 0) }, kv, "upsert")).message).toContain(
      "'tag' is BINARY(2) in a table of table.kv.format INDEXED",
    );
    acc.sealExpired(true);
    const indexedDecode = (row: Uint8Array) => new IndexedRowDecoder(indexed.getRowType()).decode(row);
    expect(recordsOf(batch.bytes, indexedDecode)).toEqual([{ key: keyOf(1), row: [1, null, null, Uint8Array.of(1, 2)] }]);
    expect(clientErrorOf(() => kvFormatOf(tableInfo(SCHEMA, { properties: { "table.kv.format": "parquet" } }))).message).toContain("PARQUET");
  });
});
