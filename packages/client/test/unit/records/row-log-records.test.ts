/**
 * The records of INDEXED and COMPACTED log batches (protocol.md §5.3); the
 * integration suite reads such tables written by the Java client.
 */
import { describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { encodeLogBatch, encodeRowLogRecords, finishLogBatch, LogBatch, readRowLogRecords, V0_HEADER_SIZE, type RowBytesDecoder } from "../../../src/wire/records/index.js";
import { concatBytes } from "./seeded.js";

/** `[int32 LE length][int8 attributes][row]` per record. */
function records(...items: [changeType: number, row: number[], claimedLength?: number][]): Uint8Array {
  const parts = items.map(([changeType, row, claimed]) => {
    const out = new Uint8Array(5 + row.length);
    new DataView(out.buffer).setInt32(0, claimed ?? row.length + 1, true);
    out[4] = changeType;
    out.set(row, 5);
    return out;
  });
  return concatBytes(parts);
}

function batchOf(recordCount: number, body: Uint8Array): LogBatch {
  return new LogBatch(encodeLogBatch({ schemaId: 1, recordCount }, body));
}

/** A row "decoder" that returns the row's bytes. */
const rawRow: RowBytesDecoder = (bytes, start, length) => [...bytes.subarray(start, start + length)];

function corrupt(action: () => unknown, words: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CORRUPT_RECORD_EXCEPTION);
    expect((error as FlussError).isRetriable()).toBe(false);
    expect((error as FlussError).message).toMatch(words);
    return;
  }
  throw new Error("expected a CORRUPT_RECORD_EXCEPTION");
}

describe("readRowLogRecords", () => {
  it("reads each record's row and change type, in order", () => {
    const batch = batchOf(3, records([0, [1, 2, 3]], [4, []], [3, [9]]));
    expect(readRowLogRecords(batch, rawRow)).toEqual({ rows: [[1, 2, 3], [], [9]], changeTypes: Uint8Array.of(0, 4, 3) });
  });

  it("takes the change type from the attributes' low bits", () => {
    expect(readRowLogRecords(batchOf(1, records([0x21, [7]])), rawRow).changeTypes).toEqual(Uint8Array.of(1));
  });

  it("refuses records that run past the batch, or claim no attributes", () => {
    corrupt(() => readRowLogRecords(batchOf(1, records([0, [1, 2]]).subarray(0, 6)), rawRow), /record 0 claims 3 bytes/);
    corrupt(() => readRowLogRecords(batchOf(2, records([0, [1]], [0, [2], 40])), rawRow), /record 1 claims 40 bytes/);
    corrupt(() => readRowLogRecords(batchOf(2, records([0, [1]])), rawRow), /record 1 of 2 runs past the batch/);
    corrupt(() => readRowLogRecords(batchOf(1, records([0, [1], 0])), rawRow), /record 0 claims 0 bytes/);
  });

  it("refuses an unknown change type", () => {
    corrupt(() => readRowLogRecords(batchOf(1, records([7, [1]])), rawRow), /record 0 has change type 7/);
  });

  it("reports a row its decoder cannot read as a corrupt record, naming it", () => {
    const failing: RowBytesDecoder = () => {
      throw new RangeError("row too short");
    };
    corrupt(() => readRowLogRecords(batchOf(1, records([0, [1]])), failing), /record 0: row too short/);
  });
});

describe("encodeRowLogRecords", () => {
  it("writes APPEND_ONLY records after the headroom, which readRowLogRecords reads back", () => {
    // A "row format" of the row's bytes as they are; a long row makes the output grow mid-record.
    const long = Array.from({ length: 3000 }, (_, i) => i & 0xff);
    const rows = [[1, 2, 3], [], long];
    const writeRow = (out: import("../../../src/wire/rows/index.js").ByteOutput, row: unknown) => {
      out.writeBytes(Uint8Array.from(row as number[]));
      return (row as number[]).length;
    };
    const encoded = encodeRowLogRecords(rows, writeRow, V0_HEADER_SIZE);
    expect(encoded.subarray(0, V0_HEADER_SIZE).every((b) => b === 0)).toBe(true);
    const batch = new LogBatch(finishLogBatch(encoded, { schemaId: 1, recordCount: rows.length }));
    expect(batch.isValid()).toBe(true);
    expect(readRowLogRecords(batch, rawRow)).toEqual({ rows, changeTypes: new Uint8Array(3) });
  });
});
