import { ErrorCode, FlussError } from "../../errors/index.js";
import { ByteOutput } from "../rows/byte-output.js";
import type { RowInput } from "../rows/row-values.js";
import { ChangeType, isChangeType } from "./change-type.js";
import type { LogBatch } from "./log-batch.js";

/** Bytes of a record's length field. */
const LENGTH_BYTES = 4;
/** Bytes of a record's attributes, counted in its length. */
const ATTRIBUTES_BYTES = 1;
/** The change type sits in the low 4 bits of a record's attributes. */
const CHANGE_TYPE_MASK = 0x0f;

/** Reads one row of a record: its bytes are `bytes[start, start + length)`. */
export type RowBytesDecoder = (bytes: Uint8Array, start: number, length: number) => unknown[];

/** The rows of an INDEXED or COMPACTED log batch, with each record's change type. */
export interface RowLogRecords {
  /** Each row's values in the column order of the schema the batch was written with. */
  rows: unknown[][];
  /** One change-type byte per row. */
  changeTypes: Uint8Array;
}

/**
 * The records of a log batch of a table whose `table.log.format` is INDEXED
 * or COMPACTED (protocol.md §5.3): after the header, `recordCount` records
 * back to back, each `[int32 LE length][int8 attributes][row]`, where
 * `length` counts the attributes and the row, and the attributes' low bits
 * are the record's change type. `decodeRow` reads the row in the table's
 * row format. Lengths are checked against the batch, so a malformed batch
 * is a CORRUPT_RECORD_EXCEPTION, never a read past its end.
 */
export function readRowLogRecords(log: LogBatch, decodeRow: RowBytesDecoder): RowLogRecords {
  const { bytes, recordCount } = log;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: unknown[][] = [];
  const changeTypes = new Uint8Array(recordCount);
  let position = log.headerSize;
  for (let i = 0; i < recordCount; i++) {
    if (position + LENGTH_BYTES + ATTRIBUTES_BYTES > bytes.length) throw corrupt(`record ${i} of ${recordCount} runs past the batch`);
    const length = view.getInt32(position, true);
    if (length < ATTRIBUTES_BYTES || position + LENGTH_BYTES + length > bytes.length) {
      throw corrupt(`record ${i} claims ${length} bytes, more than the batch holds`);
    }
    const changeType = bytes[position + LENGTH_BYTES]! & CHANGE_TYPE_MASK;
    if (!isChangeType(changeType)) throw corrupt(`record ${i} has change type ${changeType}`);
    changeTypes[i] = changeType;
    const rowStart = position + LENGTH_BYTES + ATTRIBUTES_BYTES;
    try {
      rows.push(decodeRow(bytes, rowStart, length - ATTRIBUTES_BYTES));
    } catch (error) {
      throw corrupt(`record ${i}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    position += LENGTH_BYTES + length;
  }
  return { rows, changeTypes };
}

function corrupt(detail: string, cause?: unknown): FlussError {
  // The batch passed its CRC, so fetching it again returns the same bytes: not retriable.
  return new FlussError(`corrupt log record batch: ${detail}`, ErrorCode.CORRUPT_RECORD_EXCEPTION, {
    ...(cause === undefined ? {} : { cause }),
    retriable: false,
  });
}

/** Appends one row in the table's row format to `out`; returns the bytes written. */
export type RowWriter = (out: ByteOutput, row: RowInput) => number;

/**
 * The records of an INDEXED or COMPACTED log batch for `rows`, all
 * APPEND_ONLY (a log table's writes), after `headroom` zero bytes for the
 * batch header (`finishLogBatch` writes it in place): the inverse of
 * {@link readRowLogRecords}.
 */
export function encodeRowLogRecords(rows: Iterable<RowInput>, writeRow: RowWriter, headroom: number): Uint8Array {
  const out = new ByteOutput(headroom + 1024);
  out.skipZeroed(headroom);
  for (const row of rows) {
    const start = out.skipZeroed(LENGTH_BYTES);
    out.writeByte(ChangeType.APPEND_ONLY);
    const rowBytes = writeRow(out, row);
    out.view.setInt32(start, ATTRIBUTES_BYTES + rowBytes, true);
  }
  return out.bytes.subarray(0, out.position);
}
