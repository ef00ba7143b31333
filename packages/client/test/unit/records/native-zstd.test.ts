/**
 * The Node entry's native ZSTD codec (`node:zlib`, Node ≥ 22.15) against the
 * WebAssembly one: each reads what the other writes, buffer by buffer and as
 * whole Arrow batches, and both read the Java-written golden batches. On a
 * Node without native ZSTD (Node 20, CI) the entry must keep the WebAssembly
 * codec (with worker threads for the async forms wherever there are two
 * cores or more, see codec-worker-pool.test.ts); the tests assert which case ran, so each is
 * meaningful on both.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import "../../../src/node.js";
import { ErrorCode } from "../../../src/errors/index.js";
import { Schema } from "../../../src/metadata/index.js";
import { createNativeZstdCodec, hasNativeZstd, NATIVE_MIN_BYTES } from "../../../src/node/native-zstd-codec.js";
import { RowBatchBuilder, RowReader } from "../../../src/row/index.js";
import type { BufferCodec } from "../../../src/wire/records/compression/codec.js";
import { createCodec as createUniversalZstd } from "../../../src/wire/records/compression/zstd-codec.js";
import {
  decodeArrowRecordBatch,
  encodeArrowRecordBatch,
  encodeArrowRecordBatchSync,
  loadArrowRecordBatch,
  loadCodec,
  parseArrowMessage,
  readLogBatches,
} from "../../../src/wire/records/index.js";
import { sameBytes, seededBytes, seededRandom } from "./seeded.js";
import { decompressOne } from "./decompress-one.js";

const runtimeHasZstd = typeof (zlib as { zstdCompress?: unknown }).zstdCompress === "function";
const dir = new URL("../../fixtures/log-records/", import.meta.url);
const schema = Schema.fromJson(JSON.parse(readFileSync(new URL("schema.json", dir), "utf8")));

function samples(): [string, Uint8Array][] {
  const rnd = seededRandom(7);
  const ints = new Uint8Array(400_000);
  const dv = new DataView(ints.buffer);
  for (let i = 0; i < ints.length / 8; i++) dv.setBigInt64(i * 8, BigInt(1_700_000_000_000 + i * 13), true);
  return [
    ["one byte", Uint8Array.of(7)],
    ["small text", new TextEncoder().encode("fluss-edge ".repeat(300))],
    ["int64 column 400 KB", ints],
    ["incompressible 200 KB", seededBytes(rnd, 200_000)],
  ];
}

/** Every way `from` can write a buffer, read back every way `to` can read it. */
async function crossCheck(from: BufferCodec, to: BufferCodec, data: Uint8Array): Promise<void> {
  const written = [from.compress(data, 3)!, (await from.compressAsync?.(data, 3)) ?? from.compress(data, 3)!];
  for (const frame of written) {
    expect(frame).not.toBeNull();
    expect(sameBytes(to.decompress(frame, data.length), data)).toBe(true);
    if (to.decompressPartsAsync) expect(sameBytes(await decompressOne(to, frame, data.length), data)).toBe(true);
  }
}

/** The WebAssembly codec with its encoder loaded (the tests compress with it). */
async function createWasmCodec(): Promise<BufferCodec> {
  const codec = await createUniversalZstd();
  await codec.prepareCompression?.();
  return codec;
}

function goldenPayloads(): { payload: Uint8Array; recordCount: number }[] {
  return [...readLogBatches(new Uint8Array(readFileSync(new URL("zstd.bin", dir))))];
}

/** Compressible bytes, like a column of small rising integers. */
function columnBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i >> 4) & 0xff;
  return out;
}

describe("native ZSTD codec of the Node entry", () => {
  it("is used exactly when node:zlib has zstd", async () => {
    expect(hasNativeZstd()).toBe(runtimeHasZstd);
    const native = createNativeZstdCodec();
    expect(native !== undefined).toBe(runtimeHasZstd);
    // The Node entry (imported above) decides what loadCodec hands the writer and the scanner.
    const loaded = await loadCodec("ZSTD");
    expect(loaded.name).toBe("ZSTD");
    // Async forms (the codec worker threads, see zstd-for-node.ts) wherever there are two cores or more;
    // the synchronous forms decode natively where node:zlib can.
    const offThread = availableParallelism() >= 2;
    expect(typeof loaded.decompressPartsAsync === "function").toBe(offThread);
    expect(typeof loaded.compressAsync === "function").toBe(offThread);
    // A writer prepares the codec and compresses through the workers where there are any.
    await loaded.prepareCompression?.();
    const text = new TextEncoder().encode("fluss ".repeat(20_000));
    const frame = (loaded.compressAsync ? await loaded.compressAsync(text, 3) : loaded.compress(text, 3))!;
    expect(new TextDecoder().decode(loaded.decompress(frame, 120_000))).toBe("fluss ".repeat(20_000));
    if (offThread) {
      const decoded = await decompressOne(loaded, frame, 120_000);
      expect(new TextDecoder().decode(decoded)).toBe("fluss ".repeat(20_000));
    }
  });

  it("leaves buffers under NATIVE_MIN_BYTES and all compression to the WebAssembly codec (zlib's per-call set-up dwarfs small buffers)", async () => {
    const wasm = await createWasmCodec();
    const calls: string[] = [];
    const watched: BufferCodec = {
      name: "ZSTD",
      compress: (data, level) => (calls.push(`compress ${data.length}`), wasm.compress(data, level)),
      decompress: (data, n) => (calls.push(`decompress ${n}`), wasm.decompress(data, n)),
    };
    const codec = createNativeZstdCodec(watched);
    if (!codec) {
      // Node without zstd in node:zlib (20): the WebAssembly codec is all there is.
      expect(runtimeHasZstd).toBe(false);
      return;
    }
    const small = columnBytes(NATIVE_MIN_BYTES - 1);
    const large = columnBytes(NATIVE_MIN_BYTES * 4);
    const smallFrame = codec.compress(small, 3)!;
    const largeFrame = codec.compress(large, 3)!;
    expect(sameBytes(codec.decompress(smallFrame, small.length), small)).toBe(true);
    expect(sameBytes(codec.decompress(largeFrame, large.length), large)).toBe(true);
    // The large buffer was decoded by zlib: the WebAssembly codec never saw it.
    expect(calls).toEqual([`compress ${small.length}`, `compress ${large.length}`, `decompress ${small.length}`]);
  });

  it("reads what the WebAssembly codec writes and the other way round", async () => {
    const wasm = await createWasmCodec();
    // Without native zstd the WebAssembly codec is checked against itself, as the Node entry then uses it.
    const other = createNativeZstdCodec() ?? wasm;
    expect(other === wasm).toBe(!runtimeHasZstd);
    for (const [name, data] of samples()) {
      await expect(crossCheck(wasm, other, data), name).resolves.toBeUndefined();
      await expect(crossCheck(other, wasm, data), name).resolves.toBeUndefined();
    }
  });

  it("rejects malformed frames and wrong lengths", async () => {
    const codec = createNativeZstdCodec() ?? (await createWasmCodec());
    const data = new TextEncoder().encode("abc".repeat(40_000));
    const frame = codec.compress(data, 3)!;
    expect(() => codec.decompress(frame, data.length - 1)).toThrow();
    expect(() => codec.decompress(frame, data.length + 1)).toThrow();
    expect(() => codec.decompress(Uint8Array.of(1, 2, 3, 4, 5), 100)).toThrow();
    expect(() => codec.decompress(seededBytes(seededRandom(3), 100_000), 100_000)).toThrow();
    expect(sameBytes(codec.decompress(frame, data.length), data)).toBe(true);
    // Synchronous only: batches leave the JS thread through the codec worker pool instead.
    expect(codec.decompressPartsAsync).toBeUndefined();
  });

  it("decodes the Java-written golden ZSTD batches through the entry's codec", async () => {
    let rows = 0;
    for (const batch of goldenPayloads()) {
      const rb = await decodeArrowRecordBatch(batch.payload, schema.toArrow(), { expectedRows: batch.recordCount });
      rows += new RowReader(rb, schema).toArray().length;
    }
    expect(rows).toBe(205);
  });

  it("writes Arrow batches the WebAssembly codec reads, and reads the ones it writes", async () => {
    const wasm = await createWasmCodec();
    const entry = await loadCodec("ZSTD");
    const small = new Schema([schema.columns[3]!, schema.columns[10]!]);
    const builder = new RowBatchBuilder(small);
    const expected: { c_int: number; c_string: string }[] = [];
    for (let i = 0; i < 20_000; i++) {
      const row = { c_int: i * 7, c_string: `user-${i % 97}-region-${i % 5}` };
      builder.append([row.c_int, row.c_string]);
      expected.push(row);
    }
    const records = builder.build();
    const compression = { codec: "ZSTD" as const, level: 3 };
    const viaEntryAsync = (await encodeArrowRecordBatch(records, { compression })).bytes;
    const viaEntrySync = encodeArrowRecordBatchSync(records, { compression }, entry).bytes;
    const viaWasm = encodeArrowRecordBatchSync(records, { compression }, wasm).bytes;
    for (const bytes of [viaEntryAsync, viaEntrySync]) {
      const rb = loadArrowRecordBatch(parseArrowMessage(bytes), small.toArrow(), {}, wasm);
      expect(new RowReader(rb, small).toArray()).toEqual(expected);
    }
    const rb = await decodeArrowRecordBatch(viaWasm, small.toArrow(), { expectedRows: expected.length });
    expect(new RowReader(rb, small).toArray()).toEqual(expected);
  });

  it("reports a corrupt compressed buffer as CORRUPT_RECORD_EXCEPTION", async () => {
    const batch = goldenPayloads()[0]!;
    const message = parseArrowMessage(batch.payload);
    const bodyStart = message.body.byteOffset - batch.payload.byteOffset;
    const view = new DataView(batch.payload.buffer, batch.payload.byteOffset, batch.payload.byteLength);
    // The largest buffer stored compressed (its int64 length prefix is not −1).
    const target = [...message.meta.buffers]
      .filter((b) => b.length > 8 && view.getInt32(bodyStart + b.offset + 4, true) !== -1)
      .sort((a, b) => b.length - a.length)[0]!;
    const corrupt = batch.payload.slice();
    const at = bodyStart + target.offset + 8;
    for (let i = 0; i < Math.min(32, target.length - 8); i++) corrupt[at + i] = corrupt[at + i]! ^ 0x5a;
    await expect(decodeArrowRecordBatch(corrupt, schema.toArrow(), { expectedRows: batch.recordCount })).rejects.toMatchObject({
      errorCode: ErrorCode.CORRUPT_RECORD_EXCEPTION,
    });
  });

  it("fails a batch whose later buffer is over budget without leaving an earlier, failing decompression unhandled", async () => {
    const small = new Schema([schema.columns[3]!]);
    const builder = new RowBatchBuilder(small);
    for (let i = 0; i < 20_000; i++) builder.append([i * 7]);
    const bytes = encodeArrowRecordBatchSync(builder.build(), { compression: { codec: "ZSTD", level: 3 } }, await createWasmCodec()).bytes;
    const message = parseArrowMessage(bytes);
    const bodyStart = message.body.byteOffset - bytes.byteOffset;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const compressed = message.meta.buffers.filter((b) => b.length > 8 && view.getInt32(bodyStart + b.offset + 4, true) !== -1);
    expect(compressed.length).toBeGreaterThanOrEqual(2);
    // The first compressed buffer is garbage (its decompression fails later, off the JS thread
    // where the entry has workers); the budget ends with it, so the next one is refused at once.
    const first = compressed[0]!;
    const corrupt = bytes.slice();
    for (let i = bodyStart + first.offset + 8; i < bodyStart + first.offset + first.length; i++) corrupt[i] = 0xa5;
    const budget = view.getInt32(bodyStart + first.offset, true);
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      await expect(decodeArrowRecordBatch(corrupt, small.toArrow(), { maxUncompressedBytes: budget })).rejects.toMatchObject({
        errorCode: ErrorCode.CORRUPT_RECORD_EXCEPTION,
      });
      await new Promise((resolve) => setTimeout(resolve, 200)); // the abandoned decompression settles meanwhile
    } finally {
      process.off("unhandledRejection", record);
    }
    expect(unhandled).toEqual([]);
  });
});
