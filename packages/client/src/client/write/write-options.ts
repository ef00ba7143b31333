import type { ResolvedConfig } from "../../config/index.js";
import { FlussError } from "../../errors/index.js";
import type { TableInfo } from "../../metadata/index.js";
import type { ArrowCompression, CompressionCodecName } from "../../wire/records/index.js";

/** The writer's settings, read once from the connection's config (`writer.*`, `request-timeout`). */
export interface WriterOptions {
  /** `writer.batch-size`: a bucket's batch is sealed once its estimated Arrow size reaches this. */
  batchSize: number;
  /** `writer.batch-timeout-ms`: a batch is sealed at the latest this long after its first row. */
  batchTimeoutMs: number;
  /** `writer.request-max-size`: bytes of batches in one ProduceLog request (one batch always fits). */
  requestMaxSize: number;
  /** `writer.acks` as sent: −1 (all), 0 or 1. */
  acks: number;
  /** `writer.retries`: sends of a batch after its first one. */
  retries: number;
  /** `writer.enable-idempotence`. */
  idempotence: boolean;
  /** `writer.max-inflight-requests-per-bucket`. */
  maxInflightPerBucket: number;
  /** `writer.buffer.memory-size`. */
  bufferMemory: number;
  /** `writer.buffer.wait-timeout-ms` (Infinity: wait forever). */
  bufferWaitTimeoutMs: number;
  /** `writer.bucket.no-key-assigner`. */
  noKeyAssigner: "sticky" | "round_robin";
  /** `request-timeout`: the server's ProduceLog timeout, and how long the client waits for an answer. */
  requestTimeoutMs: number;
}

/** Idempotence keeps at most this many batches per bucket unanswered: the server remembers the last five per writer. */
export const MAX_IDEMPOTENT_INFLIGHT = 5;

/**
 * The writer settings of `config`, checked as the official clients check
 * them: a bad combination is a CLIENT_ERROR naming the keys.
 */
export function writerOptionsFrom(config: ResolvedConfig): WriterOptions {
  const acks = config.writerAcks === "all" ? -1 : Number(config.writerAcks);
  const options: WriterOptions = {
    batchSize: config.writerBatchSize,
    batchTimeoutMs: config.writerBatchTimeoutMs,
    requestMaxSize: config.writerRequestMaxSize,
    acks,
    retries: config.writerRetries,
    idempotence: config.writerEnableIdempotence,
    maxInflightPerBucket: config.writerMaxInflightRequestsPerBucket,
    bufferMemory: config.writerBufferMemorySize,
    bufferWaitTimeoutMs: config.writerBufferWaitTimeoutMs,
    noKeyAssigner: config.writerBucketNoKeyAssigner,
    requestTimeoutMs: config.requestTimeoutMs,
  };
  if (options.batchSize > options.bufferMemory) {
    throw FlussError.client(
      `writer.batch-size (${options.batchSize} bytes) must not be larger than writer.buffer.memory-size (${options.bufferMemory} bytes)`,
    );
  }
  if (options.batchSize > options.requestMaxSize) {
    throw FlussError.client(
      `writer.batch-size (${options.batchSize} bytes) must not be larger than writer.request-max-size (${options.requestMaxSize} bytes)`,
    );
  }
  if (options.idempotence) {
    if (acks !== -1) {
      throw FlussError.client(`writer.enable-idempotence needs writer.acks = all (-1), got ${config.writerAcks}; or set writer.enable-idempotence to false`);
    }
    if (options.retries < 1) {
      throw FlussError.client("writer.enable-idempotence needs writer.retries > 0; or set writer.enable-idempotence to false");
    }
    if (options.maxInflightPerBucket > MAX_IDEMPOTENT_INFLIGHT) {
      throw FlussError.client(
        `writer.enable-idempotence allows at most ${MAX_IDEMPOTENT_INFLIGHT} writer.max-inflight-requests-per-bucket, got ${options.maxInflightPerBucket}`,
      );
    }
  }
  return options;
}

const COMPRESSION_TYPE_KEY = "table.log.arrow.compression.type";
const ZSTD_LEVEL_KEY = "table.log.arrow.compression.zstd.level";

/**
 * The Arrow body compression a table asks for (`table.log.arrow.compression.type`,
 * default ZSTD; `table.log.arrow.compression.zstd.level`, default 3), or null
 * for NONE and for tables whose log batches carry rows (INDEXED, COMPACTED:
 * Fluss compresses only Arrow bodies).
 */
export function logCompressionOf(info: TableInfo): ArrowCompression | null {
  const properties = info.getProperties();
  if (info.getLogFormat() !== "ARROW") return null;
  const type = (properties[COMPRESSION_TYPE_KEY] ?? "ZSTD").trim().toUpperCase();
  if (type === "NONE") return null;
  if (type !== "LZ4_FRAME" && type !== "ZSTD") {
    throw FlussError.client(`table ${info.tablePath} has unsupported ${COMPRESSION_TYPE_KEY} = ${type} (NONE, LZ4_FRAME or ZSTD)`);
  }
  const codec: CompressionCodecName = type;
  if (codec === "LZ4_FRAME") return { codec };
  const rawLevel = properties[ZSTD_LEVEL_KEY];
  const level = rawLevel === undefined ? 3 : Number(rawLevel.trim());
  if (!Number.isInteger(level) || level < 1 || level > 22) {
    throw FlussError.client(`table ${info.tablePath} has invalid ${ZSTD_LEVEL_KEY} = ${rawLevel ?? ""} (1 to 22)`);
  }
  return { codec, level };
}
