import { isFieldSet } from "@bufbuild/protobuf";
import { ErrorCode, FlussError, STALE_METADATA_CODES } from "../../errors/index.js";
import { PbProduceLogRespForBucketSchema, PbPutKvRespForBucketSchema } from "../../gen/fluss/rpc_pb.js";
import type { TableBucket, TableInfo } from "../../metadata/index.js";
import { ApiKey } from "../../wire/api-keys.js";
import { codecReadyToCompress, loadCodecForCompression, NO_BATCH_SEQUENCE } from "../../wire/records/index.js";
import type { ClusterClient } from "../cluster-client.js";
import { TableLeaders } from "../table-leaders.js";
import { nextSequenceAfter, type BucketQueue } from "./bucket-queue.js";
import { lookUpPartitionId } from "./partition-ids.js";
import type { PhysicalTable } from "./physical-table.js";
import type { RecordAccumulator } from "./record-accumulator.js";
import { retryBackoffMs } from "./retry-backoff.js";
import type { WriteBatch } from "./write-batch.js";
import type { WriterOptions } from "./write-options.js";
import { isTransient, WriterIdentity } from "./writer-identity.js";

/** Extra time the client waits for a ProduceLog / PutKv answer beyond the server-side timeout it asked for. */
const RESPONSE_GRACE_MS = 5000;
/** Pause before asking again for a leader or a partition id that could not be found. */
const METADATA_RETRY_MS = 200;

/** What a primary-key table's writer sends: PutKv requests, with these columns for a partial update. */
export interface KvSendOptions {
  targetColumns?: readonly number[] | undefined;
}

/** The fields ProduceLog and PutKv requests share. */
interface WriteRequest {
  acks: number;
  tableId: bigint;
  timeoutMs: number;
  bucketsReq: { partitionId?: bigint; bucketId: number; records: Uint8Array }[];
}

/** One bucket's answer, of ProduceLog or PutKv (the same fields). */
interface BucketAnswer {
  bucketId: number;
  partitionId: number | undefined;
  errorCode: number;
  errorMessage: string;
}

/**
 * Sends what the accumulator seals (Java's `Sender`), driven by events
 * instead of a thread: a sealed batch, an answer, a timer (batch timeout,
 * retry backoff) or a flush wakes it, and each run
 *   1. seals batches that are due, encodes them (after the codec loads;
 *      large batches compress off the JS thread where the codec can, and
 *      the end of such an encode wakes it too);
 *   2. learns missing partition ids and, with idempotence, the writer id;
 *   3. drains, per leader, one batch per sendable bucket whose leader is
 *      known into ProduceLog requests (PutKv for a primary-key table's
 *      writer) of at most `writer.request-max-size`
 *      bytes; buckets whose leader is not known learn it meanwhile (the
 *      answer wakes it), so a slow lookup holds back no other bucket;
 *   4. handles each bucket's answer.
 *
 * Ordering rules per bucket (idempotent or not):
 * - only the head of the bucket's pending batches is sent, and only once it
 *   is encoded: a later batch whose encode ended first waits behind it;
 * - at most `writer.max-inflight-requests-per-bucket` batches unanswered;
 * - a batch that must be retried goes back to its place at the head of the
 *   bucket's queue and is sent again only once nothing else of the bucket is
 *   in flight, and alone; later batches wait behind it. So no batch overtakes
 *   a retried one, and with idempotence the server sees sequences in order.
 *
 * Answers per bucket: none → done; DUPLICATE_SEQUENCE → done (the server
 * had it); stale metadata (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TABLE_OR_BUCKET,
 * LEADER_NOT_AVAILABLE, NETWORK) → leaders re-learned, retried; other
 * retriable codes and timeouts → retried up to `writer.retries` with backoff
 * (100 ms doubling to 1 s); anything else fails that batch's rows.
 *
 * Idempotence (as Java's `IdempotenceManager`): the writer id comes from
 * InitWriter; each bucket numbers its batches 0, 1, 2… the first time they
 * are sent, and a retry resends the same bytes with the same number.
 * - OUT_OF_ORDER_SEQUENCE for a batch whose predecessor is not acknowledged
 *   yet is a consequence of that predecessor's trouble: retried. For the
 *   very batch the server should take next it means the server lost this
 *   writer's state: the batch fails, the writer id is reset and asked for
 *   again, and the buckets number from 0 under the new id.
 * - UNKNOWN_WRITER_ID: the same reset (the batch fails).
 * - A batch numbered under a writer id that has since been reset cannot be
 *   sent again without risking a duplicate: it fails with UNKNOWN_WRITER_ID.
 * - A batch the server refused for good (not written) leaves a gap: later
 *   batches of the bucket move down one number and are re-headed.
 */
export class Sender {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #options: WriterOptions;
  readonly #acc: RecordAccumulator;
  readonly #leaders: TableLeaders;
  readonly #identity: WriterIdentity;
  /** Set for a primary-key table's writer: its batches go out as PutKv. */
  readonly #kv: KvSendOptions | undefined;
  #pumping = false;
  #again = false;
  #wakeQueued = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #flushing = 0;
  #stopped = false;
  #codecLoading = false;
  #leadersInvalidatedAt = 0;
  /** Buckets whose leader is being asked for (see {@link #lookUpLeader}). */
  readonly #lookingUp = new Set<BucketQueue>();

  /**
   * `leaders`: the table handle's, shared with its scanners (see `LogFetcher`); by default, a set
   * of its own. `kv`: for a primary-key table's writer, whose batches go out as PutKv.
   */
  constructor(
    cluster: ClusterClient,
    info: TableInfo,
    options: WriterOptions,
    accumulator: RecordAccumulator,
    leaders?: TableLeaders,
    kv?: KvSendOptions,
  ) {
    this.#kv = kv;
    this.#cluster = cluster;
    this.#info = info;
    this.#options = options;
    this.#acc = accumulator;
    const tablePath = { databaseName: info.tablePath.databaseName, tableName: info.tablePath.tableName };
    this.#leaders = leaders ?? new TableLeaders(cluster, tablePath);
    this.#identity = new WriterIdentity(cluster, tablePath, options.retries);
  }

  /** Runs soon (in a microtask): something changed. */
  wake(): void {
    if (this.#wakeQueued || this.#stopped) return;
    this.#wakeQueued = true;
    queueMicrotask(() => {
      this.#wakeQueued = false;
      void this.#pump();
    });
  }

  /** Runs at `time` at the latest (batch timeout, retry backoff). */
  wakeAt(time: number): void {
    if (this.#stopped || time >= this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = time;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, Math.max(0, time - Date.now()));
  }

  /** While flushing, every open batch is sealed at once instead of after the batch timeout. */
  beginFlush(): void {
    this.#flushing++;
    this.wake();
  }

  endFlush(): void {
    this.#flushing--;
  }

  /** Stops all timers; answers still arriving are handled, nothing new is sent. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        await this.#runOnce();
      } while (this.#again && !this.#stopped);
    } catch (error) {
      // A bug here must not leave rows waiting forever: fail them visibly.
      this.#acc.failAll(FlussError.from(error, "internal error of the writer"));
    } finally {
      this.#pumping = false;
    }
  }

  async #runOnce(): Promise<void> {
    const acc = this.#acc;
    const nextDue = acc.sealExpired(this.#flushing > 0);
    if (nextDue !== Number.POSITIVE_INFINITY) this.wakeAt(nextDue);
    // Batches that wait for the encoder are not encoded yet, so not sent; small ones went out
    // meanwhile, their buffers stored uncompressed (RecordAccumulator's UNCOMPRESSED_WHILE_LOADING_MAX_BYTES).
    if (!acc.codecReady) this.#loadCodec();
    for (const table of acc.unresolvedPartitions()) this.#resolvePartition(table);
    if (!this.#hasUnsent()) return;
    // Without the writer id nothing goes out, but the leaders are learned meanwhile.
    const waitingForId = this.#options.idempotence && !this.#identity.valid;
    if (waitingForId) this.#requestWriterId();

    const now = Date.now();
    const candidates: BucketQueue[] = [];
    for (const queue of acc.queues()) {
      if (queue.table.idState !== "known") continue;
      const head = queue.pending[0];
      if (!head || !head.isEncoded) continue;
      if (head.retryAt > now) this.wakeAt(head.retryAt);
      else candidates.push(queue);
    }
    if (candidates.length === 0) return;

    // Buckets whose leader is known go out now; the others learn theirs off this run (a slow or
    // unreachable coordinator then holds back only the buckets it must answer for, as in Java's
    // sender, which drains ready batches while metadata is updated).
    const byLeader = new Map<number, BucketQueue[]>();
    for (const queue of candidates) {
      const bucket = queue.table.bucket(queue.bucketId);
      const leader = this.#leaders.knownLeaderOf(bucket);
      if (leader === undefined) {
        this.#lookUpLeader(queue, bucket);
        continue;
      }
      const list = byLeader.get(leader);
      if (list) list.push(queue);
      else byLeader.set(leader, [queue]);
    }
    if (waitingForId) return;
    for (const [leader, queues] of byLeader) this.#drain(leader, queues);
  }

  /**
   * Asks for what the first send needs before there is anything to send
   * (as Java's sender thread does when it starts): the writer id and the
   * leaders of a non-partitioned table, and the codec's encoder. The first
   * batch then goes out as soon as it is encoded rather than after two round
   * trips. Failures are not reported here: the first run with rows meets
   * them again.
   */
  prepare(): void {
    if (this.#stopped) return;
    if (this.#options.idempotence && !this.#identity.valid) this.#requestWriterId();
    if (!this.#info.isPartitioned()) void this.#leaders.learn([]).catch(() => undefined);
    // The codec's encoder loads while the application prepares its first rows.
    this.#loadCodec();
  }

  #requestWriterId(): void {
    this.#identity.request(
      (retryAt) => (retryAt === undefined ? this.wake() : this.wakeAt(retryAt)),
      (error) => this.#acc.failAll(error),
    );
  }

  /**
   * Asks for a bucket's leader (once at a time per bucket) and runs again
   * when it is known. No leader yet (none elected, or the coordinator
   * unreachable): asked again after {@link METADATA_RETRY_MS}; the leaders
   * known for other buckets stay in use. An error that will not get better
   * (e.g. the table was dropped) fails the bucket's batches.
   */
  #lookUpLeader(queue: BucketQueue, bucket: TableBucket): void {
    if (this.#lookingUp.has(queue)) return;
    this.#lookingUp.add(queue);
    this.#leaders.leaderOf(bucket).then(
      () => {
        this.#lookingUp.delete(queue);
        this.wake();
      },
      (thrown: unknown) => {
        this.#lookingUp.delete(queue);
        const error = FlussError.from(thrown);
        if (isTransient(error)) this.wakeAt(Date.now() + METADATA_RETRY_MS);
        else for (const batch of [...queue.pending]) this.#acc.complete(batch, error);
      },
    );
  }

  /** Forgets the leaders (at most every {@link METADATA_RETRY_MS}, so an outage does not flood the coordinator). */
  #invalidateLeaders(): void {
    const now = Date.now();
    if (now - this.#leadersInvalidatedAt < METADATA_RETRY_MS) return;
    this.#leadersInvalidatedAt = now;
    this.#leaders.invalidate();
  }

  #hasUnsent(): boolean {
    for (const queue of this.#acc.queues()) if (queue.hasUnsent) return true;
    return false;
  }

  /** Builds and sends ProduceLog requests for one leader: one batch per bucket per request. */
  #drain(leader: number, queues: BucketQueue[]): void {
    // The writer id may have been reset while the leaders were looked up.
    if (this.#options.idempotence && !this.#identity.valid) return this.wake();
    const now = Date.now();
    for (;;) {
      const batches: WriteBatch[] = [];
      let size = 0;
      for (const queue of queues) {
        const head = queue.pending[0];
        if (head?.bytes && batches.length > 0 && size + head.bytes.length > this.#options.requestMaxSize) continue;
        const batch = this.#take(queue, now);
        if (!batch) continue;
        batches.push(batch);
        size += batch.bytes!.length;
      }
      if (batches.length === 0) return;
      this.#send(leader, batches);
    }
  }

  /** The head batch of `queue` if the ordering rules let it go now (numbered and headed), else undefined. */
  #take(queue: BucketQueue, now: number): WriteBatch | undefined {
    const { maxInflightPerBucket, idempotence } = this.#options;
    for (;;) {
      const head = queue.pending[0];
      if (!head || !head.isEncoded || head.retryAt > now) return undefined;
      if (head.wasSent) {
        // A retry goes alone, after everything sent before or after it has answered.
        if (queue.inflight.length > 0) return undefined;
        if (idempotence && head.writerId !== this.#identity.id) {
          this.#acc.complete(head, writerIdChanged(head, this.#identity.id));
          continue;
        }
        if (head.sequenceReset) head.finishHeader(this.#info.schemaId);
      } else {
        if (queue.inflight.length >= maxInflightPerBucket) return undefined;
        if (idempotence) {
          const writerId = this.#identity.id;
          if (queue.writerId !== writerId) {
            // New numbering only once nothing numbered under the old id is in flight.
            if (queue.inflight.length > 0) return undefined;
            queue.resetSequences(writerId);
          }
          head.writerId = writerId;
          head.sequence = queue.nextSequence;
          queue.nextSequence = nextSequenceAfter(queue.nextSequence);
        }
        head.finishHeader(this.#info.schemaId);
      }
      queue.pending.shift();
      queue.inflight.push(head);
      head.state = "inflight";
      head.attempts++;
      return head;
    }
  }

  #send(leader: number, batches: WriteBatch[]): void {
    const bucketsReq = batches.map((batch) => {
      const { partitionId } = batch.queue.table;
      return {
        ...(partitionId === undefined ? {} : { partitionId: BigInt(partitionId) }),
        bucketId: batch.queue.bucketId,
        records: batch.bytes!,
      };
    });
    const common: WriteRequest = { acks: this.#options.acks, tableId: BigInt(this.#info.tableId), timeoutMs: this.#options.requestTimeoutMs, bucketsReq };
    this.#request(leader, common)
      .then(
        (answers) => this.#onResponse(batches, answers),
        (error: unknown) => {
          const failure = FlussError.from(error);
          for (const batch of batches) this.#onBatchError(batch, failure);
        },
      )
      .catch((error: unknown) => {
        for (const batch of batches) this.#acc.complete(batch, FlussError.from(error, "internal error of the writer"));
      })
      .finally(() => this.wake());
  }

  /** Sends the batches as ProduceLog, or PutKv for a primary-key table; the buckets' answers. */
  async #request(leader: number, request: WriteRequest): Promise<BucketAnswer[]> {
    const connection = await this.#cluster.connectionToTabletServer(leader);
    const timeout = this.#options.requestTimeoutMs + RESPONSE_GRACE_MS;
    if (this.#kv) {
      const targetColumns = this.#kv.targetColumns ? [...this.#kv.targetColumns] : [];
      const response = await connection.call(ApiKey.PUT_KV, { ...request, targetColumns }, timeout);
      const { partitionId, errorCode } = PbPutKvRespForBucketSchema.field;
      return response.bucketsResp.map((b) => answerOf(b, isFieldSet(b, partitionId), isFieldSet(b, errorCode)));
    }
    const response = await connection.call(ApiKey.PRODUCE_LOG, request, timeout);
    const { partitionId, errorCode } = PbProduceLogRespForBucketSchema.field;
    return response.bucketsResp.map((b) => answerOf(b, isFieldSet(b, partitionId), isFieldSet(b, errorCode)));
  }

  #onResponse(batches: WriteBatch[], answers: readonly BucketAnswer[]): void {
    const answered = new Set<WriteBatch>();
    const api = this.#kv ? "PutKv" : "ProduceLog";
    for (const bucket of answers) {
      const batch = batches.find((b) => b.queue.bucketId === bucket.bucketId && b.queue.table.partitionId === bucket.partitionId);
      if (!batch || answered.has(batch)) continue;
      answered.add(batch);
      if (bucket.errorCode === ErrorCode.NONE) this.#onBatchSuccess(batch);
      else this.#onBatchError(batch, new FlussError(bucket.errorMessage || `${api} failed for bucket ${bucket.bucketId}`, bucket.errorCode));
    }
    for (const batch of batches) {
      if (!answered.has(batch)) {
        this.#onBatchError(batch, new FlussError(`the server did not answer for bucket ${batch.queue.bucketId}`, ErrorCode.NETWORK_EXCEPTION, { retriable: true }));
      }
    }
  }

  #onBatchSuccess(batch: WriteBatch): void {
    if (batch.state !== "inflight") return;
    const queue = batch.queue;
    if (this.#options.idempotence && batch.writerId === queue.writerId && batch.sequence !== NO_BATCH_SEQUENCE) {
      queue.lastAcked = batch.sequence;
    }
    this.#acc.complete(batch);
  }

  #onBatchError(batch: WriteBatch, error: FlussError): void {
    if (batch.state !== "inflight") return;
    const code = error.errorCode;
    // The server already has this batch (a retry of one whose answer got lost).
    if (code === ErrorCode.DUPLICATE_SEQUENCE_EXCEPTION) return this.#onBatchSuccess(batch);
    const queue = batch.queue;
    if (STALE_METADATA_CODES.has(code) || code === ErrorCode.NETWORK_EXCEPTION) this.#invalidateLeaders();
    const idempotence = this.#options.idempotence;
    if (this.#canRetry(batch, error)) {
      if (idempotence && batch.writerId !== this.#identity.id) {
        this.#acc.complete(batch, writerIdChanged(batch, this.#identity.id));
        return;
      }
      batch.retryAt = Date.now() + retryBackoffMs(batch.attempts);
      queue.requeue(batch);
      this.wakeAt(batch.retryAt);
      return;
    }
    this.#acc.complete(batch, error);
    if (!idempotence || batch.writerId !== this.#identity.id) return;
    if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_EXCEPTION || code === ErrorCode.UNKNOWN_WRITER_ID_EXCEPTION) {
      // The server lost this writer's state: start over under a new writer id.
      this.#identity.reset();
    } else if (!isTransient(error)) {
      // Refused for good, so not written: later batches move into its number.
      queue.closeSequenceGap(batch.sequence, batch.writerId);
    }
  }

  #canRetry(batch: WriteBatch, error: FlussError): boolean {
    if (batch.attempts > this.#options.retries) return false;
    if (isTransient(error)) return true;
    if (!this.#options.idempotence || !this.#identity.valid) return false;
    if (error.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_EXCEPTION) {
      // Out of order because an earlier batch of the bucket is not written yet: send again after it.
      return batch.sequenceReset || batch.sequence !== batch.queue.expectedSequence;
    }
    if (error.errorCode === ErrorCode.UNKNOWN_WRITER_ID_EXCEPTION) return batch.sequenceReset;
    return false;
  }

  #loadCodec(): void {
    const compression = this.#acc.compression;
    if (this.#codecLoading || !compression || this.#acc.codecReady) return;
    // Ready already (an earlier writer prepared it): no batch of this writer goes out uncompressed.
    const ready = codecReadyToCompress(compression.codec);
    if (ready) {
      this.#acc.setCodec(ready);
      return;
    }
    this.#codecLoading = true;
    loadCodecForCompression(compression.codec).then(
      (codec) => {
        this.#codecLoading = false;
        this.#acc.setCodec(codec);
        this.wake();
      },
      (error: unknown) => {
        this.#codecLoading = false;
        this.#acc.failAll(FlussError.client(`cannot load the ${compression.codec} codec: ${error instanceof Error ? error.message : String(error)}`, error));
      },
    );
  }

  #resolvePartition(table: PhysicalTable): void {
    table.idState = "resolving";
    lookUpPartitionId(this.#cluster, this.#info.tablePath, table.partitionName!).then(
      (id) => {
        table.resolved(id);
        this.wake();
      },
      (thrown: unknown) => {
        const error = FlussError.from(thrown);
        if (isTransient(error)) {
          // Stays "resolving" until the pause is over, so other runs do not ask again meanwhile.
          setTimeout(() => {
            table.idState = "unresolved";
            this.wake();
          }, METADATA_RETRY_MS * 5);
        } else {
          this.#acc.failPartition(table, error);
        }
      },
    );
  }
}

/** A bucket's answer; `hasPartition` / `hasError`: whether those optional fields are set. */
function answerOf(
  bucket: { bucketId: number; partitionId: bigint; errorCode: number; errorMessage: string },
  hasPartition: boolean,
  hasError: boolean,
): BucketAnswer {
  return {
    bucketId: bucket.bucketId,
    partitionId: hasPartition ? Number(bucket.partitionId) : undefined,
    errorCode: hasError ? bucket.errorCode : ErrorCode.NONE,
    errorMessage: bucket.errorMessage,
  };
}

function writerIdChanged(batch: WriteBatch, current: bigint): FlussError {
  return new FlussError(
    `the batch was sent under writer id ${batch.writerId}, which was reset (now ${current}); ` +
      "sending it again could write it twice, so it is dropped",
    ErrorCode.UNKNOWN_WRITER_ID_EXCEPTION,
  );
}
