import { ErrorCode, FlussError } from "../../errors/index.js";
import { ApiKey } from "../../wire/api-keys.js";
import { NO_WRITER_ID } from "../../wire/records/index.js";
import type { ClusterClient } from "../cluster-client.js";
import { retryBackoffMs } from "./retry-backoff.js";

/**
 * The writer id of an idempotent writer (Java's `IdempotenceManager` writer
 * id half): asked for with InitWriter from any tablet server when the first
 * batch is about to be sent, and asked for again after {@link reset}.
 *
 * Retriable failures are tried again with backoff (counted against
 * `writer.retries`), so batches wait in the buffer while no tablet server
 * answers; a non-retriable failure is handed to `onFatal`.
 */
export class WriterIdentity {
  readonly #cluster: ClusterClient;
  readonly #tablePath: { databaseName: string; tableName: string };
  readonly #retries: number;
  #id = NO_WRITER_ID;
  #pending: Promise<void> | undefined;
  #failures = 0;
  /** No new InitWriter before this time (backoff after a failure). */
  #retryAt = 0;
  /** Bumped by {@link reset}, so an InitWriter answer for an older epoch is not taken. */
  #epoch = 0;

  constructor(cluster: ClusterClient, tablePath: { databaseName: string; tableName: string }, retries: number) {
    this.#cluster = cluster;
    this.#tablePath = tablePath;
    this.#retries = retries;
  }

  get id(): bigint {
    return this.#id;
  }

  get valid(): boolean {
    return this.#id > NO_WRITER_ID;
  }

  /** Forgets the id: the next batches are numbered under a new one. */
  reset(): void {
    this.#id = NO_WRITER_ID;
    this.#epoch++;
  }

  /**
   * Starts asking for a writer id unless that is under way. Calls `onDone`
   * once an id is known or a try failed retriably (call again later, after
   * `retryAt`); calls `onFatal` for a failure that will not get better.
   */
  request(onDone: (retryAt?: number) => void, onFatal: (error: FlussError) => void): void {
    if (this.valid || this.#pending) return;
    if (Date.now() < this.#retryAt) return onDone(this.#retryAt);
    const epoch = this.#epoch;
    // `#pending` is cleared before the callbacks run: they wake the sender, whose next run may
    // call `request` again at once (an id asked for before a reset is dropped and asked anew),
    // and must not find the finished request still pending: nothing would wake it after that.
    this.#pending = this.#initWriter().then(
      (id) => {
        this.#pending = undefined;
        if (epoch === this.#epoch) {
          this.#id = id;
          this.#failures = 0;
        }
        onDone();
      },
      (thrown: unknown) => {
        this.#pending = undefined;
        const error = FlussError.from(thrown, "InitWriter");
        this.#failures++;
        if (!isTransient(error) || this.#failures > this.#retries) onFatal(error);
        else {
          this.#retryAt = Date.now() + retryBackoffMs(this.#failures);
          onDone(this.#retryAt);
        }
      },
    );
  }

  async #initWriter(): Promise<bigint> {
    let servers = [...this.#cluster.view.tabletServers.values()];
    if (servers.length === 0) servers = [...(await this.#cluster.refreshCluster()).tabletServers.values()];
    // Any tablet server hands out writer ids; spread the asking (and skip a dead one on the next try).
    const server = servers[Math.floor(Math.random() * servers.length)];
    if (!server) throw new FlussError("the cluster has no tablet server to ask for a writer id", ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
    const connection = await this.#cluster.connectionTo(server);
    const response = await connection.call(ApiKey.INIT_WRITER, { tablePath: [this.#tablePath] });
    return response.writerId;
  }
}

/** Failures worth trying again: retriable server codes, timeouts, unreachable servers. */
export function isTransient(error: FlussError): boolean {
  return (
    error.isRetriable() ||
    error.errorCode === ErrorCode.REQUEST_TIME_OUT ||
    error.errorCode === ErrorCode.NETWORK_EXCEPTION ||
    error.errorCode === ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION
  );
}
