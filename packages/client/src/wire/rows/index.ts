/**
 * Fluss's binary row and key encodings: COMPACTED and INDEXED rows (with the binary ARRAY /
 * MAP / nested ROW layouts), the key encoders that PutKv, Lookup and bucketing hash
 * (Fluss's compacted keys and the Paimon / Iceberg lake encodings), and the
 * `[schema id][row]` value encoding of the KV store. Pure functions over byte arrays; no
 * Node built-ins.
 */
export { ByteInput } from "./byte-input.js";
export { ByteOutput, int64Parts, type Int64Parts } from "./byte-output.js";
export {
  arrayHeaderBytes,
  arraySlotBytes,
  arrayWriter,
  mapWriter,
  type BinaryValueWriter,
  type NestedRowWriter,
  type NestedRowWriterFactory,
} from "./binary-array-writer.js";
export {
  arrayReader,
  mapReader,
  type BinaryValueReader,
  type NestedRowReader,
  type NestedRowReaderFactory,
} from "./binary-array-reader.js";
export {
  CompactedRowEncoder,
  compactedNestedRows,
  compactedValueWriter,
  type CompactedValueWriter,
} from "./compacted-row-writer.js";
export {
  CompactedRowDecoder,
  compactedNestedRowReaders,
  compactedValueReader,
  type CompactedValueReader,
} from "./compacted-row-reader.js";
export { CompactedKeyDecoder, CompactedKeyEncoder, keyIndexes, type KeyEncoder } from "./compacted-key-encoder.js";
export { IcebergKeyEncoder, PaimonKeyEncoder } from "./lake-key-encoders.js";
export { keyEncoderOf } from "./key-encoders.js";
export { IndexedRowEncoder, indexedNestedRows, isIndexedFixedLength } from "./indexed-row-writer.js";
export { IndexedRowDecoder, indexedNestedRowReaders } from "./indexed-row-reader.js";
export { decodeValue, encodeValue, SCHEMA_ID_LENGTH, writeValue, type DecodedValue } from "./value-encoding.js";
export {
  isCompactDecimal,
  MAX_COMPACT_PRECISION,
  readTwosComplement,
  twosComplementLength,
  writeTwosComplement,
} from "./decimal-bytes.js";
export { fieldOf, type RowInput } from "./row-values.js";
export { readUtf8, utf8Length, writeUtf8 } from "./utf8.js";
