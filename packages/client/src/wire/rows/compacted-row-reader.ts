import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { arrayReader, mapReader, type NestedRowReaderFactory } from "./binary-array-reader.js";
import { ByteInput } from "./byte-input.js";
import { rowFields } from "./compacted-row-writer.js";
import { isCompactDecimal, readTwosComplement } from "./decimal-bytes.js";
import { makeDecimal, makeRow, makeTime, makeTimestamp } from "./row-values.js";

/**
 * Decoding of Fluss's COMPACTED row format (`CompactedRowReader` / `CompactedRowDeserializer`);
 * the layout is described in compacted-row-writer.ts. Values come out as documented in
 * row-values.ts. Truncated or malformed bytes raise a CLIENT_ERROR FlussError.
 */

/** Reads one non-null value of a column type at the input's position. */
export type CompactedValueReader = (input: ByteInput) => unknown;

/** The nested-ROW decoding of the COMPACTED format, for ARRAY/MAP elements. */
export const compactedNestedRowReaders: NestedRowReaderFactory = (rowType) => {
  const decoder = new CompactedRowDecoder(rowType);
  return (bytes, start, size) => decoder.decodeNested(bytes, start, size);
};

/** Compiles the COMPACTED reader of one non-null value of `type`. */
export function compactedValueReader(type: DataType): CompactedValueReader {
  switch (type.typeRoot) {
    case "BOOLEAN":
      return (input) => input.readUint8() !== 0;
    case "TINYINT":
      return (input) => input.readInt8();
    case "SMALLINT":
      return (input) => input.readInt16LE();
    case "INTEGER":
    case "DATE":
      return (input) => input.readVarInt32();
    case "TIME_WITHOUT_TIME_ZONE":
      return (input) => makeTime(input.readVarInt32());
    case "BIGINT":
      return (input) => input.readVarInt64();
    case "FLOAT":
      return (input) => input.readFloat32LE();
    case "DOUBLE":
      return (input) => input.readFloat64LE();
    case "CHAR":
    case "STRING":
      return (input) => input.readUtf8(input.readLength());
    case "BINARY":
    case "BYTES":
      return (input) => input.readCopy(input.readLength());
    case "DECIMAL": {
      const { precision, scale } = type;
      if (isCompactDecimal(precision)) return (input) => makeDecimal(input.readVarInt64(), scale);
      return (input) => {
        const len = input.readLength();
        input.need(len);
        const start = input.position;
        input.position += len;
        return makeDecimal(readTwosComplement(input.bytes, start, start + len), scale);
      };
    }
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      if (type.precision <= 3) return (input) => makeTimestamp(input.readVarInt64(), 0);
      return (input) => {
        const millis = input.readVarInt64();
        return makeTimestamp(millis, input.readVarInt32());
      };
    }
    case "ARRAY":
    case "MAP":
    case "ROW": {
      const read =
        type.typeRoot === "ARRAY"
          ? arrayReader(type.elementType, compactedNestedRowReaders)
          : type.typeRoot === "MAP"
            ? mapReader(type.keyType, type.valueType, compactedNestedRowReaders)
            : compactedNestedRowReaders(type);
      return (input) => {
        const len = input.readLength();
        input.need(len);
        const start = input.position;
        input.position += len;
        return read(input.bytes, start, len);
      };
    }
  }
}

/**
 * Decodes COMPACTED rows of one schema into arrays of JS values (null for null fields).
 *
 * @example
 * const dec = new CompactedRowDecoder(schema.getRowType());
 * const values = dec.decode(rowBytes);
 */
export class CompactedRowDecoder {
  readonly fieldCount: number;
  readonly #names: string[];
  readonly #readers: CompactedValueReader[];
  readonly #nullBytes: number;

  constructor(row: RowType | readonly DataType[]) {
    const { types, names } = rowFields(row);
    this.fieldCount = types.length;
    this.#names = names;
    this.#readers = types.map(compactedValueReader);
    this.#nullBytes = (types.length + 7) >>> 3;
  }

  /** Decodes the row in `bytes[offset, offset + length)`; the whole range must be consumed. */
  decode(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset): unknown[] {
    const input = new ByteInput(bytes, offset, length);
    const values = this.readFrom(input);
    if (input.position !== input.limit) {
      throw FlussError.client(`Malformed row: ${input.limit - input.position} byte(s) left after the last field.`);
    }
    return values;
  }

  /** Reads one row at the input's position (the input's limit bounds it). */
  readFrom(input: ByteInput): unknown[] {
    const start = input.position;
    input.need(this.#nullBytes);
    input.position += this.#nullBytes;
    const bytes = input.bytes;
    const values = new Array<unknown>(this.fieldCount);
    for (let i = 0; i < this.fieldCount; i++) {
      const isNull = (bytes[start + (i >>> 3)]! & (1 << (i & 7))) !== 0;
      values[i] = isNull ? null : this.#readers[i]!(input);
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
