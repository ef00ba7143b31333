import type { RecordBatch } from "apache-arrow";
import { encodeArrowRecordBatch, type ArrowCompression } from "./arrow-batch.js";
import type { ChangeType } from "./change-type.js";
import { finishLogBatch, logBatchHeadroom, NO_BATCH_SEQUENCE, NO_WRITER_ID, type LogBatchHeaderInit } from "./log-batch.js";

/** Options of {@link encodeLogRecords}. */
export interface EncodeLogRecordsOptions {
  schemaId: number;
  /** The table's `table.log.arrow.compression.type` (and ZSTD level); none when omitted. */
  compression?: ArrowCompression | null;
  writerId?: bigint;
  batchSequence?: number;
  /** Change types for a batch that is not append-only (omit for log tables). */
  changeTypes?: ArrayLike<ChangeType>;
}

/**
 * One complete V0 log batch holding `batch` as its Arrow payload, ready for
 * the `records` field of a ProduceLog request. The payload is encoded with
 * headroom for the header, so the bytes are written once.
 */
export async function encodeLogRecords(batch: RecordBatch, options: EncodeLogRecordsOptions): Promise<Uint8Array> {
  const recordCount = batch.numRows;
  const appendOnly = options.changeTypes === undefined;
  const header: LogBatchHeaderInit = {
    schemaId: options.schemaId,
    recordCount,
    appendOnly,
    writerId: options.writerId ?? NO_WRITER_ID,
    batchSequence: options.batchSequence ?? NO_BATCH_SEQUENCE,
    changeTypes: options.changeTypes ?? [],
  };
  // A batch without rows carries no Arrow payload at all (as Fluss's ArrowWriter writes it).
  if (recordCount === 0) return finishLogBatch(new Uint8Array(logBatchHeadroom(0, appendOnly)), header);
  const { bytes } = await encodeArrowRecordBatch(batch, {
    compression: options.compression ?? null,
    headroom: logBatchHeadroom(recordCount, appendOnly),
  });
  return finishLogBatch(bytes, header);
}
