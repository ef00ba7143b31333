/**
 * Writers of tables whose log batches carry rows (INDEXED, COMPACTED); the
 * interop suite has the Java client read what they write.
 */
import { describe, expect, it } from "vitest";
import { rowLogEncoderOf } from "../../../src/client/write/row-log-encoder.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { rowsToRecordBatch } from "../../../src/row/index.js";
import { CompactedRowDecoder, IndexedRowDecoder } from "../../../src/wire/rows/index.js";
import { finishLogBatch, LogBatch, readRowLogRecords, V0_HEADER_SIZE } from "../../../src/wire/records/index.js";
import { accumulator, clientErrorOf, tableInfo } from "./helpers.js";

const schema = new Schema([
  { name: "id", type: DataTypes.int() },
  { name: "code", type: DataTypes.char(3) },
  { name: "tags", type: DataTypes.array(DataTypes.string()) },
]);
const rows = [
  { id: 1, code: "abc", tags: ["x", "y"] },
  { id: 2, code: "é", tags: null },
];

describe("rowLogEncoderOf", () => {
  it("is none for ARROW tables", () => {
    expect(rowLogEncoderOf(tableInfo(schema))).toBeUndefined();
  });

  it.each([
    ["INDEXED", (s: Schema) => new IndexedRowDecoder(s.getRowType())],
    ["COMPACTED", (s: Schema) => new CompactedRowDecoder(s.getRowType())],
  ] as const)("encodes a batch's rows as %s records that read back", (format, decoderOf) => {
    const encoder = rowLogEncoderOf(tableInfo(schema, { logFormat: format }))!;
    const bytes = encoder.encode(rowsToRecordBatch(schema, rows), V0_HEADER_SIZE);
    const batch = new LogBatch(finishLogBatch(bytes, { schemaId: 1, recordCount: rows.length }));
    const decoder = decoderOf(schema);
    const read = readRowLogRecords(batch, (b, start, length) => decoder.decode(b, start, length));
    expect(read.changeTypes).toEqual(new Uint8Array(2));
    expect(read.rows).toEqual([
      [1, "abc", ["x", "y"]],
      [2, "é", null],
    ]);
  });

  it("refuses at append() a CHAR(n) value INDEXED rows cannot hold, naming the column; the batch keeps its rows", () => {
    const info = tableInfo(schema, { logFormat: "INDEXED" });
    const acc = accumulator(info, { rowEncoder: rowLogEncoderOf(info)! });
    const batch = acc.append(rows[0]!);
    // Three characters, six bytes of UTF-8: the schema takes it, INDEXED rows do not.
    const error = clientErrorOf(() => acc.append({ id: 3, code: "ééé" }));
    expect(error.message).toMatch(/'code' is CHAR\(3\).*INDEXED.*takes 6/);
    expect(batch.recordCount).toBe(1);
    expect(acc.append(rows[1]!)).toBe(batch);
    // COMPACTED rows hold such a value.
    const compacted = tableInfo(schema, { logFormat: "COMPACTED" });
    expect(accumulator(compacted, { rowEncoder: rowLogEncoderOf(compacted)! }).append({ id: 3, code: "ééé" }).recordCount).toBe(1);
  });
});
