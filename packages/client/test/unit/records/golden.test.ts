/**
 * Golden bytes from the real cluster: rows appended by the official Java
 * client into tables with NONE, LZ4_FRAME and ZSTD compression, fetched raw
 * with FETCH_LOG (see test/fixtures/capture-log-records.ts). fluss-edge must
 * read exactly the rows Java wrote.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Schema } from "../../../src/metadata/index.js";
import { RowReader } from "../../../src/row/index.js";
import { decodeArrowRecordBatch, readLogBatches, type LogBatch } from "../../../src/wire/records/index.js";
import { rowToProbeJson, type ProbeJson } from "../../fixtures/probe-json.js";

const dir = new URL("../../fixtures/log-records/", import.meta.url);
const read = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, dir)));
const meta = JSON.parse(readFileSync(new URL("meta.json", dir), "utf8")) as {
  rows: number;
  projection: number[];
  tables: Record<string, { schemaId: number; file: string; projectedFile?: string }>;
};
const schema = Schema.fromJson(JSON.parse(readFileSync(new URL("schema.json", dir), "utf8")));
const expectedRows = JSON.parse(readFileSync(new URL("rows.json", dir), "utf8")) as ProbeJson[][];

async function decodeAll(
  records: Uint8Array,
  columns: Schema["columns"],
  skipCrcCheck = false,
): Promise<{ batches: LogBatch[]; rows: ProbeJson[][] }> {
  const arrowSchema = new Schema([...columns]).toArrow();
  const batches = [...readLogBatches(records, { skipCrcCheck })];
  const rows: ProbeJson[][] = [];
  for (const batch of batches) {
    const rb = await decodeArrowRecordBatch(batch.payload, arrowSchema, { expectedRows: batch.recordCount });
    for (const row of new RowReader(rb, columns)) rows.push(rowToProbeJson(row, columns));
  }
  return { batches, rows };
}

describe("golden log records written by the Java client", () => {
  for (const [compression, table] of Object.entries(meta.tables)) {
    it(`decodes the ${compression} batches to exactly the rows Java wrote`, async () => {
      const records = read(table.file);
      const { batches, rows } = await decodeAll(records, schema.columns);
      expect(batches.length).toBeGreaterThan(0);
      for (const b of batches) {
        expect(b.magic).toBe(0);
        expect(b.isAppendOnly).toBe(true);
        expect(b.schemaId).toBe(table.schemaId);
        expect(b.isValid()).toBe(true);
      }
      // Offsets are contiguous from 0 and cover every row.
      expect(batches[0]!.baseOffset).toBe(0n);
      for (let i = 1; i < batches.length; i++) expect(batches[i]!.baseOffset).toBe(batches[i - 1]!.nextOffset);
      expect(batches.at(-1)!.nextOffset).toBe(BigInt(meta.rows));
      expect(rows).toEqual(expectedRows);
    });
  }

  it("reads a projected ZSTD fetch (projection pushdown: only the projected columns, ascending)", async () => {
    const table = meta.tables.ZSTD!;
    const columns = meta.projection.map((i) => schema.columns[i]!);
    const records = read(table.projectedFile!);
    // The server prunes the batches but keeps the original CRC, so it no longer matches; the Java
    // client skips the CRC check when projection is pushed down (CompletedFetch#maybeEnsureValid).
    expect(() => [...readLogBatches(records)]).toThrow(/corrupt/);
    const { rows } = await decodeAll(records, columns, true);
    expect(rows).toEqual(expectedRows.map((r) => meta.projection.map((i) => r[i] ?? null)));
  });

  it("uses real body compression in the compressed captures", async () => {
    const { parseArrowMessage } = await import("../../../src/wire/records/index.js");
    for (const [compression, expected] of [["LZ4_FRAME", "LZ4_FRAME"], ["ZSTD", "ZSTD"], ["NONE", null]] as const) {
      const batch = [...readLogBatches(read(meta.tables[compression]!.file))][0]!;
      expect(parseArrowMessage(batch.payload).codec).toBe(expected);
    }
  });
});
