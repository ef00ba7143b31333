import { describe, expect, it } from "vitest";
import {
  createBucketAssigner,
  HashBucketAssigner,
  KeyBucketer,
  paimonBucketing,
  primaryKeyEncoderOf,
  RoundRobinBucketAssigner,
  StickyBucketAssigner,
} from "../../../src/bucketing/index.js";
import { DataTypes } from "../../../src/metadata/data-types.js";
import { Schema } from "../../../src/metadata/schema.js";
import { TableDescriptor } from "../../../src/metadata/table-descriptor.js";
import { TableInfo } from "../../../src/metadata/table-info.js";
import { TablePath } from "../../../src/metadata/table-path.js";
import { CompactedKeyEncoder, IcebergKeyEncoder, PaimonKeyEncoder } from "../../../src/wire/rows/index.js";

/** A deterministic "random" source: the given values in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

const columns = [
  { name: "id", type: DataTypes.int() },
  { name: "region", type: DataTypes.string() },
  { name: "v", type: DataTypes.string() },
];

function info(options: { primaryKeys?: string[]; partitionKeys?: string[]; bucketKeys?: string[]; properties?: Record<string, string> }): TableInfo {
  const schema = new Schema(columns, { primaryKeys: options.primaryKeys ?? [] });
  const descriptor = new TableDescriptor(schema, {
    bucketCount: 16,
    partitionKeys: options.partitionKeys ?? [],
    bucketKeys: options.bucketKeys ?? [],
    properties: options.properties ?? {},
  });
  return new TableInfo(new TablePath("db", "t"), 1, 1, descriptor, 0, 0);
}

describe("StickyBucketAssigner (Java semantics)", () => {
  it("stays on one bucket until its batch is full, then moves to another available bucket", () => {
    const a = new StickyBucketAssigner(8, sequence(0.3, 0.3, 0.7));
    const available = [0, 2, 4, 6];
    const first = a.assignBucket(undefined, available);
    expect(available).toContain(first);
    for (let i = 0; i < 5; i++) expect(a.assignBucket(undefined, available)).toBe(first);
    expect(a.abortIfBatchFull).toBe(true);
    a.onNewBatch(first, available);
    const second = a.assignBucket(undefined, available);
    expect(second).not.toBe(first);
    expect(available).toContain(second);
  });

  it("ignores a batch-full signal for a bucket it already left, and uses the only available bucket", () => {
    const a = new StickyBucketAssigner(8, sequence(0.9));
    const b = a.assignBucket(undefined, [3, 5]);
    a.onNewBatch(b === 3 ? 5 : 3, [3, 5]);
    expect(a.assignBucket(undefined, [3, 5])).toBe(b);
    const single = new StickyBucketAssigner(8);
    expect(single.assignBucket(undefined, [7])).toBe(7);
  });

  it("picks any bucket when none is known to be available", () => {
    const a = new StickyBucketAssigner(4, sequence(0.99));
    expect(a.assignBucket(undefined)).toBe(Math.floor(0.99 * 2 ** 32) % 2 ** 31 % 4);
  });
});

describe("RoundRobinBucketAssigner (Java semantics)", () => {
  it("cycles through the available buckets from a random start", () => {
    const a = new RoundRobinBucketAssigner(4, sequence(0));
    expect([0, 1, 2, 3, 4].map(() => a.assignBucket(undefined, [1, 3]))).toEqual([1, 3, 1, 3, 1]);
    const b = new RoundRobinBucketAssigner(3, sequence(0.5));
    // counter starts at Math.floor(0.5 × 2^32) | 0 = −2^31 → toPositive → 0
    expect([0, 1, 2, 3].map(() => b.assignBucket(undefined))).toEqual([0, 1, 2, 0]);
    expect(b.abortIfBatchFull).toBe(false);
  });
});

describe("HashBucketAssigner and the table's encoders", () => {
  it("hash-assigns tables with bucket keys, with the lake format's function", () => {
    const assigner = createBucketAssigner(info({ bucketKeys: ["id"] }));
    expect(assigner).toBeInstanceOf(HashBucketAssigner);
    expect(assigner.assignBucket(new Uint8Array([0xc8, 0x01]))).toBe(6);
    expect(() => assigner.assignBucket(undefined)).toThrow(/bucket key/);
    expect(createBucketAssigner(info({}))).toBeInstanceOf(StickyBucketAssigner);
    expect(createBucketAssigner(info({}), "round_robin")).toBeInstanceOf(RoundRobinBucketAssigner);
    const paimon = createBucketAssigner(info({ bucketKeys: ["id"], properties: { "table.datalake.format": "paimon" } }));
    expect(paimon.assignBucket(new Uint8Array([1, 2, 3]))).toBe(paimonBucketing.bucketing(new Uint8Array([1, 2, 3]), 16));
  });

  it("a primary-key table hashes its physical primary key (without partition columns)", () => {
    const t = info({ primaryKeys: ["id", "region"], partitionKeys: ["region"] });
    const bucketer = new KeyBucketer(t);
    expect(bucketer.encoder.keyNames).toEqual(["id"]);
    expect(Buffer.from(bucketer.bucketKey([200, "EU", "x"])).toString("hex")).toBe("c801");
    expect(bucketer.bucketOf({ id: 200, region: "EU" })).toBe(6);
    expect(primaryKeyEncoderOf(t).keyNames).toEqual(["id"]);
  });

  it("picks the key encoders as Java's KeyEncoder.ofPrimaryKeyEncoder / ofBucketKeyEncoder", () => {
    const lake = { "table.datalake.format": "paimon" };
    // default bucket key: the lake encoder for both
    expect(primaryKeyEncoderOf(info({ primaryKeys: ["id", "v"], properties: lake }))).toBeInstanceOf(PaimonKeyEncoder);
    // custom bucket key, kv format v1 (legacy): lake encoder for the primary key too
    const v1 = info({ primaryKeys: ["id", "v"], bucketKeys: ["id"], properties: lake });
    expect(primaryKeyEncoderOf(v1)).toBeInstanceOf(PaimonKeyEncoder);
    expect(new KeyBucketer(v1).encoder).toBeInstanceOf(PaimonKeyEncoder);
    // custom bucket key, kv format v2: compacted primary key (prefix lookups), lake bucket key
    const v2 = info({ primaryKeys: ["id", "v"], bucketKeys: ["id"], properties: { ...lake, "table.kv.format-version": "2" } });
    expect(primaryKeyEncoderOf(v2)).toBeInstanceOf(CompactedKeyEncoder);
    expect(new KeyBucketer(v2).encoder).toBeInstanceOf(PaimonKeyEncoder);
    expect(new KeyBucketer(info({ bucketKeys: ["id"], properties: { "table.datalake.format": "iceberg" } })).encoder).toBeInstanceOf(IcebergKeyEncoder);
    expect(() => new KeyBucketer(info({}))).toThrow(/no bucket keys/);
  });
});
