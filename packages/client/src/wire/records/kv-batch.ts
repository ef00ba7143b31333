/**
 * Fluss KV record batches, what PutKv carries (Java's `DefaultKvRecordBatch`,
 * `KvRecordBatchBuilder`, `DefaultKvRecord`). All integers little-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | length: the batch's bytes after this field |
 * | 4 | 1 | magic (0) |
 * | 5 | 4 | CRC-32C of everything from offset 9 to the end |
 * | 9 | 2 | schema id of the rows |
 * | 11 | 1 | attributes (0) |
 * | 12 | 8 | writer id (−1 without idempotence) |
 * | 20 | 4 | batch sequence (−1 without idempotence) |
 * | 24 | 4 | record count |
 * | 28 | … | records |
 *
 * A record is `[int32 length of the rest][unsigned varint key length][key][row]`,
 * the row in the table's `table.kv.format` (COMPACTED or INDEXED, without the
 * schema id that stored values carry); a record without row bytes deletes
 * its key.
 */
import { ErrorCode, FlussError } from "../../errors/index.js";
import { ByteInput } from "../rows/byte-input.js";
import { ByteOutput } from "../rows/byte-output.js";
import { crc32c } from "./crc32c.js";
import { checkBatchHeader, NO_BATCH_SEQUENCE, NO_WRITER_ID } from "./log-batch.js";

export const KV_MAGIC_V0 = 0;
export const KV_BATCH_HEADER_SIZE = 28;

const OFFSET = {
  length: 0,
  magic: 4,
  crc: 5,
  schemaId: 9,
  attributes: 11,
  writerId: 12,
  batchSequence: 20,
  recordCount: 24,
} as const;

/** Bytes of a record's own length field. */
const RECORD_LENGTH_BYTES = 4;

/**
 * Collects KV records into one buffer, header space first, each record
 * written whole or not at all: a row that fails to encode (a value that does
 * not fit its column) leaves the batch as it was.
 */
export class KvBatchBuilder {
  readonly #out: ByteOutput;
  #recordCount = 0;

  constructor(initialCapacity = 1024) {
    this.#out = new ByteOutput(Math.max(initialCapacity, KV_BATCH_HEADER_SIZE));
    this.#out.skipZeroed(KV_BATCH_HEADER_SIZE);
  }

  get recordCount(): number {
    return this.#recordCount;
  }

  /** Bytes so far, header included. */
  get size(): number {
    return this.#out.position;
  }

  /**
   * Adds one record: `key`, then `row` as `writeRow` appends it, or no row at
   * all for a delete (`row` undefined). Returns the record's size in the
   * batch. When `writeRow` throws, nothing of the record stays and the error
   * goes on. (Row and writer come apart so that no closure is made per row.)
   */
  append<R>(key: Uint8Array, row: R | undefined, writeRow: (out: ByteOutput, row: R) => void): number {
    if (key.length === 0) throw FlussError.client("a KV record needs a key of at least one byte");
    const out = this.#out;
    const start = out.position;
    try {
      out.skipZeroed(RECORD_LENGTH_BYTES);
      out.writeVarInt32(key.length);
      out.writeBytes(key);
      if (row !== undefined) writeRow(out, row);
    } catch (error) {
      out.position = start;
      throw error;
    }
    const size = out.position - start;
    out.view.setInt32(start, size - RECORD_LENGTH_BYTES, true);
    this.#recordCount++;
    return size;
  }

  /** The batch's bytes (a copy, header not yet written: see {@link finishKvBatch}). */
  build(): Uint8Array {
    return this.#out.copy();
  }
}

/** What {@link finishKvBatch} writes into a batch's header. */
export interface KvBatchHeaderInit {
  schemaId: number;
  recordCount: number;
  /** Default −1: not idempotent. */
  writerId?: bigint;
  /** Default −1. */
  batchSequence?: number;
}

/**
 * Writes the header of a KV batch whose records follow its first
 * {@link KV_BATCH_HEADER_SIZE} bytes, then the CRC; returns `batch`. A retry
 * under a new sequence calls it again on the same bytes.
 */
export function finishKvBatch(batch: Uint8Array, init: KvBatchHeaderInit): Uint8Array {
  const { schemaId, recordCount } = init;
  const writerId = init.writerId ?? NO_WRITER_ID;
  const batchSequence = init.batchSequence ?? NO_BATCH_SEQUENCE;
  checkBatchHeader("KV", schemaId, recordCount, writerId, batchSequence);
  if (batch.length < KV_BATCH_HEADER_SIZE) throw FlussError.client(`KV batch buffer of ${batch.length} bytes has no room for its header`);
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  v.setInt32(OFFSET.length, batch.length - 4, true);
  v.setInt8(OFFSET.magic, KV_MAGIC_V0);
  v.setInt16(OFFSET.schemaId, schemaId, true);
  v.setInt8(OFFSET.attributes, 0);
  v.setBigInt64(OFFSET.writerId, writerId, true);
  v.setInt32(OFFSET.batchSequence, batchSequence, true);
  v.setInt32(OFFSET.recordCount, recordCount, true);
  v.setUint32(OFFSET.crc, crc32c(batch, OFFSET.schemaId), true);
  return batch;
}

/** One record of a read KV batch: views into the batch's bytes. */
export interface KvRecord {
  key: Uint8Array;
  /** The row bytes, or null for a delete. */
  row: Uint8Array | null;
}

/** A KV batch as read back (what a server would take from PutKv). */
export interface KvBatch {
  schemaId: number;
  writerId: bigint;
  batchSequence: number;
  records: KvRecord[];
}

/**
 * Reads one KV batch, checking its length, magic, CRC and every record's
 * bounds; malformed bytes throw CORRUPT_RECORD_EXCEPTION.
 */
export function readKvBatch(bytes: Uint8Array): KvBatch {
  const corrupt = (why: string) => new FlussError(`corrupt KV batch: ${why}`, ErrorCode.CORRUPT_RECORD_EXCEPTION);
  if (bytes.length < KV_BATCH_HEADER_SIZE) throw corrupt(`${bytes.length} bytes cannot hold its ${KV_BATCH_HEADER_SIZE}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = v.getInt32(OFFSET.length, true);
  if (length + 4 !== bytes.length) throw corrupt(`its length field says ${length + 4} bytes, it has ${bytes.length}`);
  const magic = v.getInt8(OFFSET.magic);
  if (magic !== KV_MAGIC_V0) throw corrupt(`unknown magic ${magic}`);
  const stored = v.getUint32(OFFSET.crc, true);
  const computed = crc32c(bytes, OFFSET.schemaId);
  if (stored !== computed) throw corrupt(`CRC ${stored} does not match the computed ${computed}`);
  const recordCount = v.getInt32(OFFSET.recordCount, true);
  if (recordCount < 0) throw corrupt(`negative record count ${recordCount}`);
  const records: KvRecord[] = [];
  let pos = KV_BATCH_HEADER_SIZE;
  for (let i = 0; i < recordCount; i++) {
    if (pos + RECORD_LENGTH_BYTES > bytes.length) throw corrupt(`record ${i} starts past the end`);
    const size = v.getInt32(pos, true);
    const end = pos + RECORD_LENGTH_BYTES + size;
    if (size < 1 || end > bytes.length) throw corrupt(`record ${i} of ${size} bytes does not fit the batch`);
    const input = new ByteInput(bytes.subarray(pos + RECORD_LENGTH_BYTES, end));
    let keyLength: number;
    try {
      keyLength = input.readVarInt32();
    } catch {
      throw corrupt(`record ${i} has a malformed key length`);
    }
    const keyStart = pos + RECORD_LENGTH_BYTES + input.position;
    if (keyLength < 1 || keyStart + keyLength > end) throw corrupt(`record ${i}'s key of ${keyLength} bytes does not fit it`);
    const rowStart = keyStart + keyLength;
    records.push({ key: bytes.subarray(keyStart, rowStart), row: rowStart === end ? null : bytes.subarray(rowStart, end) });
    pos = end;
  }
  if (pos !== bytes.length) throw corrupt(`${bytes.length - pos} bytes follow its ${recordCount} records`);
  return {
    schemaId: v.getInt16(OFFSET.schemaId, true),
    writerId: v.getBigInt64(OFFSET.writerId, true),
    batchSequence: v.getInt32(OFFSET.batchSequence, true),
    records,
  };
}
