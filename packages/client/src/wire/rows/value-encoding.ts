import { FlussError } from "../../errors/index.js";
import type { ByteOutput } from "./byte-output.js";

/**
 * Values as the KV store keeps them and lookups return them (Java's `ValueEncoder` /
 * `ValueDecoder`): `[int16 LE schema id][row bytes]`, the row in the table's
 * `table.kv.format` (COMPACTED by default, or INDEXED).
 */

/** Byte length of the schema-id prefix (`ValueEncoder.SCHEMA_ID_LENGTH`). */
export const SCHEMA_ID_LENGTH = 2;

function checkSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < -32768 || schemaId > 32767) {
    throw FlussError.client(`A schema id must fit in an int16, got ${String(schemaId)}.`);
  }
}

/** `[int16 LE schemaId][row]` as a new array. */
export function encodeValue(schemaId: number, row: Uint8Array): Uint8Array {
  checkSchemaId(schemaId);
  const out = new Uint8Array(SCHEMA_ID_LENGTH + row.length);
  new DataView(out.buffer).setInt16(0, schemaId, true);
  out.set(row, SCHEMA_ID_LENGTH);
  return out;
}

/**
 * Appends a value to `out`: the schema id, then whatever `writeRow` appends (e.g.
 * `(o) => encoder.writeTo(o, values)`), so a value can go straight into a batch buffer.
 * Returns the value's byte length.
 */
export function writeValue(out: ByteOutput, schemaId: number, writeRow: (out: ByteOutput) => unknown): number {
  checkSchemaId(schemaId);
  const start = out.position;
  out.writeInt16LE(schemaId);
  writeRow(out);
  return out.position - start;
}

/** A decoded value: the schema id and a view (no copy) of the row bytes. */
export interface DecodedValue {
  readonly schemaId: number;
  readonly row: Uint8Array;
}

/** Splits a stored value into its schema id and row bytes. */
export function decodeValue(value: Uint8Array): DecodedValue {
  if (value.length < SCHEMA_ID_LENGTH) {
    throw FlussError.client(`Malformed value: ${value.length} byte(s) cannot hold a schema id.`);
  }
  const schemaId = new DataView(value.buffer, value.byteOffset, value.byteLength).getInt16(0, true);
  return { schemaId, row: value.subarray(SCHEMA_ID_LENGTH) };
}
