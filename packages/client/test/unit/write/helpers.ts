import { expect } from "vitest";
import { AppendWriter } from "../../../src/api/append-writer.js";
import { BufferMemory } from "../../../src/client/write/buffer-memory.js";
import { RecordAccumulator, type AccumulatorSettings } from "../../../src/client/write/record-accumulator.js";
import type { WriteBatch } from "../../../src/client/write/write-batch.js";
import { Config } from "../../../src/config/index.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { Schema, TableDescriptor, TableInfo, TablePath, type TableDescriptorOptions } from "../../../src/metadata/index.js";
import { RowReader, type Row } from "../../../src/row/index.js";
import { decodeArrowRecordBatch, parseArrowMessage, readLogBatches } from "../../../src/wire/records/index.js";
import { neverAnswers, standInCluster } from "../stand-in-cluster.js";

/** A TableInfo as the server would describe a table of `schema` (table id 7, schema id 1). */
export function tableInfo(schema: Schema, options: TableDescriptorOptions = {}): TableInfo {
  return new TableInfo(new TablePath("db", "t"), 7, 1, new TableDescriptor(schema, { bucketCount: 4, ...options }), 0, 0);
}

/** A manual clock for batch timeouts. */
export class Clock {
  time = 1_000_000;
  readonly now = (): number => this.time;
}

/** An accumulator over `info` with a big buffer, no compression and a manual clock unless overridden. */
export function accumulator(info: TableInfo, overrides: Partial<AccumulatorSettings> = {}): RecordAccumulator {
  return new RecordAccumulator({
    info,
    batchSize: 1 << 20,
    batchTimeoutMs: 100,
    noKeyAssigner: "sticky",
    compression: null,
    memory: new BufferMemory(64 << 20, Number.POSITIVE_INFINITY),
    now: new Clock().now,
    ...overrides,
  });
}

/** The rows of a sealed, encoded batch, decoded from its log batch bytes. */
export async function rowsOf(batch: WriteBatch, schema: Schema): Promise<Row[]> {
  expect(batch.bytes, "the batch is encoded").toBeDefined();
  batch.finishHeader(1);
  const logBatches = [...readLogBatches(batch.bytes!)];
  expect(logBatches).toHaveLength(1);
  const records = await decodeArrowRecordBatch(logBatches[0]!.payload, schema.toArrow(), { expectedRows: logBatches[0]!.recordCount });
  return new RowReader(records, schema).toArray();
}

/** Runs `action` and returns the CLIENT_ERROR it throws (fails the test otherwise). */
export function clientErrorOf(action: () => unknown): FlussError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    return error as FlussError;
  }
  throw new Error("expected a CLIENT_ERROR");
}

/** A source of "random" numbers that cycles through `values`. */
export function cycling(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/**
 * A writer (no compression, no idempotence) over a stand-in cluster whose
 * calls never answer, as behind a network partition: what it is given stays
 * buffered.
 */
export function writerToSilentCluster(schema: Schema): AppendWriter {
  const cluster = standInCluster(
    { callCoordinator: neverAnswers, callTabletServer: neverAnswers, refreshCluster: neverAnswers, connectionTo: neverAnswers },
    [],
  );
  const info = tableInfo(schema, { properties: { "table.log.arrow.compression.type": "NONE" } });
  return new AppendWriter(cluster, info, new Config({ "bootstrap.servers": "127.0.0.1:1", "writer.enable-idempotence": false }).resolve());
}

/**
 * How a log batch's Arrow body is stored: its codec (null: no body
 * compression) and, when compressed, whether every non-empty buffer was
 * left as it is (Arrow's uncompressed length -1) rather than compressed.
 */
export function arrowStorageOf(logBatchPayload: Uint8Array): { codec: string | null; allBuffersRaw: boolean } {
  const { meta, body, codec } = parseArrowMessage(logBatchPayload);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const prefixes = meta.buffers.filter((b) => b.length > 0).map((b) => view.getBigInt64(b.offset, true));
  return { codec, allBuffersRaw: codec !== null && prefixes.every((p) => p === -1n) };
}
