/**
 * fluss-edge's bytes against bytes the Java client produced for the same rows
 * (fixtures/java-rows.json, captured by fixtures/capture-java-rows.ts). The interop suite
 * (tests/interop/bucketing.test.ts) checks thousands of random rows live; this pins a
 * hand-picked set of edge cases without a JVM.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flussBucketing } from "../../../src/bucketing/index.js";
import { FlussError } from "../../../src/errors/index.js";
import { Schema } from "../../../src/metadata/schema.js";
import {
  CompactedKeyEncoder,
  CompactedRowDecoder,
  CompactedRowEncoder,
  IndexedRowDecoder,
  IndexedRowEncoder,
} from "../../../src/wire/rows/index.js";
import { BUCKET_KEYS, COLUMNS, fromHex, fromProbeJson, NUM_BUCKETS, ROWS } from "./fixtures/java-rows-schema.js";

interface JavaRow {
  bucketKey: string;
  bucket: number;
  compacted?: string;
  indexed?: string;
  compactedError?: string;
  indexedError?: string;
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/java-rows.json", import.meta.url), "utf8")) as {
  bucketKeys: string[];
  numBuckets: number;
  java: JavaRow[];
};
const rowType = new Schema(COLUMNS).getRowType();
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rows = ROWS.map((r) => r.map((v, i) => fromProbeJson(COLUMNS[i]!.type, v)));

describe("rows and keys the Java client encoded (fixtures/java-rows.json)", () => {
  it("was captured for the schema and rows of java-rows-schema.ts", () => {
    expect(fixture.bucketKeys).toEqual(BUCKET_KEYS);
    expect(fixture.numBuckets).toBe(NUM_BUCKETS);
    expect(fixture.java).toHaveLength(ROWS.length);
  });

  it.each(rows.map((row, i) => [i, row] as const))("row %i: same bucket key bytes and bucket", (i, row) => {
    const key = new CompactedKeyEncoder(rowType, BUCKET_KEYS).encodeKey(row);
    expect(hex(key)).toBe(fixture.java[i]!.bucketKey);
    expect(flussBucketing.bucketing(key, NUM_BUCKETS)).toBe(fixture.java[i]!.bucket);
  });

  it.each(rows.map((row, i) => [i, row] as const))("row %i: same COMPACTED bytes, decoded back to the values", (i, row) => {
    const java = fixture.java[i]!;
    expect(java.compactedError).toBeUndefined();
    const bytes = new CompactedRowEncoder(rowType).encode(row);
    expect(hex(bytes)).toBe(java.compacted);
    const decoded = new CompactedRowDecoder(rowType).decode(fromHex(java.compacted!));
    expect(hex(new CompactedRowEncoder(rowType).encode(decoded))).toBe(java.compacted);
  });

  it.each(rows.map((row, i) => [i, row] as const))("row %i: same INDEXED bytes (or the same refusal)", (i, row) => {
    const java = fixture.java[i]!;
    const encoder = new IndexedRowEncoder(rowType);
    if (java.indexedError !== undefined) {
      // Java: ArrayIndexOutOfBounds for a CHAR(3) value of 4 UTF-8 bytes; fluss-edge: a FlussError naming the column.
      expect(() => encoder.encode(row)).toThrow(FlussError);
      expect(() => encoder.encode(row)).toThrow(/column 'c_char3' is CHAR\(3\)/);
      return;
    }
    expect(hex(encoder.encode(row))).toBe(java.indexed);
    const decoded = new IndexedRowDecoder(rowType).decode(fromHex(java.indexed!));
    expect(hex(encoder.encode(decoded))).toBe(java.indexed);
  });
});
