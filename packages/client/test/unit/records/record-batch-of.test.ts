/**
 * The decoder's RecordBatch shortcut (record-batch-of.ts): batches it builds
 * behave like apache-arrow's own, through the apache-arrow API users call
 * on them, for every column type of the golden table Java wrote.
 */
import { readFileSync } from "node:fs";
import { type Data, makeData, RecordBatch, Table, tableToIPC, tableFromIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { Schema } from "../../../src/metadata/index.js";
import { decodeArrowRecordBatch, readLogBatches } from "../../../src/wire/records/index.js";
import { recordBatchOf } from "../../../src/wire/records/record-batch-of.js";

const dir = new URL("../../fixtures/log-records/", import.meta.url);
const schema = Schema.fromJson(JSON.parse(readFileSync(new URL("schema.json", dir), "utf8")));
const arrowSchema = schema.toArrow();

/** Every batch of the golden ZSTD file, decoded (through the shortcut). */
async function goldenBatches(): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for (const batch of readLogBatches(new Uint8Array(readFileSync(new URL("zstd.bin", dir))))) {
    out.push(await decodeArrowRecordBatch(batch.payload, arrowSchema, { expectedRows: batch.recordCount }));
  }
  return out;
}

/** JSON with bigints and bytes spelled out (Arrow rows, lists and maps serialise through their toJSON). */
function json(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? Array.from(v).join(",") : v));
}

/** A table's rows, comparable as text. */
function plain(table: { toArray(): unknown[] }): string {
  return json(table.toArray());
}

/** A column's values, comparable as text. */
function plainValues(vector: { toArray(): ArrayLike<unknown> }): string {
  return json(Array.from(vector.toArray()));
}

describe("recordBatchOf", () => {
  it("builds batches that behave as apache-arrow's own, for every column type", async () => {
    const batches = await goldenBatches();
    expect(batches.length).toBeGreaterThan(0);
    for (const fast of batches) {
      const slow = new RecordBatch(arrowSchema, fast.data);
      expect(fast).toBeInstanceOf(RecordBatch);
      expect(RecordBatch.isRecordBatch(fast)).toBe(true);
      expect([fast.numRows, fast.numCols, fast.nullCount]).toEqual([slow.numRows, slow.numCols, slow.nullCount]);
      expect(fast.schema.fields.map(String)).toEqual(slow.schema.fields.map(String));
      expect(plain(new Table([fast]))).toBe(plain(new Table([slow])));
      expect(plain(new Table([fast.slice(1, 3)]))).toBe(plain(new Table([slow.slice(1, 3)])));
      expect(plain(new Table([fast.selectAt([2, 0])]))).toBe(plain(new Table([slow.selectAt([2, 0])])));
      for (let c = 0; c < fast.numCols; c++) expect(plainValues(fast.getChildAt(c)!)).toBe(plainValues(slow.getChildAt(c)!));
      expect(fast.metadata.size).toBe(0);
      expect(fast.dictionaries.size).toBe(0);
    }
    // Through Arrow IPC and back, as an application would hand the data on.
    const table = new Table(batches);
    expect(plain(tableFromIPC(tableToIPC(table)))).toBe(plain(table));
  });

  it("keeps the table's schema object, and gives each batch metadata of its own", async () => {
    const [golden] = await goldenBatches();
    const a = recordBatchOf(arrowSchema, golden!.data.children, golden!.numRows);
    const b = recordBatchOf(arrowSchema, golden!.data.children, golden!.numRows);
    expect(a.schema).toBe(arrowSchema);
    expect(a.metadata).not.toBe(b.metadata);
    expect(plain(new Table([a]))).toBe(plain(new Table([golden!])));
  });
});

/** The same column rebuilt by apache-arrow's makeData from the buffers the decoder found. */
function viaMakeData(data: Data): Data {
  const children = data.children.map(viaMakeData);
  return makeData({
    type: data.type,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : undefined,
    valueOffsets: data.valueOffsets,
    data: data.values,
    children,
    child: children[0],
  } as never);
}

/** What makes a Data what it is, as comparable text (buffers by type, position and bytes). */
function shape(data: Data): unknown {
  const buffer = (view: ArrayBufferView | undefined) =>
    view === undefined ? "none" : `${view.constructor.name}@${view.byteOffset}+${view.byteLength}:${Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).join(",")}`;
  return {
    type: String(data.type),
    offset: data.offset,
    length: data.length,
    nullCount: data.nullCount,
    stride: data.stride,
    values: buffer(data.values as ArrayBufferView | undefined),
    valueOffsets: buffer(data.valueOffsets as ArrayBufferView | undefined),
    nullBitmap: buffer(data.nullBitmap),
    children: data.children.map(shape),
  };
}

describe("column Data of the decoder", () => {
  it("is what apache-arrow's makeData builds from the same buffers, for every column type", async () => {
    for (const batch of await goldenBatches()) {
      for (const column of batch.data.children) expect(shape(column)).toEqual(shape(viaMakeData(column)));
    }
  });
});
