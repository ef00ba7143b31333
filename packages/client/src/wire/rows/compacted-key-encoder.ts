import { FlussError } from "../../errors/index.js";
import type { DataType, RowType } from "../../metadata/data-types.js";
import { ByteInput } from "./byte-input.js";
import { ByteOutput } from "./byte-output.js";
import { compactedValueReader, type CompactedValueReader } from "./compacted-row-reader.js";
import { compactedValueWriter, type CompactedValueWriter } from "./compacted-row-writer.js";
import { fieldOf, type RowInput } from "./row-values.js";

/**
 * Encodes the key of a row for PutKv/Lookup keys and for bucketing (Java's `CompactedKeyEncoder`
 * with `CompactedKeyWriter`): the key columns' COMPACTED encodings back to back, in key order,
 * with NO null bits. A null key column is an error that names the column.
 */
export interface KeyEncoder {
  /** The names of the encoded columns, in key order. */
  readonly keyNames: readonly string[];
  /**
   * Encodes the key columns of `row` (an array of all of the row type's columns in order, or an
   * object keyed by column name). The result is a view of a buffer the encoder reuses: copy it
   * if it must outlive the next call.
   */
  encodeKey(row: RowInput): Uint8Array;
}

/** The error for a null key column (Java: "Null value is not allowed for compacted key encoder"). */
export function nullKey(name: string): FlussError {
  return FlussError.client(`key column '${name}' must not be null (it is part of the primary or bucket key)`);
}

/** Positions of the key columns in the row type; unknown names fail. */
export function keyIndexes(rowType: RowType, keyNames: readonly string[]): number[] {
  if (keyNames.length === 0) throw FlussError.client("A key needs at least one column.");
  return keyNames.map((name) => {
    const i = rowType.getFieldIndex(name);
    if (i < 0) {
      throw FlussError.client(`Field ${name} not found in input row type ${rowType.asSummaryString()}.`);
    }
    return i;
  });
}

/**
 * The Fluss key encoder (`CompactedKeyEncoder.createKeyEncoder(rowType, keys)`).
 *
 * @example
 * const enc = new CompactedKeyEncoder(rowType, ["id"]);
 * flussBucketing.bucketing(enc.encodeKey([200, "x"]), 16);
 */
export class CompactedKeyEncoder implements KeyEncoder {
  readonly keyNames: readonly string[];
  readonly #indexes: number[];
  readonly #writers: CompactedValueWriter[];
  readonly #out = new ByteOutput(64);

  constructor(rowType: RowType, keyNames: readonly string[]) {
    this.keyNames = Object.freeze([...keyNames]);
    this.#indexes = keyIndexes(rowType, keyNames);
    const types = rowType.getFieldTypes();
    this.#writers = this.#indexes.map((i, k) => compactedValueWriter(types[i]!, keyNames[k]!));
  }

  encodeKey(row: RowInput): Uint8Array {
    const out = this.#out;
    out.reset();
    this.writeKey(out, row);
    return out.bytes.subarray(0, out.position);
  }

  /** Appends the key of `row` to `out` (e.g. straight into a KV batch); returns its byte length. */
  writeKey(out: ByteOutput, row: RowInput): number {
    const start = out.position;
    for (let k = 0; k < this.#indexes.length; k++) {
      const v = fieldOf(row, this.#indexes[k]!, this.keyNames[k]!);
      if (v === null || v === undefined) throw nullKey(this.keyNames[k]!);
      this.#writers[k]!(out, v);
    }
    return out.position - start;
  }
}

/**
 * Decodes keys written by {@link CompactedKeyEncoder} back into values (Java's
 * `CompactedKeyDecoder`), e.g. to show which key a lookup returned.
 */
export class CompactedKeyDecoder {
  readonly #readers: CompactedValueReader[];

  /** @param keyTypes the key columns' types, in key order */
  constructor(keyTypes: readonly DataType[]) {
    this.#readers = keyTypes.map(compactedValueReader);
  }

  /** The key values, in key order. */
  decodeKey(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset): unknown[] {
    const input = new ByteInput(bytes, offset, length);
    const values = this.#readers.map((read) => read(input));
    if (input.position !== input.limit) {
      throw FlussError.client(`Malformed key: ${input.limit - input.position} byte(s) left after the last key column.`);
    }
    return values;
  }
}
