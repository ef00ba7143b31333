import { RecordBatch, type Schema as ArrowSchema } from "apache-arrow";
import { ErrorCode, FlussError } from "../../errors/index.js";
import { BodyReader } from "./arrow-body-reader.js";
import { recordBatchOf } from "./record-batch-of.js";
import { BodyWriter } from "./arrow-body-writer.js";
import { ArrowFormatError, decodeRecordBatchMessage, encodeRecordBatchMessage, type RecordBatchMeta } from "./arrow-message.js";
import {
  ARROW_COMPRESSION_TYPE,
  loadCodec,
  loadCodecForCompression,
  loadedCodec,
  type BufferCodec,
  type CompressionCodecName,
  type DecompressPart,
} from "./compression/codec.js";
import { Lz4FormatError } from "./compression/lz4-block.js";

/**
 * The Arrow payload of a Fluss log batch: ONE encapsulated Arrow IPC
 * RecordBatch message, with no Schema message before it and no end-of-stream
 * marker after it (protocol.md §5.2):
 *
 *   0xFFFFFFFF | int32 LE metadata length | flatbuffer Message (padded to 8) | body
 *
 * Body buffers are 8-aligned. With body compression each buffer is an int64
 * LE uncompressed length followed by the compressed bytes, or by the raw
 * bytes when the length is −1.
 */

const CONTINUATION = 0xffffffff;
const PREFIX_BYTES = 8;
const NOT_COMPRESSED = -1;
/** Default cap on the bytes one batch may decompress to (guards against decompression bombs and garbage lengths). */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Compression for {@link encodeArrowRecordBatch}. */
export interface ArrowCompression {
  codec: CompressionCodecName;
  /** ZSTD level 1–22 (Fluss's default is 3); ignored by LZ4_FRAME. */
  level?: number;
}

/** Options of {@link encodeArrowRecordBatch}. */
export interface EncodeArrowOptions {
  /** Body compression; none when omitted. */
  compression?: ArrowCompression | null;
  /**
   * Bytes to leave free before the payload in the returned buffer, so the
   * caller can write a log batch header (and change-type vector) in place
   * instead of copying the payload again.
   */
  headroom?: number;
}

/** Options of {@link decodeArrowRecordBatch}. */
export interface DecodeArrowOptions {
  /** Rows the enclosing log batch announces; a different Arrow row count is an error. */
  expectedRows?: number;
  /** Cap on the decompressed size of the batch's buffers (default 256 MiB). */
  maxUncompressedBytes?: number;
}

/** Result of encoding: the buffer, and where the payload starts in it (= headroom). */
export interface EncodedArrowPayload {
  bytes: Uint8Array;
  payloadOffset: number;
}

/**
 * Serializes `batch` as a Fluss Arrow payload, loading the codec first if
 * needed. Column types must be the ones Fluss uses (see `toArrowType`).
 * Where the codec works off the JS thread (ZSTD on Node's worker threads),
 * the buffers are compressed in parallel.
 */
export async function encodeArrowRecordBatch(batch: RecordBatch, options: EncodeArrowOptions = {}): Promise<EncodedArrowPayload> {
  const codec = options.compression ? await loadCodecOrThrow(options.compression.codec, loadCodecForCompression) : undefined;
  return encodeArrowRecordBatchWith(batch, options, codec);
}

/**
 * {@link encodeArrowRecordBatch} with an already loaded `codec` (the one
 * named by `options.compression`, as for {@link encodeArrowRecordBatchSync}):
 * compresses through `compressAsync` where the codec has it, else
 * synchronously. The body is laid out synchronously before the first await.
 */
export async function encodeArrowRecordBatchWith(
  batch: RecordBatch,
  options: EncodeArrowOptions = {},
  codec?: BufferCodec,
): Promise<EncodedArrowPayload> {
  if (!options.compression || !codec?.compressAsync) return encodeArrowRecordBatchSync(batch, options, codec);
  const body = writeBody(batch, options, codec);
  const compressed = await Promise.all(
    body.writer.buffers.map((buffer) => (buffer.length > 0 ? codec.compressAsync!(buffer, body.level) : null)),
  );
  return assemblePayload(batch, body, compressed);
}

/**
 * Synchronous {@link encodeArrowRecordBatch}: `codec` must be the loaded
 * codec named by `options.compression`, prepared for compression
 * (`loadCodecForCompression`); buffers it does not compress are stored
 * uncompressed.
 */
export function encodeArrowRecordBatchSync(
  batch: RecordBatch,
  options: EncodeArrowOptions = {},
  codec?: BufferCodec,
): EncodedArrowPayload {
  const body = writeBody(batch, options, codec);
  const compressed =
    body.compression && codec
      ? body.writer.buffers.map((buffer) => (buffer.length > 0 ? codec.compress(buffer, body.level) : null))
      : null;
  return assemblePayload(batch, body, compressed);
}

/** The uncompressed body buffers of a batch, with the checked encoding options. */
interface WrittenBody {
  writer: BodyWriter;
  compression: ArrowCompression | null;
  level: number;
  headroom: number;
}

function writeBody(batch: RecordBatch, options: EncodeArrowOptions, codec: BufferCodec | undefined): WrittenBody {
  const compression = options.compression ?? null;
  if (compression && codec?.name !== compression.codec) {
    throw FlussError.client(`the ${compression.codec} codec is not loaded; use encodeArrowRecordBatch or loadCodec first`);
  }
  const level = compression?.level ?? 3;
  if (compression?.codec === "ZSTD" && !(Number.isInteger(level) && level >= 1 && level <= 22)) {
    throw FlussError.client(`ZSTD compression level must be an integer from 1 to 22, got ${level}`);
  }
  const writer = new BodyWriter();
  const fields = batch.schema.fields;
  fields.forEach((field, i) => {
    const column = batch.data.children[i];
    if (!column) throw FlussError.client(`record batch has no data for column '${field.name}'`);
    writer.writeField(field, column, 0, batch.numRows);
  });
  return { writer, compression, level, headroom: options.headroom ?? 0 };
}

/**
 * Lays out the payload. `compressed[i]` is the codec's output for buffer i
 * (null: empty buffer or codec unavailable); `compressed` is null without
 * compression.
 */
function assemblePayload(
  batch: RecordBatch,
  { writer, compression, headroom }: WrittenBody,
  compressed: readonly (Uint8Array | null)[] | null,
): EncodedArrowPayload {
  // Body pieces: [prefix?, bytes] per buffer, each buffer padded to 8.
  const pieces: Uint8Array[] = [];
  const prefixes: number[] = [];
  const regions: { offset: number; length: number }[] = [];
  let bodyLength = 0;
  writer.buffers.forEach((buffer, i) => {
    let piece = buffer;
    let prefix = 0;
    let length = buffer.length;
    if (compression && compressed) {
      prefix = buffer.length;
      if (buffer.length > 0) {
        const out = compressed[i];
        // As Arrow Java: keep the raw bytes (prefix −1) when compression does not pay off or is unavailable.
        if (out && out.length < buffer.length) piece = out;
        else prefix = NOT_COMPRESSED;
      }
      length = PREFIX_BYTES + piece.length;
    }
    pieces.push(piece);
    prefixes.push(prefix);
    regions.push({ offset: bodyLength, length });
    bodyLength += align8(length);
  });

  const metadata = encodeRecordBatchMessage(
    batch.numRows,
    writer.nodes,
    regions,
    compression ? ARROW_COMPRESSION_TYPE[compression.codec] : null,
    bodyLength,
  );
  const payloadLength = 8 + metadata.length + bodyLength;
  const out = new Uint8Array(headroom + payloadLength);
  const view = new DataView(out.buffer);
  view.setUint32(headroom, CONTINUATION, true);
  view.setInt32(headroom + 4, metadata.length, true);
  out.set(metadata, headroom + 8);
  const pos = headroom + 8 + metadata.length;
  for (let i = 0; i < pieces.length; i++) {
    const region = regions[i]!;
    let at = pos + region.offset;
    if (compression) {
      const prefix = prefixes[i]!;
      view.setInt32(at, prefix, true);
      view.setInt32(at + 4, prefix < 0 ? -1 : 0, true);
      at += PREFIX_BYTES;
    }
    out.set(pieces[i]!, at);
  }
  return { bytes: out, payloadOffset: headroom };
}

/** Parsed framing of an Arrow payload: its metadata and a view of its body. */
export interface ArrowMessage {
  meta: RecordBatchMeta;
  body: Uint8Array;
  /** The body codec, or null when the body is not compressed. */
  codec: CompressionCodecName | null;
}

/** Parses the IPC framing and metadata of a payload. Throws CORRUPT_RECORD_EXCEPTION on malformed bytes. */
export function parseArrowMessage(payload: Uint8Array): ArrowMessage {
  try {
    if (payload.length < 8) throw new ArrowFormatError(`Arrow payload of ${payload.length} bytes is too short`);
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    let metaStart = 8;
    let metaLength = view.getInt32(4, true);
    if (view.getUint32(0, true) !== CONTINUATION) {
      // Pre-0.15 Arrow framing without the continuation marker: int32 length, then metadata.
      metaLength = view.getInt32(0, true);
      metaStart = 4;
    }
    if (metaLength <= 0 || metaLength > payload.length - metaStart) {
      throw new ArrowFormatError(`Arrow metadata length ${metaLength} does not fit the ${payload.length}-byte payload`);
    }
    const meta = decodeRecordBatchMessage(payload.subarray(metaStart, metaStart + metaLength));
    const bodyStart = metaStart + metaLength;
    if (meta.bodyLength > payload.length - bodyStart) {
      throw new ArrowFormatError(`Arrow body of ${meta.bodyLength} bytes runs past the ${payload.length}-byte payload`);
    }
    let codec: CompressionCodecName | null = null;
    if (meta.compression !== null) {
      if (meta.compression === ARROW_COMPRESSION_TYPE.LZ4_FRAME) codec = "LZ4_FRAME";
      else if (meta.compression === ARROW_COMPRESSION_TYPE.ZSTD) codec = "ZSTD";
      else throw new ArrowFormatError(`unknown Arrow compression codec ${meta.compression}`);
    }
    return { meta, body: payload.subarray(bodyStart, bodyStart + meta.bodyLength), codec };
  } catch (e) {
    throw corrupt(e);
  }
}

/**
 * Decodes a Fluss Arrow payload into a RecordBatch of `schema` (the table's
 * Arrow schema from `Schema.toArrow()`, or, with projection pushdown, the
 * projected columns in ascending column order). Loads the codec if the body
 * is compressed. Data buffers are views into `payload` (no copies) unless
 * compressed or misaligned. Where the codec works off the JS thread (ZSTD on
 * worker threads), all of the batch's compressed buffers go there as one job
 * (one input copy, one promise, however many columns; measured on a fresh
 * 1M-row scan of the log bench, 165 batches: 165 jobs instead of 1,818 jobs
 * plus 1,845 small buffers decompressed on the JS thread), and concurrent
 * calls for different batches run in parallel.
 */
export async function decodeArrowRecordBatch(
  payload: Uint8Array,
  schema: ArrowSchema,
  options: DecodeArrowOptions = {},
): Promise<RecordBatch> {
  const message = parseArrowMessage(payload);
  const codec = message.codec ? await loadCodecOrThrow(message.codec) : undefined;
  if (!codec?.decompressPartsAsync) return loadArrowRecordBatch(message, schema, options, codec);
  // The compressed buffers, as parts of the body, go to the codec in one job: `bodyBuffers` puts
  // each one's part number where its output will go.
  const parts: DecompressPart[] = [];
  const bodyStart = message.body.byteOffset;
  const layout = checkedBodyBuffers(message, options, (data, uncompressedLength) => {
    parts.push({ offset: data.byteOffset - bodyStart, length: data.length, uncompressedLength });
    return parts.length - 1;
  });
  if (parts.length === 0) return buildRecordBatch(message.meta, layout as Uint8Array[], schema);
  let outputs: Uint8Array[];
  try {
    outputs = await codec.decompressPartsAsync(message.body, parts);
  } catch (e) {
    throw corrupt(e);
  }
  // Filled by push, not `layout.map`: the array V8's optimized `map` makes is of another kind
  // (holey) than the interpreter's, and BodyReader, meeting the second kind once this function is
  // optimized, lost its optimized code (a "wrong map" deopt of the Arrow reader, mid-scan).
  const buffers: Uint8Array[] = [];
  for (const buffer of layout) buffers.push(typeof buffer === "number" ? outputs[buffer]! : buffer);
  return buildRecordBatch(message.meta, buffers, schema);
}

/**
 * Synchronous {@link decodeArrowRecordBatch}. Throws a CLIENT_ERROR when
 * the body is compressed and the codec is not loaded yet (`loadCodec`).
 */
export function decodeArrowRecordBatchSync(
  payload: Uint8Array,
  schema: ArrowSchema,
  options: DecodeArrowOptions = {},
): RecordBatch {
  const message = parseArrowMessage(payload);
  let codec: BufferCodec | undefined;
  if (message.codec) {
    codec = loadedCodec(message.codec);
    if (!codec) throw FlussError.client(`the ${message.codec} codec is not loaded; use decodeArrowRecordBatch or loadCodec first`);
  }
  return loadArrowRecordBatch(message, schema, options, codec);
}

/** Builds the RecordBatch of a parsed message; `codec` must match `message.codec`. */
export function loadArrowRecordBatch(
  message: ArrowMessage,
  schema: ArrowSchema,
  options: DecodeArrowOptions = {},
  codec?: BufferCodec,
): RecordBatch {
  const buffers = checkedBodyBuffers(message, options, codec ? (data, n) => codec.decompress(data, n) : undefined);
  return buildRecordBatch(message.meta, buffers, schema);
}

/**
 * {@link bodyBuffers} after checking the row count, within the options'
 * decompression budget; malformed input throws CORRUPT_RECORD_EXCEPTION.
 */
function checkedBodyBuffers<T>(
  { meta, body }: ArrowMessage,
  options: DecodeArrowOptions,
  decompress: ((data: Uint8Array, uncompressedLength: number) => T) | undefined,
): (Uint8Array | T)[] {
  try {
    if (options.expectedRows !== undefined && meta.length !== options.expectedRows) {
      throw new ArrowFormatError(`Arrow batch has ${meta.length} rows, the log batch announces ${options.expectedRows}`);
    }
    return bodyBuffers(meta, body, options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, decompress);
  } catch (e) {
    throw corrupt(e);
  }
}

/** The RecordBatch over the body's (decompressed) buffers. */
function buildRecordBatch(meta: RecordBatchMeta, buffers: Uint8Array[], schema: ArrowSchema): RecordBatch {
  try {
    const reader = new BodyReader(meta.nodes, buffers);
    const children = schema.fields.map((field) => {
      const data = reader.readField(field);
      if (data.length !== meta.length) {
        throw new ArrowFormatError(`column '${field.name}' has ${data.length} values in a batch of ${meta.length} rows`);
      }
      return data;
    });
    reader.finish();
    return recordBatchOf(schema, children, meta.length);
  } catch (e) {
    throw corrupt(e);
  }
}

/**
 * The body's buffers: views for uncompressed ones, each compressed one
 * passed to `decompress` exactly once (its result, or a promise of it, in
 * its place). Without `decompress` the body is not compressed.
 */
function bodyBuffers<T>(
  meta: RecordBatchMeta,
  body: Uint8Array,
  budget: number,
  decompress: ((data: Uint8Array, uncompressedLength: number) => T) | undefined,
): (Uint8Array | T)[] {
  const out: (Uint8Array | T)[] = [];
  let remaining = budget;
  for (const { offset, length } of meta.buffers) {
    if (offset + length > body.length) throw new ArrowFormatError("Arrow buffer runs past the body");
    const region = body.subarray(offset, offset + length);
    if (!decompress || length === 0) {
      out.push(region);
      continue;
    }
    if (length < PREFIX_BYTES) throw new ArrowFormatError("compressed Arrow buffer shorter than its length prefix");
    const view = new DataView(region.buffer, region.byteOffset, PREFIX_BYTES);
    const lo = view.getUint32(0, true);
    const hi = view.getInt32(4, true);
    const data = region.subarray(PREFIX_BYTES);
    if (hi === -1 && lo === 0xffffffff) {
      out.push(data);
      continue;
    }
    if (hi !== 0 || lo > remaining) {
      throw new ArrowFormatError(`Arrow buffer claims ${hi * 2 ** 32 + lo} uncompressed bytes, over the ${budget}-byte limit`);
    }
    if (lo === 0) {
      out.push(new Uint8Array(0));
      continue;
    }
    remaining -= lo;
    out.push(decompress(data, lo));
  }
  return out;
}

/** `load` (for decoding `loadCodec`, for encoding `loadCodecForCompression`), its failure as a FlussError. */
async function loadCodecOrThrow(name: CompressionCodecName, load: (name: CompressionCodecName) => Promise<BufferCodec> = loadCodec): Promise<BufferCodec> {
  try {
    return await load(name);
  } catch (e) {
    throw FlussError.client(`cannot load the ${name} codec: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

function corrupt(e: unknown): FlussError {
  if (e instanceof FlussError) return e;
  if (e instanceof ArrowFormatError || e instanceof Lz4FormatError || e instanceof Error) {
    // The batch passed its CRC, so fetching it again returns the same bytes: not retriable.
    return new FlussError(`corrupt Arrow record batch: ${e.message}`, ErrorCode.CORRUPT_RECORD_EXCEPTION, {
      cause: e,
      retriable: false,
    });
  }
  return new FlussError(`corrupt Arrow record batch: ${String(e)}`, ErrorCode.CORRUPT_RECORD_EXCEPTION, { retriable: false });
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
