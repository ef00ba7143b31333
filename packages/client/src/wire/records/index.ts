/**
 * The log-record layer: Fluss log batches (V0/V1 headers, CRC-32C,
 * change types) around Arrow IPC record-batch payloads, with LZ4_FRAME and
 * ZSTD body compression. Pure functions over bytes; browser-safe.
 */
export { crc32c, crc32cUpdate } from "./crc32c.js";
export { ChangeType, changeTypeShortString, isChangeType } from "./change-type.js";
export {
  encodeLogBatch,
  finishLogBatch,
  logBatchHeadroom,
  LogBatch,
  readLogBatches,
  LOG_MAGIC_V0,
  LOG_MAGIC_V1,
  LOG_OVERHEAD,
  NO_BATCH_SEQUENCE,
  NO_LEADER_EPOCH,
  NO_WRITER_ID,
  V0_HEADER_SIZE,
  V1_HEADER_SIZE,
  type LogBatchHeaderInit,
  type ReadLogBatchesOptions,
} from "./log-batch.js";
export {
  decodeArrowRecordBatch,
  decodeArrowRecordBatchSync,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  encodeArrowRecordBatch,
  encodeArrowRecordBatchSync,
  encodeArrowRecordBatchWith,
  loadArrowRecordBatch,
  parseArrowMessage,
  type ArrowCompression,
  type ArrowMessage,
  type DecodeArrowOptions,
  type EncodeArrowOptions,
  type EncodedArrowPayload,
} from "./arrow-batch.js";
export {
  finishKvBatch,
  KV_BATCH_HEADER_SIZE,
  KV_MAGIC_V0,
  KvBatchBuilder,
  readKvBatch,
  type KvBatch,
  type KvBatchHeaderInit,
  type KvRecord,
} from "./kv-batch.js";
export { encodeLogRecords, type EncodeLogRecordsOptions } from "./log-records.js";
export { encodeRowLogRecords, readRowLogRecords, type RowBytesDecoder, type RowLogRecords, type RowWriter } from "./row-log-records.js";
export {
  ARROW_COMPRESSION_TYPE,
  loadCodec,
  loadCodecForCompression,
  codecReadyToCompress,
  loadedCodec,
  type BufferCodec,
  type CompressionCodecName,
  type DecompressPart,
} from "./compression/codec.js";
