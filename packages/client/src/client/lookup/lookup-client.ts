import { isFieldSet } from "@bufbuild/protobuf";
import { ErrorCode, FlussError, STALE_METADATA_CODES } from "../../errors/index.js";
import { PbLookupRespForBucketSchema, PbValueSchema, type LookupResponse } from "../../gen/fluss/rpc_pb.js";
import type { TableBucket } from "../../metadata/index.js";
import { ApiKey } from "../../wire/api-keys.js";
import type { ClusterClient } from "../cluster-client.js";
import type { TableLeaders } from "../table-leaders.js";
import { retryBackoffMs } from "../write/retry-backoff.js";
import { isTransient } from "../write/writer-identity.js";

/** Extra time the client waits for a Lookup answer beyond the server-side timeout it asked for. */
const RESPONSE_GRACE_MS = 5000;

export interface LookupClientOptions {
  /** Keys per request (`lookup.max-batch-size`). */
  maxBatchSize: number;
  /** Requests in flight at once (`lookup.max-inflight-requests`). */
  maxInflightRequests: number;
  /** Retries of a key whose lookup failed transiently (`lookup.max-retries`). */
  maxRetries: number;
  requestTimeoutMs: number;
}

/** One key waiting for its value. */
interface PendingLookup {
  bucket: TableBucket;
  key: Uint8Array;
  attempts: number;
  resolve: (value: Uint8Array | null) => void;
  reject: (error: FlussError) => void;
}

/**
 * Point lookups of one table by encoded primary key (Java's `LookupClient`
 * with its `LookupSender`): lookups made in the same turn of the event loop
 * are sent together, one Lookup request per tablet server with the keys of
 * each of its buckets, at most `maxBatchSize` keys per request. A key whose
 * bucket moved, or whose request failed transiently, is looked up again
 * after a backoff (the leaders are asked again first), up to `maxRetries`
 * times; any other error fails that key's lookup.
 */
export class LookupClient {
  readonly #cluster: ClusterClient;
  readonly #tableId: bigint;
  readonly #leaders: TableLeaders;
  readonly #options: LookupClientOptions;
  #queued: PendingLookup[] = [];
  #flushScheduled = false;
  #inflight = 0;
  /** Requests waiting for an in-flight slot. */
  readonly #waiting: (() => void)[] = [];

  constructor(cluster: ClusterClient, tableId: number, leaders: TableLeaders, options: LookupClientOptions) {
    this.#cluster = cluster;
    this.#tableId = BigInt(tableId);
    this.#leaders = leaders;
    this.#options = options;
  }

  /**
   * The stored value of `key` in `bucket` (`[schema id][row]`), or null when
   * the key is not there. The client keeps `key` until the lookup settles: it
   * must not change meanwhile (not a view of an encoder's reused buffer).
   */
  lookup(bucket: TableBucket, key: Uint8Array): Promise<Uint8Array | null> {
    return new Promise((resolve, reject) => {
      this.#enqueue({ bucket, key, attempts: 0, resolve, reject });
    });
  }

  #enqueue(pending: PendingLookup): void {
    this.#queued.push(pending);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      void this.#flush();
    });
  }

  /** Sends what is queued: grouped by leader, cut into requests of at most `maxBatchSize` keys. */
  async #flush(): Promise<void> {
    const queued = this.#queued;
    this.#queued = [];
    const byLeader = new Map<number, PendingLookup[]>();
    await Promise.all(
      queued.map(async (pending) => {
        let leader: number;
        try {
          leader = await this.#leaders.leaderOf(pending.bucket);
        } catch (error) {
          this.#failed(pending, FlussError.from(error));
          return;
        }
        const list = byLeader.get(leader);
        if (list) list.push(pending);
        else byLeader.set(leader, [pending]);
      }),
    );
    for (const [leader, lookups] of byLeader) {
      for (let i = 0; i < lookups.length; i += this.#options.maxBatchSize) {
        void this.#send(leader, lookups.slice(i, i + this.#options.maxBatchSize));
      }
    }
  }

  async #send(leader: number, lookups: PendingLookup[]): Promise<void> {
    await this.#slot();
    try {
      // Keys grouped by bucket, in the order the buckets first appear; the answer lists values in the same order.
      const groups = new Map<string, PendingLookup[]>();
      for (const pending of lookups) {
        const id = `${pending.bucket.partitionId ?? ""}:${pending.bucket.bucketId}`;
        const group = groups.get(id);
        if (group) group.push(pending);
        else groups.set(id, [pending]);
      }
      let response: LookupResponse;
      try {
        response = await this.#call(leader, [...groups.values()]);
      } catch (error) {
        const failure = FlussError.from(error);
        for (const pending of lookups) this.#failed(pending, failure);
        return;
      }
      this.#answer([...groups.values()], response);
    } finally {
      this.#release();
    }
  }

  async #call(leader: number, groups: PendingLookup[][]): Promise<LookupResponse> {
    const connection = await this.#cluster.connectionToTabletServer(leader);
    const request = {
      tableId: this.#tableId,
      bucketsReq: groups.map((group) => {
        const { partitionId, bucketId } = group[0]!.bucket;
        return { ...(partitionId === undefined ? {} : { partitionId: BigInt(partitionId) }), bucketId, keys: group.map((p) => p.key) };
      }),
    };
    return connection.call(ApiKey.LOOKUP, request, this.#options.requestTimeoutMs + RESPONSE_GRACE_MS);
  }

  #answer(groups: PendingLookup[][], response: LookupResponse): void {
    const answered = new Set<PendingLookup[]>();
    for (const bucketResp of response.bucketsResp) {
      const partitionId = isFieldSet(bucketResp, PbLookupRespForBucketSchema.field.partitionId) ? Number(bucketResp.partitionId) : undefined;
      const group = groups.find((g) => !answered.has(g) && g[0]!.bucket.bucketId === bucketResp.bucketId && g[0]!.bucket.partitionId === partitionId);
      if (!group) continue;
      answered.add(group);
      if (isFieldSet(bucketResp, PbLookupRespForBucketSchema.field.errorCode) && bucketResp.errorCode !== ErrorCode.NONE) {
        const error = new FlussError(bucketResp.errorMessage || `Lookup failed for bucket ${bucketResp.bucketId}`, bucketResp.errorCode);
        for (const pending of group) this.#failed(pending, error);
        continue;
      }
      if (bucketResp.values.length !== group.length) {
        const error = new FlussError(
          `the server answered ${bucketResp.values.length} value(s) for the ${group.length} key(s) asked of bucket ${bucketResp.bucketId}`,
          ErrorCode.UNKNOWN_SERVER_ERROR,
        );
        for (const pending of group) pending.reject(error);
        continue;
      }
      group.forEach((pending, i) => {
        const value = bucketResp.values[i]!;
        pending.resolve(isFieldSet(value, PbValueSchema.field.values) ? value.values : null);
      });
    }
    for (const group of groups) {
      if (answered.has(group)) continue;
      const error = new FlussError(`the server did not answer for bucket ${group[0]!.bucket.bucketId}`, ErrorCode.NETWORK_EXCEPTION, { retriable: true });
      for (const pending of group) this.#failed(pending, error);
    }
  }

  /** Looks the key up again after a backoff when the failure may pass, else fails it. */
  #failed(pending: PendingLookup, error: FlussError): void {
    const stale = STALE_METADATA_CODES.has(error.errorCode) || error.errorCode === ErrorCode.NETWORK_EXCEPTION;
    if (stale) this.#leaders.invalidate();
    if (!(stale || isTransient(error)) || pending.attempts >= this.#options.maxRetries) {
      pending.reject(error);
      return;
    }
    pending.attempts++;
    setTimeout(() => this.#enqueue(pending), retryBackoffMs(pending.attempts));
  }

  async #slot(): Promise<void> {
    if (this.#inflight < this.#options.maxInflightRequests) {
      this.#inflight++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#inflight--;
  }
}
