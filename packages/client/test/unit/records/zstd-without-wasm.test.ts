/**
 * Runtimes that forbid compiling WebAssembly at run time (Cloudflare workerd)
 * still read ZSTD batches (pure-JS fzstd) and still write to ZSTD tables
 * (buffers stored uncompressed, which is valid Arrow IPC). This file runs in
 * its own worker, so the codec is loaded here for the first time, with
 * WebAssembly compilation made to fail.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Schema } from "../../../src/metadata/index.js";
import { RowBatchBuilder, RowReader } from "../../../src/row/index.js";
import { decodeArrowRecordBatch, encodeArrowRecordBatch, loadCodec, parseArrowMessage, readLogBatches } from "../../../src/wire/records/index.js";

const dir = new URL("../../fixtures/log-records/", import.meta.url);
const schema = Schema.fromJson(JSON.parse(readFileSync(new URL("schema.json", dir), "utf8")));

describe("ZSTD without WebAssembly", () => {
  beforeAll(() => {
    const refused = () => new Error("WebAssembly.Module(): Wasm code generation disallowed by embedder");
    const refuse = () => Promise.reject(refused());
    vi.stubGlobal("WebAssembly", {
      ...WebAssembly,
      Module: class {
        constructor() {
          throw refused();
        }
      },
      compile: refuse,
      instantiate: refuse,
      instantiateStreaming: refuse,
    });
  });
  afterAll(() => vi.unstubAllGlobals());

  it("decodes the Java-written ZSTD golden batches with the pure-JS decoder", async () => {
    const codec = await loadCodec("ZSTD");
    expect(codec.compress(new Uint8Array(100), 3)).toBeNull();
    const records = new Uint8Array(readFileSync(new URL("zstd.bin", dir)));
    let rows = 0;
    for (const batch of readLogBatches(records)) {
      expect(parseArrowMessage(batch.payload).codec).toBe("ZSTD");
      const rb = await decodeArrowRecordBatch(batch.payload, schema.toArrow(), { expectedRows: batch.recordCount });
      rows += new RowReader(rb, schema).toArray().length;
    }
    expect(rows).toBe(205);
  });

  it("writes ZSTD-flagged batches with raw (−1) buffers that decode again", async () => {
    const small = new Schema([schema.columns[3]!, schema.columns[10]!]);
    const builder = new RowBatchBuilder(small);
    builder.append([1, "x".repeat(1000)]);
    const { bytes } = await encodeArrowRecordBatch(builder.build(), { compression: { codec: "ZSTD" } });
    expect(parseArrowMessage(bytes).codec).toBe("ZSTD");
    const rows = new RowReader(await decodeArrowRecordBatch(bytes, small.toArrow()), small).toArray();
    expect(rows).toEqual([{ c_int: 1, c_string: "x".repeat(1000) }]);
  });
});
