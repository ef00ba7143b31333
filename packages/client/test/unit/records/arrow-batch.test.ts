import { Field, List, makeVector, RecordBatchStreamWriter, Table, tableFromIPC, tableToIPC, Utf8 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { DataTypes, Schema } from "../../../src/metadata/index.js";
import { RowBatchBuilder, RowReader } from "../../../src/row/index.js";
import {
  decodeArrowRecordBatch,
  decodeArrowRecordBatchSync,
  encodeArrowRecordBatch,
  encodeArrowRecordBatchSync,
  encodeLogRecords,
  loadCodec,
  parseArrowMessage,
  readLogBatches,
  type BufferCodec,
  type CompressionCodecName,
} from "../../../src/wire/records/index.js";
import { BodyReader } from "../../../src/wire/records/arrow-body-reader.js";
import { ArrowFormatError } from "../../../src/wire/records/arrow-message.js";
import { ALL_TYPES_ROWS, ALL_TYPES_SCHEMA } from "../../fixtures/all-types.js";
import { rowFromProbeJson, rowToProbeJson, type ProbeJson } from "../../fixtures/probe-json.js";
import { seededRandom } from "./seeded.js";

const COLUMNS = ALL_TYPES_SCHEMA.columns;
const ARROW_SCHEMA = ALL_TYPES_SCHEMA.toArrow();
const CODECS: (CompressionCodecName | null)[] = [null, "LZ4_FRAME", "ZSTD"];

function allTypesBatch() {
  const builder = new RowBatchBuilder(ALL_TYPES_SCHEMA);
  for (const row of ALL_TYPES_ROWS) builder.append(rowFromProbeJson(row, COLUMNS));
  return builder.build();
}

function toJsonRows(batch: ReturnType<typeof allTypesBatch>, schema = ALL_TYPES_SCHEMA): ProbeJson[][] {
  return [...new RowReader(batch, schema)].map((r) => rowToProbeJson(r, schema.columns));
}

function expectCorrupt(e: unknown): void {
  expect(e).toBeInstanceOf(FlussError);
  expect((e as FlussError).errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
}

describe("Arrow payload round trips", () => {
  for (const codec of CODECS) {
    it(`every type, nulls and edge values survive encode → decode (${codec ?? "NONE"})`, async () => {
      const { bytes } = await encodeArrowRecordBatch(allTypesBatch(), { compression: codec ? { codec } : null });
      expect(parseArrowMessage(bytes).codec).toBe(codec);
      const decoded = await decodeArrowRecordBatch(bytes, ARROW_SCHEMA, { expectedRows: ALL_TYPES_ROWS.length });
      expect(toJsonRows(decoded)).toEqual(ALL_TYPES_ROWS);
    });
  }

  it("frames ONE RecordBatch message: continuation, length, 8-aligned metadata and body, no schema, no EOS", async () => {
    const batch = allTypesBatch();
    const { bytes } = await encodeArrowRecordBatch(batch);
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    expect(v.getUint32(0, true)).toBe(0xffffffff);
    const metaLength = v.getInt32(4, true);
    expect((8 + metaLength) % 8).toBe(0);
    const { meta } = parseArrowMessage(bytes);
    expect(8 + metaLength + meta.bodyLength).toBe(bytes.length);
    expect(meta.buffers.every((b) => b.offset % 8 === 0)).toBe(true);
    expect(meta.length).toBe(batch.numRows);
  });

  // (apache-arrow 21's own reader cannot load compressed bodies whose buffers end up misaligned, so
  // the cross-check uses the uncompressed payload; compressed ones are checked against Java instead.)
  it("is read by apache-arrow's own IPC reader once a schema message is put in front", async () => {
    const schemaStream = tableToIPC(new Table(ARROW_SCHEMA), "stream");
    const schemaMessage = schemaStream.subarray(0, schemaStream.length - 8); // drop its EOS
    {
      const { bytes } = await encodeArrowRecordBatch(allTypesBatch());
      const stream = new Uint8Array(schemaMessage.length + bytes.length + 8);
      stream.set(schemaMessage);
      stream.set(bytes, schemaMessage.length);
      stream.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], schemaMessage.length + bytes.length);
      const table = tableFromIPC(stream);
      expect(table.numRows).toBe(ALL_TYPES_ROWS.length);
      expect(table.getChild("c_int")!.toArray()[3]).toBe(2147483647);
      expect(table.getChild("c_bigint")!.get(2)).toBe(-9223372036854775808n);
      expect(table.getChild("c_string")!.get(1)).toBe("héllo wörld");
      expect(table.getChild("c_arr")!.get(1)!.toArray()).toEqual(Int32Array.from([1, 0, -3]));
    }
  });

  it("decodes what apache-arrow's stream writer produces (empty validity buffers when nothing is null)", async () => {
    const schema = new Schema([
      { name: "id", type: DataTypes.int().notNull() },
      { name: "name", type: DataTypes.string() },
      { name: "tags", type: DataTypes.array(DataTypes.string()) },
    ]);
    const builder = new RowBatchBuilder(schema);
    for (let i = 0; i < 50; i++) builder.append({ id: i, name: `n${i}`, tags: [`t${i}`] });
    const stream = RecordBatchStreamWriter.writeAll([builder.build()]).toUint8Array(true);
    const schemaLength = 8 + new DataView(stream.buffer, stream.byteOffset).getInt32(4, true);
    const payload = stream.subarray(schemaLength, stream.length - 8);
    const rows = [...new RowReader(decodeArrowRecordBatchSync(payload, schema.toArrow()), schema)];
    expect(rows[49]).toEqual({ id: 49, name: "n49", tags: ["t49"] });
  });

  it("keeps buffers stored raw (−1 length prefix) when compression is unavailable or does not pay off", async () => {
    const store: BufferCodec = { name: "ZSTD", compress: () => null, decompress: () => { throw new Error("not called"); } };
    const { bytes } = encodeArrowRecordBatchSync(allTypesBatch(), { compression: { codec: "ZSTD" } }, store);
    const { body, meta } = parseArrowMessage(bytes);
    const first = meta.buffers.find((b) => b.length > 0)!;
    expect(new DataView(body.buffer, body.byteOffset + first.offset).getBigInt64(0, true)).toBe(-1n);
    const decoded = await decodeArrowRecordBatch(bytes, ARROW_SCHEMA);
    expect(toJsonRows(decoded)).toEqual(ALL_TYPES_ROWS);
  });

  it("makes values views into the input, not copies (uncompressed)", async () => {
    const { bytes } = await encodeArrowRecordBatch(allTypesBatch());
    const decoded = decodeArrowRecordBatchSync(bytes, ARROW_SCHEMA);
    const strings = decoded.getChild("c_string")!.data[0]!;
    expect(strings.values.buffer).toBe(bytes.buffer);
    const ints = decoded.getChild("c_int")!.data[0]!;
    expect(ints.values.buffer).toBe(bytes.buffer);
  });

  it("reads batches at any alignment, including inside a pooled Node Buffer", async () => {
    const records = await encodeLogRecords(allTypesBatch(), { schemaId: 1 });
    for (let shift = 0; shift < 8; shift++) {
      const pooled = Buffer.allocUnsafe(records.length + 64);
      pooled.set(records, shift);
      const view = pooled.subarray(shift, shift + records.length); // a Buffer, whose slice() does not copy
      const [batch] = [...readLogBatches(view)];
      const decoded = await decodeArrowRecordBatch(batch!.payload, ARROW_SCHEMA);
      expect(toJsonRows(decoded)).toEqual(ALL_TYPES_ROWS);
    }
  });

  it("decodes a projection given the projected columns in ascending order", async () => {
    const projected = new Schema([COLUMNS[3]!, COLUMNS[10]!, COLUMNS[20]!]);
    const builder = new RowBatchBuilder(projected);
    builder.append([1, "a", null]);
    const { bytes } = await encodeArrowRecordBatch(builder.build(), { compression: { codec: "LZ4_FRAME" } });
    const rows = [...new RowReader(await decodeArrowRecordBatch(bytes, projected.toArrow()), projected)];
    expect(rows).toEqual([{ c_int: 1, c_string: "a", c_ts9: null }]);
  });

  it("takes an empty column without its one offset, as the server writes the strings of an empty ARRAY<STRING> in a primary-key table's changelog", () => {
    const field = new Field("tags", new List(new Field("element", new Utf8(), true)), true);
    const nodes = [
      { length: 1, nullCount: 0 },
      { length: 0, nullCount: 0 },
    ];
    const empty = new Uint8Array(0);
    const listOffsets = new Uint8Array(new Int32Array([0, 0]).buffer);
    // list: validity, offsets; element: validity, offsets (none at all), data
    const data = new BodyReader(nodes, [empty, listOffsets, empty, empty, empty]).readField(field);
    expect(data.length).toBe(1);
    expect(makeVector(data).get(0)?.toArray()).toEqual([]);
    // A column that has values still needs its offsets.
    const withValue = [
      { length: 1, nullCount: 0 },
      { length: 1, nullCount: 0 },
    ];
    const oneValue = new Uint8Array(new Int32Array([0, 1]).buffer);
    expect(() => new BodyReader(withValue, [empty, oneValue, empty, empty, new Uint8Array([120])]).readField(field)).toThrow(ArrowFormatError);
  });

  it("encodes an empty batch", async () => {
    const { bytes } = await encodeArrowRecordBatch(new RowBatchBuilder(ALL_TYPES_SCHEMA).build());
    expect(decodeArrowRecordBatchSync(bytes, ARROW_SCHEMA).numRows).toBe(0);
  });
});

describe("Arrow payload errors", () => {
  it("rejects a batch that does not match the schema", async () => {
    const { bytes } = await encodeArrowRecordBatch(allTypesBatch());
    const fewer = new Schema(COLUMNS.slice(0, 5)).toArrow();
    try {
      decodeArrowRecordBatchSync(bytes, fewer);
      throw new Error("expected failure");
    } catch (e) {
      expectCorrupt(e);
      expect((e as Error).message).toMatch(/does not match the table schema/);
    }
    await expect(decodeArrowRecordBatch(bytes, ARROW_SCHEMA, { expectedRows: 3 })).rejects.toThrow(/announces 3/);
  });

  it("refuses to decompress past the size limit (garbage lengths, decompression bombs)", async () => {
    const { bytes } = await encodeArrowRecordBatch(allTypesBatch(), { compression: { codec: "ZSTD" } });
    await expect(decodeArrowRecordBatch(bytes, ARROW_SCHEMA, { maxUncompressedBytes: 1000 })).rejects.toThrow(/limit/);
  });

  it("needs the codec loaded for the sync decoder and names it", async () => {
    const { bytes } = await encodeArrowRecordBatch(allTypesBatch(), { compression: { codec: "LZ4_FRAME" } });
    await loadCodec("LZ4_FRAME");
    expect(decodeArrowRecordBatchSync(bytes, ARROW_SCHEMA).numRows).toBe(ALL_TYPES_ROWS.length);
    expect(() => encodeArrowRecordBatchSync(allTypesBatch(), { compression: { codec: "ZSTD", level: 30 } }, undefined)).toThrow(/not loaded/);
    const zstd = await loadCodec("ZSTD");
    expect(() => encodeArrowRecordBatchSync(allTypesBatch(), { compression: { codec: "ZSTD", level: 30 } }, zstd)).toThrow(/level/);
  });

  for (const codec of CODECS) {
    it(`turns truncated and mutated payloads into CORRUPT_RECORD_EXCEPTION, never a crash (${codec ?? "NONE"}, seeded)`, async () => {
      const { bytes } = await encodeArrowRecordBatch(allTypesBatch(), { compression: codec ? { codec } : null });
      const rnd = seededRandom(codec === null ? 1 : codec === "ZSTD" ? 2 : 3);
      let failures = 0;
      for (let round = 0; round < 400; round++) {
        let input = bytes.slice();
        if (round % 4 === 0) input = input.subarray(0, Math.floor(rnd() * bytes.length));
        else {
          // Hit the metadata more often: it holds the structure.
          const metaEnd = 8 + new DataView(bytes.buffer).getInt32(4, true);
          for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
            const at = rnd() < 0.6 ? Math.floor(rnd() * metaEnd) : Math.floor(rnd() * input.length);
            input[at] = Math.floor(rnd() * 256);
          }
        }
        try {
          const decoded = await decodeArrowRecordBatch(input, ARROW_SCHEMA);
          new RowReader(decoded, ALL_TYPES_SCHEMA).toArray();
        } catch (e) {
          expectCorrupt(e);
          failures++;
        }
      }
      expect(failures).toBeGreaterThan(50);
    });
  }
});
