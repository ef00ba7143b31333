/**
 * Writer settings (checked as the official clients check them), the
 * table's compression, and Arrow input: schema checks and sliced batches.
 */
import { Field, Int64, LargeUtf8, RecordBatch, Schema as ArrowSchema, TimestampMicrosecond, Utf8 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { checkArrowSchema, checkNotNulls, rowsPerArrowChunk } from "../../../src/client/write/arrow-input.js";
import { logCompressionOf, writerOptionsFrom } from "../../../src/client/write/write-options.js";
import { Config } from "../../../src/config/index.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { rowsToRecordBatch } from "../../../src/row/index.js";
import { accumulator, clientErrorOf, rowsOf, tableInfo } from "./helpers.js";

const schema = new Schema([
  { name: "id", type: DataTypes.bigint().notNull() },
  { name: "name", type: DataTypes.string() },
  { name: "at", type: DataTypes.timestampLtz(6) },
]);

describe("writer settings", () => {
  const options = (properties: Record<string, string | number | boolean>) => writerOptionsFrom(new Config(properties).resolve());

  it("reads the writer.* keys with the official defaults", () => {
    expect(options({})).toMatchObject({
      batchSize: 2 * 1024 * 1024,
      batchTimeoutMs: 100,
      acks: -1,
      idempotence: true,
      maxInflightPerBucket: 5,
      bufferMemory: 64 * 1024 * 1024,
      bufferWaitTimeoutMs: Number.POSITIVE_INFINITY,
      noKeyAssigner: "sticky",
      requestTimeoutMs: 30_000,
    });
    expect(options({ "writer.acks": "0", "writer.enable-idempotence": "false", "client.writer.batch-timeout": "5 ms" })).toMatchObject({
      acks: 0,
      idempotence: false,
      batchTimeoutMs: 5,
    });
  });

  it("refuses combinations that do not go together, naming the keys", () => {
    expect(clientErrorOf(() => options({ "writer.acks": "1" })).message).toMatch(/writer\.enable-idempotence needs writer\.acks = all/);
    expect(clientErrorOf(() => options({ "writer.retries": 0 })).message).toContain("writer.retries > 0");
    expect(clientErrorOf(() => options({ "writer.max-inflight-requests-per-bucket": 6 })).message).toContain("at most 5");
    expect(clientErrorOf(() => options({ "writer.batch-size": "2mb", "writer.buffer.memory-size": "1mb" })).message).toContain(
      "writer.batch-size (2097152 bytes) must not be larger than writer.buffer.memory-size",
    );
    expect(clientErrorOf(() => options({ "writer.request-max-size": "1mb" })).message).toContain("writer.request-max-size");
    expect(options({ "writer.acks": "1", "writer.enable-idempotence": false, "writer.max-inflight-requests-per-bucket": 10 }).acks).toBe(1);
  });

  it("takes the compression the table asks for (ZSTD level 3 by default)", () => {
    const info = (properties: Record<string, string>) => tableInfo(schema, { properties });
    expect(logCompressionOf(info({}))).toEqual({ codec: "ZSTD", level: 3 });
    expect(logCompressionOf(info({ "table.log.arrow.compression.type": "none" }))).toBeNull();
    expect(logCompressionOf(info({ "table.log.arrow.compression.type": "LZ4_FRAME" }))).toEqual({ codec: "LZ4_FRAME" });
    expect(logCompressionOf(info({ "table.log.arrow.compression.zstd.level": "9" }))).toEqual({ codec: "ZSTD", level: 9 });
    expect(clientErrorOf(() => logCompressionOf(info({ "table.log.arrow.compression.zstd.level": "23" }))).message).toContain("zstd.level");
    expect(clientErrorOf(() => logCompressionOf(info({ "table.log.arrow.compression.type": "GZIP" }))).message).toContain("GZIP");
  });

  it("knows the table's log format; row formats carry no Arrow compression", () => {
    expect(tableInfo(schema, {}).getLogFormat()).toBe("ARROW");
    expect(tableInfo(schema, { logFormat: "INDEXED" }).getLogFormat()).toBe("INDEXED");
    expect(tableInfo(schema, { properties: { "table.log.format": "compacted" } }).getLogFormat()).toBe("COMPACTED");
    expect(logCompressionOf(tableInfo(schema, { logFormat: "INDEXED", properties: { "table.log.arrow.compression.type": "ZSTD" } }))).toBeNull();
    const parquet = tableInfo(schema, { properties: { "table.log.format": "PARQUET" } });
    expect(clientErrorOf(() => parquet.getLogFormat()).message).toContain("PARQUET");
    expect(clientErrorOf(() => logCompressionOf(parquet)).message).toContain("PARQUET");
  });
});

describe("Arrow input", () => {
  const good = schema.toArrow();

  it("accepts the table's own Arrow schema, and a time zone on timestamps", () => {
    checkArrowSchema(good, schema);
    const zoned = new ArrowSchema([good.fields[0]!, good.fields[1]!, new Field("at", new TimestampMicrosecond("UTC"), true)]);
    checkArrowSchema(zoned, schema);
  });

  it("refuses other names, order, counts and Arrow types, naming the column", () => {
    const [id, name, at] = good.fields as [Field, Field, Field];
    const cases: [ArrowSchema, string][] = [
      [new ArrowSchema([id, name]), "lacks column 'at'"],
      [new ArrowSchema([id, name, at, new Field("extra", new Utf8())]), "extra column 'extra'"],
      [new ArrowSchema([id, at, name]), "Arrow column 1 is 'at' but the table's column 1 is 'name'"],
      [new ArrowSchema([id, new Field("name", new LargeUtf8()), at]), "column 'name' is STRING"],
      [new ArrowSchema([new Field("id", new Utf8()), name, at]), "column 'id' is BIGINT NOT NULL"],
      [new ArrowSchema([id, name, new Field("at", new Int64())]), "column 'at'"],
    ];
    for (const [arrow, message] of cases) expect(clientErrorOf(() => checkArrowSchema(arrow, schema)).message).toContain(message);
  });

  it("refuses nulls in NOT NULL columns", () => {
    const nullable = new Schema([
      { name: "id", type: DataTypes.bigint() },
      { name: "name", type: DataTypes.string() },
      { name: "at", type: DataTypes.timestampLtz(6) },
    ]);
    const batch = rowsToRecordBatch(nullable, [[1n, "a", null], [null, "b", null]]);
    expect(clientErrorOf(() => checkNotNulls(batch, schema)).message).toContain("column 'id' is NOT NULL but the Arrow data has 1 null");
    checkNotNulls(rowsToRecordBatch(nullable, [[1n, null, null]]), schema);
  });

  it("keeps a writeArrowBatch input whole up to writer.request-max-size and the buffer, then cuts it into equal pieces", () => {
    const MB = 1 << 20;
    const defaults = writerOptionsFrom(new Config({ "bootstrap.servers": "127.0.0.1:1" }).resolve());
    // The log benchmark's input: 100,000 rows of ~114 bytes (11 MB) → two log batches of 50,000 rows, not
    // six of writer.batch-size (2 MB).
    expect(rowsPerArrowChunk(100_000, 114, defaults)).toBe(50_000);
    expect(rowsPerArrowChunk(10_000, 114, defaults)).toBe(10_000);
    // Equal pieces under the limit: 10 rows of 4 MB in 10 MB requests → 2 rows a piece; 7 rows → 2+2+2+1.
    expect(rowsPerArrowChunk(10, 4 * MB, { requestMaxSize: 10 * MB, bufferMemory: 64 * MB })).toBe(2);
    expect(rowsPerArrowChunk(7, 4 * MB, { requestMaxSize: 10 * MB, bufferMemory: 64 * MB })).toBe(2);
    // The smaller of the two limits applies; a row larger than both goes alone.
    expect(rowsPerArrowChunk(100, MB, { requestMaxSize: 64 * MB, bufferMemory: 8 * MB })).toBe(8);
    expect(rowsPerArrowChunk(3, 20 * MB, defaults)).toBe(1);
  });

  it("encodes slices of a batch (offsets inside the buffers) row for row", async () => {
    const acc = accumulator(tableInfo(schema, { bucketCount: 1 }));
    const rows = Array.from({ length: 10 }, (_, i) => [BigInt(i), i % 3 === 0 ? null : `name ${i}`, i * 1000]);
    const batch: RecordBatch = rowsToRecordBatch(schema, rows);
    const middle = acc.appendArrow(batch.slice(3, 7), 100);
    const tail = acc.appendArrow(batch.slice(7), 100);
    expect(middle.state).toBe("sealed");
    expect((await rowsOf(middle, schema)).map((r) => [r.id, r.name])).toEqual(rows.slice(3, 7).map((r) => [r[0], r[1]]));
    expect((await rowsOf(tail, schema)).map((r) => r.id)).toEqual([7n, 8n, 9n]);
  });
});
