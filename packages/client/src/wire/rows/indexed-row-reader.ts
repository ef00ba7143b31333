import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { arrayReader, mapReader, type NestedRowReaderFactory } from "./binary-array-reader.js";
import { ByteInput } from "./byte-input.js";
import { rowFields } from "./compacted-row-writer.js";
import { isCompactDecimal, readTwosComplement } from "./decimal-bytes.js";
import { isIndexedFixedLength } from "./indexed-row-writer.js";
import { makeDecimal, makeRow, makeTime, makeTimestamp } from "./row-values.js";
import { readUtf8 } from "./utf8.js";

/**
 * Decoding of Fluss's INDEXED row format (as `IndexedRow`'s getters; layout in
 * indexed-row-writer.ts). CHAR(n) comes back without its trailing zero padding, as Java's
 * `IndexedRow#getChar` returns it. BINARY(n) comes back as all n stored bytes, where Java's
 * `IndexedRow#getBinary` strips trailing zero bytes (so a value that itself ends in zeros
 * would lose them); this client writes BINARY(n) values of exactly n bytes anyway.
 */

/** Reads one non-null value whose bytes are `bytes[start, start + len)`. */
type IndexedValueReader = (input: ByteInput, start: number, len: number) => unknown;

/** The nested-ROW decoding of the INDEXED format, for ARRAY/MAP elements. */
export const indexedNestedRowReaders: NestedRowReaderFactory = (rowType) => {
  const decoder = new IndexedRowDecoder(rowType);
  return (bytes, start, size) => decoder.decodeNested(bytes, start, size);
};

/** Byte width of a fixed-length INDEXED value (`IndexedRow.getLength`). */
function fixedWidth(type: DataType): number {
  switch (type.typeRoot) {
    case "BOOLEAN":
    case "TINYINT":
      return 1;
    case "SMALLINT":
      return 2;
    case "INTEGER":
    case "FLOAT":
    case "DATE":
    case "TIME_WITHOUT_TIME_ZONE":
      return 4;
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
      return type.precision <= 3 ? 8 : 12;
    case "CHAR":
    case "BINARY":
      return type.length;
    default:
      return 8; // BIGINT, DOUBLE, compact DECIMAL
  }
}

function trimmedEnd(bytes: Uint8Array, start: number, len: number): number {
  let end = start + len;
  while (end > start && bytes[end - 1] === 0) end--;
  return end;
}

function indexedValueReader(type: DataType): IndexedValueReader {
  switch (type.typeRoot) {
    case "BOOLEAN":
      return (input, start) => input.bytes[start] !== 0;
    case "TINYINT":
      return (input, start) => input.view.getInt8(start);
    case "SMALLINT":
      return (input, start) => input.view.getInt16(start, true);
    case "INTEGER":
    case "DATE":
      return (input, start) => input.view.getInt32(start, true);
    case "TIME_WITHOUT_TIME_ZONE":
      return (input, start) => makeTime(input.view.getInt32(start, true));
    case "BIGINT":
      return (input, start) => input.view.getBigInt64(start, true);
    case "FLOAT":
      return (input, start) => input.view.getFloat32(start, true);
    case "DOUBLE":
      return (input, start) => input.view.getFloat64(start, true);
    case "CHAR":
      return (input, start, len) => readUtf8(input.bytes, start, trimmedEnd(input.bytes, start, len));
    case "STRING":
      return (input, start, len) => readUtf8(input.bytes, start, start + len);
    case "BINARY":
    case "BYTES":
      return (input, start, len) => input.bytes.slice(start, start + len);
    case "DECIMAL": {
      const scale = type.scale;
      if (isCompactDecimal(type.precision)) return (input, start) => makeDecimal(input.view.getBigInt64(start, true), scale);
      return (input, start, len) => makeDecimal(readTwosComplement(input.bytes, start, start + len), scale);
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
      if (type.precision <= 3) return (input, start) => makeTimestamp(input.view.getBigInt64(start, true), 0);
      return (input, start) => makeTimestamp(input.view.getBigInt64(start, true), input.view.getInt32(start + 8, true));
    case "ARRAY": {
      const read = arrayReader(type.elementType, indexedNestedRowReaders);
      return (input, start, len) => read(input.bytes, start, len);
    }
    case "MAP": {
      const read = mapReader(type.keyType, type.valueType, indexedNestedRowReaders);
      return (input, start, len) => read(input.bytes, start, len);
    }
    case "ROW": {
      const read = indexedNestedRowReaders(type);
      return (input, start, len) => read(input.bytes, start, len);
    }
  }
}

/** Decodes INDEXED rows of one schema into arrays of JS values (null for null fields). */
export class IndexedRowDecoder {
  readonly fieldCount: number;
  readonly #names: string[];
  readonly #readers: IndexedValueReader[];
  /** Fixed width per field, or −1 for variable-length fields. */
  readonly #widths: number[];
  readonly #nullBytes: number;
  readonly #headerBytes: number;

  constructor(row: RowType | readonly DataType[]) {
    const { types, names } = rowFields(row);
    this.fieldCount = types.length;
    this.#names = names;
    this.#readers = types.map(indexedValueReader);
    this.#widths = types.map((t) => (isIndexedFixedLength(t) ? fixedWidth(t) : -1));
    this.#nullBytes = (types.length + 7) >>> 3;
    this.#headerBytes = this.#nullBytes + 4 * this.#widths.filter((w) => w < 0).length;
  }

  /** Decodes the row in `bytes[offset, offset + length)`; the whole range must be consumed. */
  decode(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset): unknown[] {
    const input = new ByteInput(bytes, offset, length);
    input.need(this.#headerBytes);
    let lengthSlot = offset + this.#nullBytes;
    let pos = offset + this.#headerBytes;
    const values = new Array<unknown>(this.fieldCount);
    for (let i = 0; i < this.fieldCount; i++) {
      if ((bytes[offset + (i >>> 3)]! & (1 << (i & 7))) !== 0) {
        values[i] = null;
        continue;
      }
      let len = this.#widths[i]!;
      if (len < 0) {
        len = input.view.getInt32(lengthSlot, true);
        lengthSlot += 4;
      }
      input.position = pos;
      input.need(len);
      values[i] = this.#readers[i]!(input, pos, len);
      pos += len;
    }
    if (pos !== input.limit) {
      throw FlussError.client(`Malformed row: ${input.limit - pos} byte(s) left after the last field.`);
    }
    return values;
  }

  /**
   * Decodes a row into an object keyed by column name — the shape rows have in the client's API
   * (docs/data-types.md) and nested ROW values have here.
   */
  decodeRecord(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset): Record<string, unknown> {
    return makeRow(this.#names, this.decode(bytes, offset, length));
  }

  /** Decodes a nested ROW value (as {@link decodeRecord}). */
  decodeNested(bytes: Uint8Array, offset: number, length: number): Record<string, unknown> {
    return this.decodeRecord(bytes, offset, length);
  }
}
