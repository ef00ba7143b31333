import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { slotWriter, type NestedRowWriterFactory, type SlotWriter } from "./binary-array-writer.js";
import { ByteOutput, int64Parts, type Int64Parts } from "./byte-output.js";
import { keyIndexes, type KeyEncoder, nullKey } from "./compacted-key-encoder.js";
import { writeTwosComplement } from "./decimal-bytes.js";
import {
  fieldOf,
  type RowInput,
  toBytes,
  toEpochDays,
  toInt64,
  toIntIn,
  toMillisOfDay,
  toNumber,
  toStringValue,
  toTimestampParts,
  toUnscaledDecimal,
  type TimestampParts,
} from "./row-values.js";

/**
 * Key encoders of tables with `table.datalake.format` = `paimon` or `iceberg`, so that their
 * rows land in the bucket the lake format expects (Java's `PaimonKeyEncoder` and
 * `IcebergKeyEncoder`). Tables with no lake format (or `lance`) use {@link CompactedKeyEncoder}.
 */

const noNestedRows: NestedRowWriterFactory = () => {
  throw FlussError.client("Nested types cannot be key columns.");
};

function checkScalar(type: DataType, name: string, format: string): void {
  if (type.typeRoot === "ARRAY" || type.typeRoot === "MAP" || type.typeRoot === "ROW") {
    throw FlussError.client(`key column '${name}' has type ${type.asSummaryString()}, which ${format} keys do not support`);
  }
}

/**
 * Paimon's BinaryRow of the key columns (`PaimonBinaryRowWriter`): a header of
 * `((n + 63 + 8) / 64) × 8` bytes whose first byte is the row kind (0 = INSERT) and whose bits
 * 8.. are the null bits, then one 8-byte slot per key column (as in binary arrays: short
 * strings/bytes inline, others in the 8-byte-aligned variable part that follows), then the
 * variable part. Null key values are allowed here.
 */
export class PaimonKeyEncoder implements KeyEncoder {
  readonly keyNames: readonly string[];
  readonly #indexes: number[];
  readonly #writers: SlotWriter[];
  readonly #nullBytes: number;
  readonly #out = new ByteOutput(64);

  constructor(rowType: RowType, keyNames: readonly string[]) {
    this.keyNames = Object.freeze([...keyNames]);
    this.#indexes = keyIndexes(rowType, keyNames);
    const types = rowType.getFieldTypes();
    this.#writers = this.#indexes.map((i, k) => {
      const name = keyNames[k]!;
      checkScalar(types[i]!, name, "Paimon");
      return slotWriter(types[i]!, noNestedRows, name);
    });
    this.#nullBytes = Math.floor((keyNames.length + 63 + 8) / 64) * 8;
  }

  encodeKey(row: RowInput): Uint8Array {
    const out = this.#out;
    out.reset();
    const n = this.#indexes.length;
    out.skipZeroed(this.#nullBytes + 8 * n); // row kind 0 = INSERT, null bits and slots all zero
    for (let k = 0; k < n; k++) {
      const v = fieldOf(row, this.#indexes[k]!, this.keyNames[k]!);
      if (v === null || v === undefined) {
        const bit = k + 8;
        out.bytes[bit >>> 3] = out.bytes[bit >>> 3]! | (1 << (bit & 7));
      } else {
        this.#writers[k]!(out, 0, this.#nullBytes + 8 * k, v);
      }
    }
    return out.bytes.subarray(0, out.position);
  }
}

type IcebergWriter = (out: ByteOutput, value: unknown) => void;

function icebergWriter(type: DataType, path: string): IcebergWriter {
  const parts: Int64Parts = { lo: 0, hi: 0 };
  const long = (out: ByteOutput, v: bigint | number): void => {
    int64Parts(v, parts);
    out.writeInt64PartsLE(parts.lo, parts.hi);
  };
  switch (type.typeRoot) {
    case "INTEGER":
      return (out, v) => long(out, toIntIn(v, -0x80000000, 0x7fffffff, path));
    case "DATE":
      return (out, v) => long(out, toEpochDays(v, path));
    case "TIME_WITHOUT_TIME_ZONE":
      // micros of the day (Java: millis * 1000L)
      return (out, v) => long(out, toMillisOfDay(v, path) * 1000);
    case "BIGINT":
      return (out, v) => long(out, toInt64(v, path));
    case "FLOAT":
      return (out, v) => out.writeFloat32LE(toNumber(v, path));
    case "DOUBLE":
      return (out, v) => out.writeFloat64LE(toNumber(v, path));
    case "TIMESTAMP_WITHOUT_TIME_ZONE": {
      const ts: TimestampParts = { millis: 0, nanos: 0 };
      // micros since the epoch: millis * 1000 + nanoOfMillis / 1000 (Java long arithmetic)
      return (out, v) => {
        toTimestampParts(v, path, ts);
        long(out, BigInt.asIntN(64, BigInt(ts.millis) * 1000n + BigInt(Math.trunc(ts.nanos / 1000))));
      };
    }
    case "DECIMAL": {
      const { precision, scale } = type;
      return (out, v) => void writeTwosComplement(out, toUnscaledDecimal(v, precision, scale, path));
    }
    case "CHAR":
    case "STRING":
      return (out, v) => void out.writeUtf8(toStringValue(v, path));
    case "BINARY":
      return (out, v) => out.writeBytes(toBytes(v, path, type.length));
    case "BYTES":
      return (out, v) => out.writeBytes(toBytes(v, path));
    default:
      throw FlussError.client(`key column '${path}' has type ${type.asSummaryString()}, which Iceberg keys do not support`);
  }
}

/**
 * Iceberg's key bytes (`IcebergKeyEncoder`, exactly one key column): INT and DATE as int64 LE,
 * TIME and TIMESTAMP as int64 LE microseconds, BIGINT int64 LE, FLOAT/DOUBLE LE, DECIMAL as
 * its unscaled two's complement bytes, strings as UTF-8 and binaries as is — no length
 * prefixes. Other types (BOOLEAN, TINYINT, SMALLINT, TIMESTAMP_LTZ, nested) are rejected, as
 * in Java.
 */
export class IcebergKeyEncoder implements KeyEncoder {
  readonly keyNames: readonly string[];
  readonly #index: number;
  readonly #write: IcebergWriter;
  readonly #out = new ByteOutput(32);

  constructor(rowType: RowType, keyNames: readonly string[]) {
    if (keyNames.length !== 1) {
      throw FlussError.client(`Key fields must have exactly one field for iceberg format, but got: [${keyNames.join(", ")}].`);
    }
    this.keyNames = Object.freeze([...keyNames]);
    this.#index = keyIndexes(rowType, keyNames)[0]!;
    this.#write = icebergWriter(rowType.getFieldTypes()[this.#index]!, keyNames[0]!);
  }

  encodeKey(row: RowInput): Uint8Array {
    const v = fieldOf(row, this.#index, this.keyNames[0]!);
    if (v === null || v === undefined) throw nullKey(this.keyNames[0]!);
    const out = this.#out;
    out.reset();
    this.#write(out, v);
    return out.bytes.subarray(0, out.position);
  }
}
