import { isFieldSet } from "@bufbuild/protobuf";
import type { RecordBatch, Schema as ArrowSchema } from "apache-arrow";
import { ErrorCode, FlussError, STALE_METADATA_CODES } from "../../errors/index.js";
import { PbFetchLogRespForBucketSchema, type PbFetchLogRespForBucket } from "../../gen/fluss/rpc_pb.js";
import { EARLIEST_OFFSET, TableBucket, type LogFormat, type RowType, type TableInfo } from "../../metadata/index.js";
import { ApiKey } from "../../wire/api-keys.js";
import { decodeArrowRecordBatch, readLogBatches, type LogBatch } from "../../wire/records/index.js";
import { readRowLogRecords, type RowBytesDecoder } from "../../wire/records/row-log-records.js";
import { CompactedRowDecoder, IndexedRowDecoder } from "../../wire/rows/index.js";
import { recordBatchOf } from "../../wire/records/record-batch-of.js";
import { rowsToRecordBatch } from "../../row/index.js";
import type { ClusterClient } from "../cluster-client.js";
import { TableLeaders } from "../table-leaders.js";
import { TableSchemas } from "../table-schemas.js";
import type { Projection } from "./projection.js";
import { SchemaMapping } from "./schema-evolution.js";

/** Fetch tuning, named after the official `scanner.log.*` keys. */
export interface FetchOptions {
  maxBytes: number;
  maxBytesForBucket: number;
  minBytes: number;
  maxWaitMs: number;
  /**
   * Verify each batch's CRC-32C (`scanner.log.check-crc`, default true, as in
   * the Java client). Batches fetched with projection pushdown are never
   * checked: the server prunes their columns but keeps the original CRC.
   */
  checkCrc: boolean;
}

/** One fetched log batch of one bucket, before its Arrow body is decoded. */
export type RawBatch = Omit<FetchedBatch, "records">;

/**
 * What one fetch round brought: the batches of every bucket that could be
 * read, and the first failure of a bucket (or a leader) that could not. A
 * failed bucket keeps its offset at the batch that failed, so it is never
 * skipped; the others' batches are not lost to its failure.
 */
export interface FetchRound {
  batches: RawBatch[];
  failure: FlussError | undefined;
  /** The bucket (and subscription) that failed, when the failure is one bucket's. */
  failedAt?: Pick<RawBatch, "bucket" | "subscription">;
}

/** One fetched log batch, decoded, for one bucket. */
export interface FetchedBatch {
  bucket: TableBucket;
  /** The log batch (header fields, change types); its bytes are a view into the response. */
  log: LogBatch;
  /** The rows, projected and in the user's column order. */
  records: RecordBatch;
  /**
   * One change type per row, for tables whose `table.log.format` is INDEXED
   * or COMPACTED (each record carries its own); otherwise `log.changeType(i)`.
   */
  changeTypes?: Uint8Array;
  /** Rows at the front that lie before the offset asked for (the server returns whole batches). */
  skip: number;
  baseOffset: number;
  /** Epoch milliseconds at which the server committed the batch. */
  commitTimestamp: number;
  /** @internal The subscription it was fetched for: see {@link LogFetcher.isCurrent}. */
  subscription: object;
}

interface Subscription {
  bucket: TableBucket;
  /**
   * Next offset to fetch. EARLIEST_OFFSET (−2) until the bucket's first batch
   * arrives: it goes to the server as it is, which reads from the log's start
   * (Fluss's FETCH_FROM_EARLIEST_OFFSET, what the Java and Rust clients send),
   * so starting from the earliest offset costs no ListOffsets round trip.
   */
  offset: number;
}

/** Pause of a fetch round in which no subscribed bucket had a leader. */
const NO_LEADER_PAUSE_MS = 100;

/** The reader of one row of an INDEXED or COMPACTED table, for rows of `rowType`. */
function rowDecoderFor(format: "INDEXED" | "COMPACTED", rowType: RowType): RowBytesDecoder {
  const decoder = format === "INDEXED" ? new IndexedRowDecoder(rowType) : new CompactedRowDecoder(rowType);
  return (bytes, start, length) => decoder.decode(bytes, start, length);
}

/**
 * Whether a batch of an INDEXED or COMPACTED table carries an Arrow payload
 * all the same: its records start with Arrow's continuation marker
 * (0xFFFFFFFF), which as a row record's length (−1) is impossible. pyfluss
 * 1.0.0 writes Arrow batches into such tables and Fluss 0.9.1 stores them;
 * the Java client then fails on them. They are read here as what they are.
 */
function carriesArrow(log: LogBatch): boolean {
  const { bytes, headerSize } = log;
  if (log.recordCount === 0 || bytes.length < headerSize + 4) return false;
  return bytes[headerSize] === 0xff && bytes[headerSize + 1] === 0xff && bytes[headerSize + 2] === 0xff && bytes[headerSize + 3] === 0xff;
}

/** The id of a table's first schema: Fluss numbers a table's schemas from 1. */
const FIRST_SCHEMA_ID = 1;

/** Clients fetch as follower −1 (servers replicate with their own id). */
const CLIENT_FOLLOWER_ID = -1;

/**
 * Fetches log batches for a set of subscribed buckets: one FetchLog request
 * per leader, all in flight together; offsets advance as batches arrive.
 * Stale leaders are re-learned on the next round; other bucket errors fail.
 */
export class LogFetcher {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #projection: Projection;
  readonly #options: FetchOptions;
  readonly #leaders: TableLeaders;
  readonly #schemas: TableSchemas;
  readonly #subscriptions = new Map<string, Subscription>();
  /**
   * Whether the server projects the batches (pushdown), decided before the
   * first fetch; see {@link #decidePushdown}.
   */
  #pushdown: Promise<boolean> | undefined;
  /** The decision once made, so that decoding a batch does not wait for it again. */
  #pushdownDecided: boolean | undefined;
  /** Readers of batches written with another schema than the handle's, by schema id. */
  readonly #mappings = new Map<number, SchemaMapping>();
  /** The table's `table.log.format`: ARROW (the default), or INDEXED / COMPACTED rows. */
  readonly #logFormat: LogFormat;
  /** Row readers of an INDEXED or COMPACTED table, by schema id. */
  readonly #rowDecoders = new Map<number, RowBytesDecoder>();

  /**
   * `leaders`: the table handle's, shared with its other scanners and its
   * writers (`getTable` learns them), so a new scanner's first fetch needs no
   * metadata request; by default, a set of its own. `schemas`: the handle's
   * too (the table's schemas by id), by default a set of its own.
   */
  constructor(
    cluster: ClusterClient,
    info: TableInfo,
    projection: Projection,
    options: FetchOptions,
    leaders?: TableLeaders,
    schemas?: TableSchemas,
  ) {
    this.#cluster = cluster;
    this.#info = info;
    this.#projection = projection;
    this.#options = options;
    this.#leaders = leaders ?? new TableLeaders(cluster, info.tablePath);
    this.#schemas = schemas ?? new TableSchemas(cluster, info);
    this.#logFormat = info.getLogFormat();
  }

  subscribe(bucket: TableBucket, offset: number): void {
    if (!Number.isSafeInteger(offset) || (offset < 0 && offset !== EARLIEST_OFFSET)) {
      throw FlussError.client(`invalid start offset ${String(offset)} for ${bucket}: use an offset ≥ 0 or EARLIEST_OFFSET`);
    }
    this.#subscriptions.set(bucket.key, { bucket, offset });
  }

  unsubscribe(bucket: TableBucket): void {
    this.#subscriptions.delete(bucket.key);
  }

  get subscriptionCount(): number {
    return this.#subscriptions.size;
  }

  /**
   * Whether `batch` still belongs to its bucket's subscription: false once the
   * bucket was unsubscribed or subscribed again (at another offset) after the
   * fetch that brought it, so a prefetched result never resurrects old data.
   */
  isCurrent(batch: Pick<RawBatch, "bucket" | "subscription">): boolean {
    return this.#subscriptions.get(batch.bucket.key) === batch.subscription;
  }

  /**
   * Reads `batch`'s bucket again from `batch`'s first wanted offset, as a new
   * subscription (what was fetched for the old one, in flight or decoded
   * meanwhile, no longer applies): for a batch that could not be decoded,
   * which must be neither skipped nor overtaken by later ones. Does nothing
   * if the bucket was unsubscribed or subscribed anew meanwhile.
   */
  rewindTo(batch: RawBatch): void {
    if (!this.isCurrent(batch)) return;
    this.#subscriptions.set(batch.bucket.key, { bucket: batch.bucket, offset: batch.baseOffset + batch.skip });
  }

  /** The next offset to read per subscribed bucket. */
  offsets(): Map<string, number> {
    return new Map([...this.#subscriptions].map(([key, s]) => [key, s.offset]));
  }

  /**
   * One fetch round, not yet decoded ({@link decode}); resolves with whatever
   * arrived (possibly nothing) within about `maxWaitMs`. Offsets advance from
   * the batch headers alone, so the next round can be on the wire while this
   * one is decoded.
   */
  async fetchRaw(maxWaitMs: number): Promise<FetchRound> {
    const byLeader = new Map<number, Subscription[]>();
    for (const subscription of this.#subscriptions.values()) {
      let leader: number;
      try {
        leader = await this.#leaders.leaderOf(subscription.bucket);
      } catch (error) {
        if (FlussError.from(error).isRetriable()) continue; // no leader yet: skip this round
        throw error;
      }
      const list = byLeader.get(leader);
      if (list) list.push(subscription);
      else byLeader.set(leader, [subscription]);
    }
    if (byLeader.size === 0) {
      // No bucket has a leader right now: nothing went to a server that would have waited for
      // data, so pause here instead, or a poll would ask the coordinator in a tight loop.
      await new Promise((resolve) => setTimeout(resolve, Math.min(NO_LEADER_PAUSE_MS, Math.max(0, maxWaitMs))));
      return { batches: [], failure: undefined };
    }
    // Settled one by one: one leader's failure must not drop what the others answered (their
    // buckets' offsets have advanced already).
    const answers = await Promise.allSettled([...byLeader].map(([leader, subs]) => this.#fetchFrom(leader, subs, maxWaitMs)));
    const round: FetchRound = { batches: [], failure: undefined };
    for (const answer of answers) {
      if (answer.status === "rejected") {
        round.failure ??= FlussError.from(answer.reason);
        continue;
      }
      round.batches.push(...answer.value.batches);
      if (!round.failure && answer.value.failure) {
        round.failure = answer.value.failure;
        if (answer.value.failedAt) round.failedAt = answer.value.failedAt;
      }
    }
    return round;
  }

  /**
   * Decodes one fetched batch (decompressing its body once), projected and in
   * the user's column order. A batch written with another schema of the table
   * (its columns changed since, or after this handle was made) is read with
   * that schema and then as one of the handle's: see {@link SchemaMapping}.
   */
  async decode(raw: RawBatch): Promise<FetchedBatch> {
    const { log } = raw;
    const expectedRows = { expectedRows: log.recordCount };
    // Decided before the fetch that brought the batch.
    if (this.#pushdownDecided ?? (await this.#decidePushdown())) {
      // The server projected the batch, whatever schema it was written with.
      const wire = await decodeArrowRecordBatch(log.payload, this.#projection.wireSchema, expectedRows);
      return { ...raw, records: this.#projection.reorder(wire) };
    }
    const schemaId = log.schemaId;
    if (this.#logFormat !== "ARROW" && !carriesArrow(log)) return this.#decodeRows(raw, this.#logFormat);
    if (schemaId === this.#info.schemaId) {
      const full = await decodeArrowRecordBatch(log.payload, this.#projection.fullSchema, expectedRows);
      return { ...raw, records: this.#projection.fromFull(full) };
    }
    const [written, mapping] = await this.#mappingFor(schemaId);
    const full = mapping.apply(await decodeArrowRecordBatch(log.payload, written, expectedRows));
    return { ...raw, records: this.#projection.fromFull(full) };
  }

  /**
   * A batch of an INDEXED or COMPACTED table: its rows read with the schema
   * it names, as an Arrow batch of the handle's schema (the pipeline's one
   * currency: `poll` reads rows out of it as for Arrow tables), projected here
   * (the server projects ARROW batches only).
   */
  async #decodeRows(raw: RawBatch, format: "INDEXED" | "COMPACTED"): Promise<FetchedBatch> {
    const { log } = raw;
    const schemaId = log.schemaId;
    const written = await this.#schemas.get(schemaId);
    let decodeRow = this.#rowDecoders.get(schemaId);
    if (!decodeRow) {
      decodeRow = rowDecoderFor(format, written.schema.getRowType());
      this.#rowDecoders.set(schemaId, decodeRow);
    }
    const { rows, changeTypes } = readRowLogRecords(log, decodeRow);
    const batch = rowsToRecordBatch(written.schema, rows);
    const full =
      schemaId === this.#info.schemaId
        ? recordBatchOf(this.#projection.fullSchema, batch.data.children, batch.numRows)
        : (await this.#mappingFor(schemaId))[1].apply(batch);
    return { ...raw, records: this.#projection.fromFull(full), changeTypes };
  }

  async #mappingFor(schemaId: number): Promise<[written: ArrowSchema, mapping: SchemaMapping]> {
    const written = await this.#schemas.get(schemaId);
    let mapping = this.#mappings.get(schemaId);
    if (!mapping) {
      mapping = new SchemaMapping(written.schema, this.#info.schema, this.#projection.fullSchema);
      this.#mappings.set(schemaId, mapping);
    }
    return [written.arrow, mapping];
  }

  /**
   * Projection pushdown, unless a projected column is missing from batches
   * the table may hold. Fluss 0.9.1 projects a batch by column positions of
   * the schema it was written with, and fails the fetch of a bucket
   * (INVALID_COLUMN_PROJECTION, "out of bound for schema") when a
   * position lies past that schema's columns: a column added by `alterTable`
   * after rows were written. Columns are only ever added at the end, so the
   * table's first schema (id 1) has the fewest: when it lacks a projected
   * column, the scan fetches whole batches and projects them here, where
   * older batches read the column as nulls (the Java client 0.9.1 pushes such
   * a projection down as it is, so by its sources its fetch meets that
   * error). If the first schema cannot be had, the same.
   */
  #decidePushdown(): Promise<boolean> {
    this.#pushdown ??= this.#pushdownSafe().then((pushdown) => (this.#pushdownDecided = pushdown));
    return this.#pushdown;
  }

  async #pushdownSafe(): Promise<boolean> {
    // The server projects ARROW batches only (FileLogProjection); Fluss's Java client never asks it
    // to project INDEXED or COMPACTED ones.
    if (this.#projection.isIdentity || this.#logFormat !== "ARROW") return false;
    if (this.#info.schemaId <= FIRST_SCHEMA_ID) return true;
    try {
      const first = await this.#schemas.get(FIRST_SCHEMA_ID);
      const ids = new Set(first.schema.columns.map((column) => column.id));
      return this.#projection.columns.every((column) => ids.has(column.id));
    } catch {
      return false;
    }
  }

  async #fetchFrom(leader: number, subscriptions: Subscription[], maxWaitMs: number): Promise<FetchRound> {
    const pushdown = await this.#decidePushdown();
    const waitMs = Math.max(0, Math.floor(maxWaitMs));
    let response;
    try {
      response = await this.#cluster.callTabletServer(leader, ApiKey.FETCH_LOG, {
        followerServerId: CLIENT_FOLLOWER_ID,
        maxBytes: this.#options.maxBytes,
        maxWaitMs: waitMs,
        minBytes: this.#options.minBytes,
        tablesReq: [
          {
            tableId: BigInt(this.#info.tableId),
            projectionPushdownEnabled: pushdown,
            projectedFields: pushdown ? [...this.#projection.ascending] : [],
            bucketsReq: subscriptions.map((s) => ({
              ...(s.bucket.partitionId === undefined ? {} : { partitionId: BigInt(s.bucket.partitionId) }),
              bucketId: s.bucket.bucketId,
              fetchOffset: BigInt(s.offset),
              maxFetchBytes: this.#options.maxBytesForBucket,
            })),
          },
        ],
      }, waitMs);
    } catch (error) {
      const flussError = FlussError.from(error);
      if (!flussError.isRetriable()) throw flussError;
      this.#leaders.invalidate(); // the leader may have moved or gone: ask again next round
      return { batches: [], failure: undefined };
    }
    const round: FetchRound = { batches: [], failure: undefined };
    for (const table of response.tablesResp) {
      for (const bucketResponse of table.bucketsResp) {
        const subscription = this.#subscriptionFor(bucketResponse);
        // Unsubscribed, or subscribed anew (another offset), while the fetch was in flight:
        // these bytes answer a question nobody asks any more.
        if (!subscription || !subscriptions.includes(subscription)) continue;
        try {
          this.#collect(subscription, bucketResponse, pushdown, round.batches);
        } catch (error) {
          // This bucket stops at the batch that failed (its offset stays there); the others go on.
          if (!round.failure) {
            const cause = FlussError.from(error);
            round.failure = new FlussError(`${subscription.bucket}: ${cause.message}`, cause.errorCode, { cause });
            round.failedAt = { bucket: subscription.bucket, subscription };
          }
        }
      }
    }
    return round;
  }

  #collect(subscription: Subscription, response: PbFetchLogRespForBucket, pushdown: boolean, out: RawBatch[]): void {
    if (isFieldSet(response, PbFetchLogRespForBucketSchema.field.errorCode) && response.errorCode !== ErrorCode.NONE) {
      const error = new FlussError(response.errorMessage || `fetch of ${subscription.bucket} failed`, response.errorCode);
      if (STALE_METADATA_CODES.has(error.errorCode) || error.isRetriable()) {
        this.#leaders.invalidate();
        return;
      }
      throw error;
    }
    if (isFieldSet(response, PbFetchLogRespForBucketSchema.field.remoteLogFetchInfo)) {
      throw FlussError.client(
        `${subscription.bucket} at offset ${subscription.offset} lies in remote (tiered) log storage, which fluss-edge cannot read yet`,
      );
    }
    const fetchOffset = subscription.offset;
    // The server prunes projected batches but keeps their original CRC: it cannot be checked then.
    for (const log of readLogBatches(response.records, { skipCrcCheck: pushdown || !this.#options.checkCrc })) {
      const baseOffset = Number(log.baseOffset);
      const nextOffset = Number(log.nextOffset);
      if (nextOffset <= subscription.offset) continue; // wholly before what we asked for (never, at −2)
      if (log.recordCount > 0) {
        out.push({
          bucket: subscription.bucket,
          log,
          // None when the fetch asked for EARLIEST_OFFSET (−2): the server started at the log's start.
          skip: Math.max(0, fetchOffset - baseOffset),
          baseOffset,
          commitTimestamp: Number(log.commitTimestamp),
          subscription,
        });
      }
      subscription.offset = nextOffset;
    }
  }

  #subscriptionFor(response: PbFetchLogRespForBucket): Subscription | undefined {
    const hasPartition = isFieldSet(response, PbFetchLogRespForBucketSchema.field.partitionId);
    const key = new TableBucket(this.#info.tableId, response.bucketId, hasPartition ? response.partitionId : undefined).key;
    return this.#subscriptions.get(key);
  }
}
