import { ErrorCode, FlussError } from "../../errors/index.js";
import { isChangeType, type ChangeType } from "./change-type.js";
import { crc32c } from "./crc32c.js";

/**
 * Fluss log record batches (protocol.md §5.1), all integers little-endian.
 *
 * V0 (48-byte header, what 0.9 clients write):
 *   0 BaseOffset i64 | 8 Length i32 | 12 Magic i8 | 13 CommitTimestamp i64 | 21 CRC u32 |
 *   25 SchemaId i16 | 27 Attributes i8 | 28 LastOffsetDelta i32 | 32 WriterId i64 |
 *   40 BatchSequence i32 | 44 RecordCount i32 | 48 records
 * V1 (52 bytes) inserts LeaderEpoch i32 at 21 and shifts the rest by 4.
 *
 * Length = batch size − 12. The CRC-32C covers SchemaId to the end of the
 * batch. Attribute bit 0 = append-only; a batch without it carries one
 * change-type byte per record before the Arrow payload.
 */

export const LOG_MAGIC_V0 = 0;
export const LOG_MAGIC_V1 = 1;
/** Bytes before the length-prefixed part: BaseOffset + Length. */
export const LOG_OVERHEAD = 12;
export const V0_HEADER_SIZE = 48;
export const V1_HEADER_SIZE = 52;
export const NO_WRITER_ID = -1n;
export const NO_BATCH_SEQUENCE = -1;
export const NO_LEADER_EPOCH = -1;
const APPEND_ONLY_FLAG = 0x01;
const MAGIC_OFFSET = 12;

/** Field positions that differ between magics. */
interface Layout {
  headerSize: number;
  crc: number;
  schemaId: number;
  attributes: number;
  lastOffsetDelta: number;
  writerId: number;
  batchSequence: number;
  recordCount: number;
}

const V0: Layout = { headerSize: 48, crc: 21, schemaId: 25, attributes: 27, lastOffsetDelta: 28, writerId: 32, batchSequence: 40, recordCount: 44 };
const V1: Layout = { headerSize: 52, crc: 25, schemaId: 29, attributes: 31, lastOffsetDelta: 32, writerId: 36, batchSequence: 44, recordCount: 48 };

/** What {@link encodeLogBatch} writes into a V0 header. */
export interface LogBatchHeaderInit {
  schemaId: number;
  /** Rows in the payload. */
  recordCount: number;
  /** Append-only flag (log tables: true). When false, `changeTypes` must give one byte per record. */
  appendOnly?: boolean;
  /** Writer id from InitWriter for idempotent writes; −1 (default) when idempotence is off. */
  writerId?: bigint;
  /** Batch sequence per bucket for idempotent writes; −1 (default) when off. */
  batchSequence?: number;
  /** Change type per record of a non-append-only batch. */
  changeTypes?: ArrayLike<ChangeType>;
}

/** Bytes a V0 batch needs before its Arrow payload (header, plus the change-type vector when not append-only). */
export function logBatchHeadroom(recordCount: number, appendOnly = true): number {
  return V0_HEADER_SIZE + (appendOnly ? 0 : recordCount);
}

/**
 * Encodes a V0 log batch around `payload` (an Arrow payload; empty when
 * there are no records) into a new buffer.
 */
export function encodeLogBatch(init: LogBatchHeaderInit, payload: Uint8Array): Uint8Array {
  const headroom = logBatchHeadroom(init.recordCount, init.appendOnly ?? true);
  const out = new Uint8Array(headroom + payload.length);
  out.set(payload, headroom);
  return finishLogBatch(out, init);
}

/**
 * Writes the V0 header (and change-type vector) into the first
 * {@link logBatchHeadroom} bytes of `batch`, whose rest already holds the
 * payload, then the CRC. Returns `batch`. This is the zero-copy path: encode
 * the Arrow payload with that much headroom and finish it in place.
 */
export function finishLogBatch(batch: Uint8Array, init: LogBatchHeaderInit): Uint8Array {
  const appendOnly = init.appendOnly ?? true;
  const { schemaId, recordCount } = init;
  const writerId = init.writerId ?? NO_WRITER_ID;
  const batchSequence = init.batchSequence ?? NO_BATCH_SEQUENCE;
  checkBatchHeader("log", schemaId, recordCount, writerId, batchSequence);
  const headroom = logBatchHeadroom(recordCount, appendOnly);
  if (batch.length < headroom) throw FlussError.client(`log batch buffer of ${batch.length} bytes has no room for its ${headroom}-byte header`);
  if (batch.length - LOG_OVERHEAD > 0x7fffffff) throw FlussError.client("log batch too large");
  const v = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  v.setBigInt64(0, 0n, true); // base offset: the server assigns it
  v.setInt32(8, batch.length - LOG_OVERHEAD, true);
  v.setInt8(MAGIC_OFFSET, LOG_MAGIC_V0);
  v.setBigInt64(13, 0n, true); // commit timestamp: set by the server
  v.setInt16(V0.schemaId, schemaId, true);
  v.setInt8(V0.attributes, appendOnly ? APPEND_ONLY_FLAG : 0);
  v.setInt32(V0.lastOffsetDelta, recordCount > 0 ? recordCount - 1 : 0, true);
  v.setBigInt64(V0.writerId, writerId, true);
  v.setInt32(V0.batchSequence, batchSequence, true);
  v.setInt32(V0.recordCount, recordCount, true);
  if (!appendOnly) {
    const types = init.changeTypes;
    if (!types || types.length !== recordCount) {
      throw FlussError.client(`a batch that is not append-only needs ${recordCount} change types, got ${types?.length ?? 0}`);
    }
    for (let i = 0; i < recordCount; i++) {
      const t = types[i]!;
      if (!isChangeType(t)) throw FlussError.client(`invalid change type ${String(t)} for record ${i}`);
      batch[V0_HEADER_SIZE + i] = t;
    }
  }
  v.setUint32(V0.crc, crc32c(batch, V0.schemaId), true);
  return batch;
}

/** Checks the header fields a log or KV batch shares before they are written. */
export function checkBatchHeader(kind: "log" | "KV", schemaId: number, recordCount: number, writerId: bigint, batchSequence: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fff) throw FlussError.client(`schema id ${schemaId} does not fit a ${kind} batch (0–32767)`);
  if (!Number.isInteger(recordCount) || recordCount < 0 || recordCount > 0x7fffffff) throw FlussError.client(`invalid record count ${recordCount}`);
  if (!Number.isInteger(batchSequence) || batchSequence < -1 || batchSequence > 0x7fffffff) throw FlussError.client(`invalid batch sequence ${batchSequence}`);
  if (writerId < -(2n ** 63n) || writerId >= 2n ** 63n) throw FlussError.client(`invalid writer id ${writerId}`);
}

/**
 * One log batch of a fetched `records` blob. Reads header fields lazily
 * from the underlying bytes; {@link bytes}, {@link changeTypes} and
 * {@link payload} are views into the fetched buffer, never copies.
 */
export class LogBatch {
  readonly #view: DataView;
  readonly #layout: Layout;

  /** @param bytes exactly one batch (`12 + Length` bytes), already validated by {@link readLogBatches}. */
  constructor(readonly bytes: Uint8Array) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#layout = bytes[MAGIC_OFFSET] === LOG_MAGIC_V1 ? V1 : V0;
  }

  get magic(): number {
    return this.bytes[MAGIC_OFFSET]!;
  }
  get baseOffset(): bigint {
    return this.#view.getBigInt64(0, true);
  }
  /** Offset of the last record (baseOffset + LastOffsetDelta). */
  get lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta);
  }
  /** The offset to fetch from after this batch. */
  get nextOffset(): bigint {
    return this.lastOffset + 1n;
  }
  get lastOffsetDelta(): number {
    return this.#view.getInt32(this.#layout.lastOffsetDelta, true);
  }
  get sizeInBytes(): number {
    return this.bytes.length;
  }
  /** Commit timestamp (epoch ms) set by the server. */
  get commitTimestamp(): bigint {
    return this.#view.getBigInt64(13, true);
  }
  /** Leader epoch (V1), or −1 for V0 batches. */
  get leaderEpoch(): number {
    return this.#layout === V1 ? this.#view.getInt32(21, true) : NO_LEADER_EPOCH;
  }
  get checksum(): number {
    return this.#view.getUint32(this.#layout.crc, true);
  }
  get schemaId(): number {
    return this.#view.getInt16(this.#layout.schemaId, true);
  }
  get attributes(): number {
    return this.bytes[this.#layout.attributes]!;
  }
  get isAppendOnly(): boolean {
    return (this.attributes & APPEND_ONLY_FLAG) !== 0;
  }
  get writerId(): bigint {
    return this.#view.getBigInt64(this.#layout.writerId, true);
  }
  get batchSequence(): number {
    return this.#view.getInt32(this.#layout.batchSequence, true);
  }
  get recordCount(): number {
    return this.#view.getInt32(this.#layout.recordCount, true);
  }
  get headerSize(): number {
    return this.#layout.headerSize;
  }
  /** One change-type byte per record (all APPEND_ONLY for append-only batches: an empty view then). */
  get changeTypes(): Uint8Array {
    if (this.isAppendOnly || this.recordCount === 0) return this.bytes.subarray(this.#layout.headerSize, this.#layout.headerSize);
    return this.bytes.subarray(this.#layout.headerSize, this.#layout.headerSize + this.recordCount);
  }
  /** Change type of record `i` of the batch. */
  changeType(i: number): ChangeType {
    return this.isAppendOnly ? 0 : (this.bytes[this.#layout.headerSize + i]! as ChangeType);
  }
  /** The Arrow payload (empty when RecordCount is 0: such batches carry none). */
  get payload(): Uint8Array {
    if (this.recordCount === 0) return this.bytes.subarray(this.bytes.length);
    const start = this.#layout.headerSize + (this.isAppendOnly ? 0 : this.recordCount);
    return this.bytes.subarray(start);
  }
  /** Recomputes the CRC-32C over SchemaId..end and compares it with the stored one. */
  isValid(): boolean {
    return crc32c(this.bytes, this.#layout.schemaId) === this.checksum;
  }
}

/** Options of {@link readLogBatches}. */
export interface ReadLogBatchesOptions {
  /**
   * Skip the CRC check (default false: every batch is checked). Set it for
   * fetches with projection pushdown: the server prunes columns out of the
   * batches but leaves the original CRC, so it no longer matches (the Java
   * client skips the check then too).
   */
  skipCrcCheck?: boolean;
}

/**
 * The batches of a `records` blob as FetchLog returns it, in order. Stops
 * quietly at a trailing partial batch (the server cuts the blob at its byte
 * limit). Throws a CORRUPT_RECORD_EXCEPTION FlussError for an unknown magic,
 * an impossible length, a record count that does not fit the batch, or a
 * CRC mismatch.
 */
export function* readLogBatches(records: Uint8Array, options: ReadLogBatchesOptions = {}): Generator<LogBatch, void, undefined> {
  let pos = 0;
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  while (records.length - pos >= LOG_OVERHEAD + 1) {
    const length = view.getInt32(pos + 8, true);
    const magic = records[pos + MAGIC_OFFSET]!;
    if (magic !== LOG_MAGIC_V0 && magic !== LOG_MAGIC_V1) {
      throw corrupt(`unsupported log batch magic ${magic} at byte ${pos}`);
    }
    const layout = magic === LOG_MAGIC_V1 ? V1 : V0;
    const size = LOG_OVERHEAD + length;
    if (length < 0 || size < layout.headerSize) {
      throw corrupt(`log batch at byte ${pos} has impossible length ${length} (magic ${magic} needs at least ${layout.headerSize - LOG_OVERHEAD})`);
    }
    if (records.length - pos < size) return; // trailing partial batch
    const batch = new LogBatch(records.subarray(pos, pos + size));
    if (!options.skipCrcCheck && !batch.isValid()) {
      throw new FlussError(
        `log batch at offset ${batch.baseOffset} is corrupt (stored CRC ${batch.checksum}, computed ${crc32c(batch.bytes, layout.schemaId)})`,
        ErrorCode.CORRUPT_RECORD_EXCEPTION,
      );
    }
    const count = batch.recordCount;
    if (count < 0 || (!batch.isAppendOnly && count > size - layout.headerSize)) {
      throw corrupt(`log batch at offset ${batch.baseOffset} has invalid record count ${count}`);
    }
    yield batch;
    pos += size;
  }
}

function corrupt(message: string): FlussError {
  return new FlussError(message, ErrorCode.CORRUPT_RECORD_EXCEPTION, { retriable: false });
}
