import { ErrorCode, FlussError } from "@fluss-edge/client/wire";
import type { Endpoint } from "@fluss-edge/client/internal";
import type { ClusterIdentity } from "../cluster/identity.js";
import { memberKey } from "../cluster/cluster-directory.js";
import type { GatewayLogger } from "../logger.js";
import type { GatewayMetrics } from "../metrics.js";
import { RelaySession, type RelaySessionOptions } from "./relay-session.js";

export interface SessionPoolOptions extends RelaySessionOptions {
  /** Sessions per cluster server and identity. */
  poolSize: number;
  /** Sessions without requests or callers for this long are closed. */
  idleCloseMs: number;
  logger: GatewayLogger;
  metrics: GatewayMetrics;
}

/**
 * Bounded pools of relay sessions, one pool per (identity, cluster server).
 *
 * Callers are spread over a pool's sessions and then pinned: everything one
 * caller sends to one server travels on one TCP session, in order, exactly as
 * over a direct connection (Fluss relies on that for a writer's batches). A
 * new session is opened only while every open one already carries a caller
 * and the pool is below its size.
 */
export class SessionPool {
  readonly #options: SessionPoolOptions;
  readonly #pools = new Map<string, ServerPool>();
  readonly #sweeper: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(options: SessionPoolOptions) {
    this.#options = options;
    this.#sweeper = setInterval(() => this.sweepIdle(), Math.max(1000, Math.min(options.idleCloseMs / 2, 30_000)));
    this.#sweeper.unref();
  }

  /** Open sessions across all pools. */
  get openSessions(): number {
    let n = 0;
    for (const pool of this.#pools.values()) n += pool.sessions.length;
    return n;
  }

  /** Relayed requests in flight across all sessions. */
  get inFlight(): number {
    let n = 0;
    for (const pool of this.#pools.values()) for (const s of pool.sessions) n += s.inFlight;
    return n;
  }

  /**
   * A session to `endpoint` for `identity` that a new caller should pin to:
   * synchronously when a suitable one is open, else the promise of one being
   * opened. Open failures reject with the client's FlussError.
   */
  acquire(identity: ClusterIdentity, endpoint: Endpoint): RelaySession | Promise<RelaySession> {
    if (this.#closed) return Promise.reject(shuttingDown());
    const key = `${identity.key}|${memberKey(endpoint.host, endpoint.port)}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      const created = new ServerPool(identity, endpoint, this.#options, () => this.#closed, () => {
        if (this.#pools.get(key) === created) this.#pools.delete(key);
      });
      this.#pools.set(key, created);
      pool = created;
    }
    return pool.acquire();
  }

  /**
   * Checks a caller's credentials by having one of `servers` authenticate a
   * session for them (kept in the pool for the caller's requests). An open
   * session of the same identity (same user and password) proves them already.
   */
  async verify(identity: ClusterIdentity, servers: readonly Endpoint[]): Promise<void> {
    let lastError: FlussError | undefined;
    for (const endpoint of servers) {
      try {
        await this.acquire(identity, endpoint);
        return;
      } catch (error) {
        lastError = FlussError.from(error);
        if (lastError.errorCode === ErrorCode.AUTHENTICATE_EXCEPTION) throw lastError;
      }
    }
    throw lastError ?? FlussError.client("no cluster server to verify credentials with");
  }

  /** Closes sessions that carry no request and no caller and have been unused for the idle time. */
  sweepIdle(now = Date.now()): void {
    for (const pool of this.#pools.values()) pool.sweepIdle(now, this.#options.idleCloseMs);
  }

  /** Closes every session (their requests fail with NETWORK_EXCEPTION). */
  closeAll(): void {
    this.#closed = true;
    clearInterval(this.#sweeper);
    for (const pool of [...this.#pools.values()]) pool.closeAll();
    this.#pools.clear();
  }
}

class ServerPool {
  readonly sessions: RelaySession[] = [];
  readonly #opening = new Set<Promise<RelaySession>>();
  readonly #identity: ClusterIdentity;
  readonly #endpoint: Endpoint;
  readonly #options: SessionPoolOptions;
  readonly #isClosed: () => boolean;
  readonly #onEmpty: () => void;

  constructor(identity: ClusterIdentity, endpoint: Endpoint, options: SessionPoolOptions, isClosed: () => boolean, onEmpty: () => void) {
    this.#identity = identity;
    this.#endpoint = endpoint;
    this.#options = options;
    this.#isClosed = isClosed;
    this.#onEmpty = onEmpty;
  }

  acquire(): RelaySession | Promise<RelaySession> {
    let best: RelaySession | undefined;
    for (const session of this.sessions) {
      if (session.isOpen && (!best || session.assignedCallers < best.assignedCallers)) best = session;
    }
    const full = this.sessions.length + this.#opening.size >= this.#options.poolSize;
    if (best && (best.assignedCallers === 0 || full)) return best;
    if (!full) {
      const opening = this.#open();
      if (!best) return opening;
      // Grow in the background; this caller takes the least loaded session now.
      opening.catch(() => undefined);
      return best;
    }
    // Full, and nothing open yet: wait for a session being opened.
    return Promise.race(this.#opening);
  }

  sweepIdle(now: number, idleCloseMs: number): void {
    for (const session of [...this.sessions]) {
      if (session.inFlight === 0 && session.assignedCallers === 0 && now - session.lastUsedAt >= idleCloseMs) session.close();
    }
  }

  closeAll(): void {
    for (const session of [...this.sessions]) session.close();
  }

  #open(): Promise<RelaySession> {
    const address = `${this.#endpoint.host}:${this.#endpoint.port}`;
    const opening = RelaySession.open(this.#endpoint, this.#identity, this.#options).then(
      (session) => {
        this.#opening.delete(opening);
        if (this.#isClosed()) {
          // Opened while the gateway was shutting down: nobody may use it.
          session.close();
          throw shuttingDown();
        }
        session.onClosed = (closed) => this.#remove(closed);
        session.onLateResponse = () => void (this.#options.metrics.lateResponses += 1);
        session.onErrorResponse = () => void (this.#options.metrics.relayedErrorResponses += 1);
        this.sessions.push(session);
        this.#options.logger.debug("cluster session opened", { server: address, identity: this.#identity.label });
        return session;
      },
      (error: unknown) => {
        this.#opening.delete(opening);
        const failure = FlussError.from(error);
        this.#options.logger.warn("cannot open cluster session", {
          server: address,
          identity: this.#identity.label,
          code: failure.errorCodeName,
          error: failure.message,
        });
        if (this.sessions.length === 0 && this.#opening.size === 0) this.#onEmpty();
        throw failure;
      },
    );
    this.#opening.add(opening);
    return opening;
  }

  #remove(session: RelaySession): void {
    const index = this.sessions.indexOf(session);
    if (index >= 0) this.sessions.splice(index, 1);
    this.#options.logger.debug("cluster session closed", {
      server: `${this.#endpoint.host}:${this.#endpoint.port}`,
      identity: this.#identity.label,
    });
    if (this.sessions.length === 0 && this.#opening.size === 0) this.#onEmpty();
  }
}

function shuttingDown(): FlussError {
  return new FlussError("the gateway is shutting down", ErrorCode.NETWORK_EXCEPTION, { retriable: true });
}
