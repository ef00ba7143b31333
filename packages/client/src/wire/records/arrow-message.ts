/**
 * The Arrow IPC `Message` flatbuffer of a RecordBatch message, read and
 * written by hand (Message.fbs / Schema.fbs of the Arrow format). Only what a
 * Fluss log payload needs: a RecordBatch header with field nodes, buffer
 * regions and optional body compression. The reader checks every offset and
 * vector length against the metadata bytes, so garbage metadata fails with
 * an error instead of reading out of bounds or looping over a bogus length.
 */

/** `MetadataVersion.V5`, what Arrow Java and arrow-js write. */
export const METADATA_VERSION_V5 = 4;
/** `MessageHeader.RecordBatch`. */
const HEADER_RECORD_BATCH = 3;

/** One `FieldNode`: value count and null count of one (nested) field. */
export interface FieldNodeMeta {
  length: number;
  nullCount: number;
}

/** One `Buffer`: a region of the message body. */
export interface BufferRegionMeta {
  offset: number;
  length: number;
}

/** The decoded header of a RecordBatch message. */
export interface RecordBatchMeta {
  version: number;
  /** Row count of the batch. */
  length: number;
  nodes: FieldNodeMeta[];
  buffers: BufferRegionMeta[];
  /** `CompressionType` of the body (0 = LZ4_FRAME, 1 = ZSTD), or null when uncompressed. */
  compression: number | null;
  bodyLength: number;
}

/** Thrown for malformed metadata; callers wrap it into a FlussError with context. */
export class ArrowFormatError extends Error {}

class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(pos: number, size: number): void {
    if (pos < 0 || size < 0 || pos + size > this.bytes.length) throw new ArrowFormatError("Arrow metadata offset out of bounds");
  }
  u8(pos: number): number {
    this.check(pos, 1);
    return this.view.getUint8(pos);
  }
  i16(pos: number): number {
    this.check(pos, 2);
    return this.view.getInt16(pos, true);
  }
  u16(pos: number): number {
    this.check(pos, 2);
    return this.view.getUint16(pos, true);
  }
  i32(pos: number): number {
    this.check(pos, 4);
    return this.view.getInt32(pos, true);
  }
  u32(pos: number): number {
    this.check(pos, 4);
    return this.view.getUint32(pos, true);
  }
  /** A non-negative int64 that fits a JS number exactly. */
  size64(pos: number, what: string): number {
    this.check(pos, 8);
    const lo = this.view.getUint32(pos, true);
    const hi = this.view.getInt32(pos + 4, true);
    if (hi < 0 || hi > 0x1fffff) throw new ArrowFormatError(`Arrow ${what} out of range`);
    return hi * 0x1_0000_0000 + lo;
  }
  /** Position of a table referenced by the uoffset at `pos`. */
  table(pos: number): number {
    return pos + this.u32(pos);
  }
  /** Byte position of field `id` of the table at `table`, or 0 when absent. */
  field(table: number, id: number): number {
    const vtable = table - this.i32(table);
    const vtableSize = this.u16(vtable);
    const slot = 4 + id * 2;
    if (slot + 2 > vtableSize) return 0;
    const off = this.u16(vtable + slot);
    return off === 0 ? 0 : table + off;
  }
  /** Start and element count of a vector of `elementSize`-byte structs referenced at `pos`. */
  vector(pos: number, elementSize: number): { start: number; count: number } {
    const at = pos + this.u32(pos);
    const count = this.u32(at);
    this.check(at + 4, count * elementSize);
    return { start: at + 4, count };
  }
}

/**
 * Decodes the flatbuffer `Message` in `metadata` (the bytes after the
 * continuation marker and length prefix). Throws {@link ArrowFormatError}
 * unless it is a well-formed RecordBatch message.
 */
export function decodeRecordBatchMessage(metadata: Uint8Array): RecordBatchMeta {
  const r = new Reader(metadata);
  const message = r.table(0);
  const versionPos = r.field(message, 0);
  const version = versionPos ? r.i16(versionPos) : 0;
  const headerTypePos = r.field(message, 1);
  const headerType = headerTypePos ? r.u8(headerTypePos) : 0;
  if (headerType !== HEADER_RECORD_BATCH) {
    throw new ArrowFormatError(`expected an Arrow RecordBatch message, got message header type ${headerType}`);
  }
  const headerPos = r.field(message, 2);
  if (!headerPos) throw new ArrowFormatError("Arrow message without header");
  const bodyLengthPos = r.field(message, 3);
  const bodyLength = bodyLengthPos ? r.size64(bodyLengthPos, "body length") : 0;

  const batch = r.table(headerPos);
  const lengthPos = r.field(batch, 0);
  const length = lengthPos ? r.size64(lengthPos, "row count") : 0;
  const nodes: FieldNodeMeta[] = [];
  const nodesPos = r.field(batch, 1);
  if (nodesPos) {
    const { start, count } = r.vector(nodesPos, 16);
    for (let i = 0; i < count; i++) {
      nodes.push({ length: r.size64(start + i * 16, "field length"), nullCount: r.size64(start + i * 16 + 8, "null count") });
    }
  }
  const buffers: BufferRegionMeta[] = [];
  const buffersPos = r.field(batch, 2);
  if (buffersPos) {
    const { start, count } = r.vector(buffersPos, 16);
    for (let i = 0; i < count; i++) {
      buffers.push({ offset: r.size64(start + i * 16, "buffer offset"), length: r.size64(start + i * 16 + 8, "buffer length") });
    }
  }
  let compression: number | null = null;
  const compressionPos = r.field(batch, 3);
  if (compressionPos) {
    const table = r.table(compressionPos);
    // codec defaults to LZ4_FRAME (0) and is then left out of the flatbuffer.
    const codecPos = r.field(table, 0);
    compression = codecPos ? r.u8(codecPos) : 0;
    const methodPos = r.field(table, 1);
    const method = methodPos ? r.u8(methodPos) : 0;
    if (method !== 0) throw new ArrowFormatError(`unsupported Arrow body compression method ${method}`);
  }
  return { version, length, nodes, buffers, compression, bodyLength };
}

/**
 * Encodes a RecordBatch `Message` flatbuffer. The layout is fixed and laid
 * out front to back (every uoffset points forward, as flatbuffers require),
 * each scalar aligned to its size and the whole padded to a multiple of 8:
 *
 *   root uoffset | Message vtable | Message table | RecordBatch vtable |
 *   RecordBatch table | [BodyCompression vtable + table] | nodes | buffers
 */
export function encodeRecordBatchMessage(
  length: number,
  nodes: readonly FieldNodeMeta[],
  buffers: readonly BufferRegionMeta[],
  compression: number | null,
  bodyLength: number,
): Uint8Array {
  // Message vtable at 4: [size=12, tableSize=24, version@20, headerType@22, header@16, bodyLength@8]
  const msgVtable = 4;
  const msgTable = 16; // 8-aligned so bodyLength (at +8) is 8-aligned
  const rbVtable = msgTable + 24; // 40: [size=12, tableSize, length@8, nodes@16, buffers@20, compression@24]
  const rbTable = rbVtable + 16; // 56 (8-aligned): soffset, pad, length int64 @+8, nodes @+16, buffers @+20, compression @+24
  const rbTableSize = compression === null ? 24 : 28;
  let pos = rbTable + rbTableSize;
  let bcVtable = 0;
  let bcTable = 0;
  if (compression !== null) {
    bcVtable = pos; // [size=8, tableSize=8, codec@4, method@5]
    bcTable = bcVtable + 8;
    pos = bcTable + 8;
  }
  // Struct vectors: the uint32 count sits right before 8-aligned elements.
  const nodesCount = align(pos + 4, 8) - 4;
  const nodesStart = nodesCount + 4;
  const buffersCount = nodesStart + nodes.length * 16 + 4;
  const buffersStart = buffersCount + 4;
  const total = align(buffersStart + buffers.length * 16, 8);

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, msgTable, true);

  v.setUint16(msgVtable, 12, true);
  v.setUint16(msgVtable + 2, 24, true);
  v.setUint16(msgVtable + 4, 20, true); // version
  v.setUint16(msgVtable + 6, 22, true); // header_type
  v.setUint16(msgVtable + 8, 16, true); // header
  v.setUint16(msgVtable + 10, 8, true); // bodyLength
  v.setInt32(msgTable, msgTable - msgVtable, true);
  setInt64(v, msgTable + 8, bodyLength);
  v.setUint32(msgTable + 16, rbTable - (msgTable + 16), true);
  v.setInt16(msgTable + 20, METADATA_VERSION_V5, true);
  v.setUint8(msgTable + 22, HEADER_RECORD_BATCH);

  v.setUint16(rbVtable, compression === null ? 10 : 12, true);
  v.setUint16(rbVtable + 2, rbTableSize, true);
  v.setUint16(rbVtable + 4, 8, true); // length
  v.setUint16(rbVtable + 6, 16, true); // nodes
  v.setUint16(rbVtable + 8, 20, true); // buffers
  if (compression !== null) v.setUint16(rbVtable + 10, 24, true); // compression
  v.setInt32(rbTable, rbTable - rbVtable, true);
  setInt64(v, rbTable + 8, length);
  v.setUint32(rbTable + 16, nodesCount - (rbTable + 16), true);
  v.setUint32(rbTable + 20, buffersCount - (rbTable + 20), true);
  if (compression !== null) {
    v.setUint32(rbTable + 24, bcTable - (rbTable + 24), true);
    v.setUint16(bcVtable, 8, true);
    v.setUint16(bcVtable + 2, 8, true);
    v.setUint16(bcVtable + 4, 4, true); // codec (written even when 0, for readers that ignore defaults)
    v.setUint16(bcVtable + 6, 5, true); // method BUFFER
    v.setInt32(bcTable, bcTable - bcVtable, true);
    v.setUint8(bcTable + 4, compression);
    v.setUint8(bcTable + 5, 0);
  }
  v.setUint32(nodesCount, nodes.length, true);
  nodes.forEach((n, i) => {
    setInt64(v, nodesStart + i * 16, n.length);
    setInt64(v, nodesStart + i * 16 + 8, n.nullCount);
  });
  v.setUint32(buffersCount, buffers.length, true);
  buffers.forEach((b, i) => {
    setInt64(v, buffersStart + i * 16, b.offset);
    setInt64(v, buffersStart + i * 16 + 8, b.length);
  });
  return out;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function setInt64(v: DataView, pos: number, value: number): void {
  v.setUint32(pos, value % 0x1_0000_0000, true);
  v.setUint32(pos + 4, Math.floor(value / 0x1_0000_0000), true);
}
