import {
  decodeEnvelope,
  decodeRequestHeader,
  encodeEnvelope,
  EnvelopeType,
  ErrorCode,
  FlussError,
  GATEWAY_PROTOCOL_VERSION,
  LENGTH_PREFIX_BYTES,
  REQUEST_HEADER_BYTES,
  CONNECTION_ERROR_REQUEST_ID,
  type Envelope,
  type HelloEnvelope,
  type RequestEnvelope,
} from "@fluss-edge/client/wire";
import type { Endpoint } from "@fluss-edge/client/internal";
import { performance } from "node:perf_hooks";
import { WebSocket, type RawData } from "ws";
import { memberKey, type ClusterDirectory } from "../cluster/cluster-directory.js";
import { callerIdentity, type ClusterIdentity } from "../cluster/identity.js";
import type { GatewayLogger } from "../logger.js";
import type { GatewayMetrics } from "../metrics.js";
import { tokenMatches } from "../security/token.js";
import {
  HELLO_TIMEOUT_MS,
  MAX_EARLY_MESSAGES,
  MAX_IN_FLIGHT_REQUESTS,
  maxInFlightBytes,
  RESPONSE_HIGH_WATER_BYTES,
  RESPONSE_LOW_WATER_BYTES,
  stallLimitMs,
} from "./backpressure.js";
import { CloseCode } from "./close-codes.js";
import { responseEnvelope } from "./frame-ids.js";
import type { RelaySession } from "./relay-session.js";
import type { RelayCaller, RelayedRequest } from "./relayed-request.js";
import { apiLabel, refusalReason } from "./request-policy.js";
import type { SessionPool } from "./session-pool.js";

/** What the upgrade learned about a caller before it became a WebSocket. */
export interface CallerContext {
  /** Sequence number, for logs. */
  id: number;
  remoteAddress: string;
  origin: string | undefined;
  /** Token from the `fluss-edge.bearer.*` subprotocol, if offered. */
  bearerToken: string | undefined;
}

/** The gateway parts a caller works with. */
export interface CallerDeps {
  token: string | undefined;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  maxFrameBytes: number;
  gatewayName: string;
  gatewayIdentity: ClusterIdentity;
  directory: ClusterDirectory;
  pool: SessionPool;
  metrics: GatewayMetrics;
  logger: GatewayLogger;
}

type State = "awaiting-hello" | "handshaking" | "ready" | "closed";

/**
 * One WebSocket caller: its handshake (HELLO → WELCOME), its requests in
 * flight, the cluster sessions it is pinned to, and its limits (idle
 * timeout, in-flight budget, backpressure).
 */
export class Caller implements RelayCaller {
  readonly #ws: WebSocket;
  readonly #context: CallerContext;
  readonly #deps: CallerDeps;
  #state: State = "awaiting-hello";
  #identity: ClusterIdentity | undefined;
  #clientName = "";
  /** Caller request id → request. */
  readonly #pending = new Map<number, RelayedRequest>();
  #inFlightBytes = 0;
  readonly #maxInFlightBytes: number;
  /** Target `host:port` → the session this caller sends there. */
  readonly #pinned = new Map<string, RelaySession>();
  /** Target `host:port` → tail of requests waiting for admission or a session (keeps their order). */
  readonly #queues = new Map<string, Promise<void>>();
  /** Messages that arrived while HELLO was being checked. */
  #early: { data: RawData; isBinary: boolean }[] = [];
  readonly #pauseReasons = new Set<string>();
  #slow = false;
  readonly #idleTimer: ReturnType<typeof setTimeout>;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  #stallTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ws: WebSocket, context: CallerContext, deps: CallerDeps) {
    this.#ws = ws;
    this.#context = context;
    this.#deps = deps;
    this.#maxInFlightBytes = maxInFlightBytes(deps.maxFrameBytes);
    deps.metrics.websocketsAccepted += 1;
    deps.metrics.websocketsOpen += 1;
    ws.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on("close", (code) => {
      if (this.#state !== "closed") deps.logger.debug("caller disconnected", { ...this.#logFields(), code });
      this.#cleanup();
    });
    ws.on("error", (error: Error & { code?: string }) => {
      // ws reports oversized and malformed WebSocket frames here, then closes (1009, 1002).
      deps.logger.info("caller WebSocket error", { caller: context.id, code: error.code, error: error.message });
      if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") deps.metrics.countError(ErrorCode.CLIENT_ERROR);
      this.#cleanup();
      // ws has queued its close frame and now discards whatever the peer sends; do not wait for its
      // 30 s close timeout to drop such a peer.
      setTimeout(() => ws.terminate(), 1000).unref();
    });
    this.#idleTimer = setTimeout(this.#onIdle, deps.idleTimeoutMs);
    this.#helloTimer = setTimeout(() => {
      if (this.#state === "awaiting-hello") this.#protocolError(`no HELLO within ${HELLO_TIMEOUT_MS} ms`);
    }, Math.min(HELLO_TIMEOUT_MS, deps.idleTimeoutMs));
  }

  get id(): number {
    return this.#context.id;
  }

  /** Requests of this caller waiting for the cluster. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Whether the WebSocket has fully closed. */
  get isClosed(): boolean {
    return this.#ws.readyState === WebSocket.CLOSED;
  }

  /** Gateway shutdown: fail everything with a retriable connection-level ERROR and close with 1001. */
  shutdown(): void {
    if (this.#state === "closed") return;
    this.#failConnection(ErrorCode.NETWORK_EXCEPTION, true, "the gateway is shutting down", CloseCode.GOING_AWAY, "gateway shutting down");
  }

  /** Drops the TCP connection without a close handshake (end of a graceful shutdown). */
  terminate(): void {
    this.#cleanup();
    this.#ws.terminate();
  }

  // ---- RelayCaller ----

  deliver(request: RelayedRequest, payload: Uint8Array, done: () => void): void {
    if (this.#pending.get(request.originalId) !== request) {
      this.#deps.metrics.lateResponses += 1;
      done();
      return;
    }
    this.#finish(request);
    const ws = this.#ws;
    if (ws.readyState !== WebSocket.OPEN) {
      done();
      return;
    }
    // Head and frame as one message, the frame as it came from the server (no copy). Its buffer is
    // reused once written to the socket (ws calls back then, or with an error).
    ws.send(responseEnvelope(payload), { binary: true }, () => {
      done();
      this.#onSent();
    });
    const metrics = this.#deps.metrics;
    metrics.framesOut += 1;
    metrics.bytesOut += 1 + LENGTH_PREFIX_BYTES + payload.length;
    metrics.observeLatency(apiLabel(request.apiKey), (performance.now() - request.startedAt) / 1000);
    this.#idleTimer.refresh();
    if (!this.#slow && ws.bufferedAmount > RESPONSE_HIGH_WATER_BYTES) this.#becomeSlow();
  }

  fail(request: RelayedRequest, error: FlussError): void {
    if (this.#pending.get(request.originalId) !== request) return;
    this.#finish(request);
    this.#sendError(request.originalId, error.errorCode, error.isRetriable(), error.message);
  }

  // ---- inbound ----

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#state === "closed") return;
    if (this.#state === "handshaking") {
      if (this.#early.length >= MAX_EARLY_MESSAGES) {
        this.#protocolError(`more than ${MAX_EARLY_MESSAGES} messages before WELCOME`);
        return;
      }
      this.#early.push({ data, isBinary });
      return;
    }
    const bytes = data as Buffer; // binaryType "nodebuffer": one Buffer per message
    const metrics = this.#deps.metrics;
    metrics.framesIn += 1;
    metrics.bytesIn += bytes.length;
    this.#idleTimer.refresh();
    if (!isBinary) {
      this.#protocolError("text messages are not part of the gateway protocol");
      return;
    }
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(bytes);
    } catch (error) {
      this.#protocolError(FlussError.from(error).message);
      return;
    }
    if (this.#state === "awaiting-hello") {
      if (envelope.type !== EnvelopeType.HELLO) {
        this.#protocolError("the first message must be HELLO");
        return;
      }
      void this.#onHello(envelope);
      return;
    }
    if (envelope.type === EnvelopeType.REQUEST) {
      this.#onRequest(envelope, bytes.length);
      return;
    }
    this.#protocolError(
      envelope.type === EnvelopeType.HELLO ? "HELLO was already sent" : `callers may send only HELLO and REQUEST, not type ${envelope.type}`,
    );
  }

  async #onHello(hello: HelloEnvelope): Promise<void> {
    this.#state = "handshaking";
    clearTimeout(this.#helloTimer);
    this.#pauseReading("hello");
    // The name is the caller's own words: keep logs tidy.
    this.#clientName = hello.clientName.replace(/[^\x20-\x7e]/g, "?").slice(0, 64);
    const { logger, token, directory, pool } = this.#deps;
    if (hello.version !== GATEWAY_PROTOCOL_VERSION) {
      this.#failConnection(
        ErrorCode.UNSUPPORTED_VERSION,
        false,
        `this gateway speaks protocol version ${GATEWAY_PROTOCOL_VERSION}, not ${hello.version}`,
        CloseCode.PROTOCOL_ERROR,
        "unsupported protocol version",
      );
      return;
    }
    if (token !== undefined) {
      const presented = this.#context.bearerToken ?? (hello.token === "" ? undefined : hello.token);
      if (!tokenMatches(presented, token)) {
        logger.warn("refused a caller: missing or wrong token", this.#logFields());
        this.#failConnection(
          ErrorCode.AUTHENTICATE_EXCEPTION,
          false,
          presented === undefined ? "this gateway requires a bearer token" : "the bearer token is not valid for this gateway",
          CloseCode.POLICY_VIOLATION,
          "bad token",
        );
        return;
      }
    }
    try {
      await directory.ensureReachable();
    } catch (error) {
      if (this.#state !== "handshaking") return;
      const failure = FlussError.from(error);
      this.#failConnection(ErrorCode.NETWORK_EXCEPTION, true, failure.message, CloseCode.TRY_AGAIN_LATER, "cluster unreachable");
      return;
    }
    let identity = this.#deps.gatewayIdentity;
    if (hello.saslUsername !== "") {
      identity = callerIdentity(hello.saslUsername, hello.saslPassword);
      try {
        await pool.verify(identity, directory.bootstrap);
      } catch (error) {
        if (this.#state !== "handshaking") return;
        const failure = FlussError.from(error);
        if (failure.errorCode === ErrorCode.AUTHENTICATE_EXCEPTION) {
          logger.warn("refused a caller: the cluster rejected its SASL credentials", { ...this.#logFields(), user: identity.label });
          this.#failConnection(
            ErrorCode.AUTHENTICATE_EXCEPTION,
            false,
            `the cluster rejected the SASL credentials of user '${identity.label}': ${failure.message}`,
            CloseCode.POLICY_VIOLATION,
            "authentication failed",
          );
        } else {
          this.#failConnection(
            ErrorCode.NETWORK_EXCEPTION,
            true,
            `the gateway cannot verify SASL credentials with the cluster: ${failure.message}`,
            CloseCode.TRY_AGAIN_LATER,
            "cluster unreachable",
          );
        }
        return;
      }
    }
    if (this.#state !== "handshaking") return;
    this.#identity = identity;
    this.#sendEnvelope(
      encodeEnvelope({
        type: EnvelopeType.WELCOME,
        version: GATEWAY_PROTOCOL_VERSION,
        maxFrameBytes: this.#deps.maxFrameBytes,
        bootstrap: directory.bootstrap.map((e) => ({ host: e.host, port: e.port })),
        gateway: this.#deps.gatewayName,
      }),
    );
    this.#state = "ready";
    logger.info("caller connected", { ...this.#logFields(), identity: identity.label });
    const early = this.#early;
    this.#early = [];
    for (const message of early) this.#onMessage(message.data, message.isBinary);
    this.#resumeReading("hello");
  }

  #onRequest(envelope: RequestEnvelope, bytes: number): void {
    const payload = envelope.frame.subarray(LENGTH_PREFIX_BYTES);
    if (payload.length < REQUEST_HEADER_BYTES) {
      this.#protocolError(`request frame of ${payload.length} bytes has no complete header`);
      return;
    }
    const { apiKey, requestId } = decodeRequestHeader(payload);
    if (requestId < 0) {
      this.#protocolError(`request id ${requestId} is negative`);
      return;
    }
    if (this.#pending.has(requestId)) {
      this.#sendError(requestId, ErrorCode.CLIENT_ERROR, false, `request id ${requestId} is already in flight on this connection`);
      return;
    }
    const refusal = refusalReason(apiKey);
    if (refusal !== undefined) {
      this.#deps.logger.warn("refused a request: api not allowed", { ...this.#logFields(), api: apiKey });
      this.#sendError(requestId, ErrorCode.AUTHORIZATION_EXCEPTION, false, refusal);
      return;
    }
    const request: RelayedRequest = {
      caller: this,
      originalId: requestId,
      apiKey,
      bytes,
      startedAt: performance.now(),
      gatewayId: -1,
      session: undefined,
      readsAtSend: 0,
      timer: undefined,
    };
    request.timer = setTimeout(this.#onTimeout, this.#deps.requestTimeoutMs, request);
    this.#pending.set(requestId, request);
    this.#inFlightBytes += bytes;
    this.#checkInFlightBudget();

    const key = memberKey(envelope.host, envelope.port);
    const pinned = this.#pinned.get(key);
    if (pinned?.isOpen && !this.#queues.has(key)) {
      pinned.relay(request, envelope.frame);
      return;
    }
    // Admission check and/or a session to open: queue behind earlier requests to the same server.
    const previous = this.#queues.get(key);
    const route = () => this.#routeSlowly(request, envelope, key);
    const tail: Promise<void> = (previous ? previous.then(route) : route()).catch((error: unknown) => {
      this.#deps.logger.error("relay failure", { ...this.#logFields(), error: FlussError.from(error).message });
    });
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
  }

  /** The path for a server this caller has no open session to: check membership, then get a session. */
  async #routeSlowly(request: RelayedRequest, envelope: RequestEnvelope, key: string): Promise<void> {
    if (!this.#isPending(request)) return;
    const { host, port } = envelope;
    const { directory, pool, metrics, logger } = this.#deps;
    if (!(await directory.admits(host, port))) {
      metrics.refusedTargets += 1;
      logger.warn("refused a request to a server outside the cluster", { ...this.#logFields(), target: `${host}:${port}`, api: request.apiKey });
      if (!this.#isPending(request)) return;
      this.#finish(request);
      this.#sendError(
        request.originalId,
        ErrorCode.AUTHORIZATION_EXCEPTION,
        false,
        `${host}:${port} is not a server of the Fluss cluster behind this gateway`,
      );
      return;
    }
    let session = this.#pinned.get(key);
    if (!session?.isOpen) {
      if (session) this.#unpin(key, session);
      try {
        session = await pool.acquire(this.#identity!, { host, port });
      } catch (error) {
        if (!this.#isPending(request)) return;
        this.#finish(request);
        const failure = sessionFailure(FlussError.from(error), { host, port });
        this.#sendError(request.originalId, failure.errorCode, failure.isRetriable(), failure.message);
        return;
      }
      if (this.#state === "closed") return;
      this.#pinned.set(key, session);
      session.assignedCallers += 1;
      if (this.#slow) session.pauseFor(this);
    }
    if (!this.#isPending(request)) return;
    if (!session.isOpen) {
      this.#finish(request);
      this.#sendError(request.originalId, ErrorCode.NETWORK_EXCEPTION, true, `gateway connection to ${host}:${port} lost`);
      return;
    }
    session.relay(request, envelope.frame);
  }

  readonly #onTimeout = (request: RelayedRequest): void => {
    if (!this.#isPending(request)) return;
    request.session?.forget(request);
    // Not a byte from the server since the request went out: the session is dead (see timedOut).
    request.session?.timedOut(request, this.#deps.requestTimeoutMs);
    this.#finish(request);
    const target = request.session ? ` from ${request.session.endpoint.host}:${request.session.endpoint.port}` : "";
    this.#sendError(
      request.originalId,
      ErrorCode.REQUEST_TIME_OUT,
      true,
      `no answer to request ${request.originalId} (${apiLabel(request.apiKey)})${target} within ${this.#deps.requestTimeoutMs} ms`,
    );
  };

  readonly #onIdle = (): void => {
    if (this.#state === "closed") return;
    if (this.#pending.size > 0 || this.#state === "handshaking") {
      this.#idleTimer.refresh();
      return;
    }
    this.#deps.logger.info("closing an idle caller", this.#logFields());
    this.#ws.close(CloseCode.GOING_AWAY, "idle timeout");
    this.#cleanup();
  };

  // ---- bookkeeping ----

  #isPending(request: RelayedRequest): boolean {
    return this.#pending.get(request.originalId) === request;
  }

  #finish(request: RelayedRequest): void {
    this.#pending.delete(request.originalId);
    clearTimeout(request.timer);
    this.#inFlightBytes -= request.bytes;
    if (this.#pauseReasons.has("in-flight")) this.#checkInFlightBudget();
  }

  #checkInFlightBudget(): void {
    const count = this.#pending.size;
    const bytes = this.#inFlightBytes;
    if (count >= MAX_IN_FLIGHT_REQUESTS || bytes >= this.#maxInFlightBytes) this.#pauseReading("in-flight");
    else if (count <= MAX_IN_FLIGHT_REQUESTS / 2 && bytes <= this.#maxInFlightBytes / 2) this.#resumeReading("in-flight");
  }

  #unpin(key: string, session: RelaySession): void {
    this.#pinned.delete(key);
    session.assignedCallers -= 1;
    session.resumeFor(this);
  }

  #pauseReading(reason: string): void {
    if (this.#pauseReasons.has(reason)) return;
    this.#pauseReasons.add(reason);
    if (this.#pauseReasons.size === 1) this.#ws.pause();
  }

  #resumeReading(reason: string): void {
    if (!this.#pauseReasons.delete(reason)) return;
    if (this.#pauseReasons.size === 0 && this.#state !== "closed") this.#ws.resume();
  }

  // ---- backpressure ----

  #becomeSlow(): void {
    this.#slow = true;
    this.#pauseReading("slow");
    for (const session of this.#pinned.values()) session.pauseFor(this);
    this.#stallTimer = setTimeout(this.#onStalled, stallLimitMs(this.#deps.requestTimeoutMs));
  }

  readonly #onSent = (): void => {
    if (this.#slow && this.#ws.bufferedAmount <= RESPONSE_LOW_WATER_BYTES) {
      this.#slow = false;
      clearTimeout(this.#stallTimer);
      for (const session of this.#pinned.values()) session.resumeFor(this);
      this.#resumeReading("slow");
    }
  };

  readonly #onStalled = (): void => {
    if (!this.#slow || this.#state === "closed") return;
    this.#deps.metrics.slowCallersDropped += 1;
    this.#deps.logger.warn("dropping a caller that does not read its responses", {
      ...this.#logFields(),
      bufferedBytes: this.#ws.bufferedAmount,
    });
    // It is not reading, so neither an ERROR nor a close frame would reach it: drop the connection
    // at once, which frees the shared sessions it held paused and the responses buffered for it.
    this.terminate();
  };

  // ---- outbound ----

  #sendError(requestId: number, errorCode: number, retriable: boolean, message: string): void {
    this.#deps.metrics.countError(errorCode);
    this.#sendEnvelope(encodeEnvelope({ type: EnvelopeType.ERROR, requestId, errorCode, retriable, message }));
  }

  #sendEnvelope(bytes: Uint8Array): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.#ws.send(bytes, { binary: true });
    this.#deps.metrics.framesOut += 1;
    this.#deps.metrics.bytesOut += bytes.length;
  }

  #protocolError(message: string): void {
    this.#deps.logger.info("protocol error from caller", { ...this.#logFields(), error: message });
    this.#failConnection(ErrorCode.CORRUPT_MESSAGE, false, message, CloseCode.PROTOCOL_ERROR, "protocol error");
  }

  /** ERROR with request id −1, then close: the whole connection failed. */
  #failConnection(errorCode: number, retriable: boolean, message: string, closeCode: number, reason: string): void {
    if (this.#state === "closed") return;
    this.#sendError(CONNECTION_ERROR_REQUEST_ID, errorCode, retriable, message);
    this.#ws.close(closeCode, reason);
    this.#cleanup();
  }

  /** Releases everything this caller holds; idempotent. */
  #cleanup(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#helloTimer);
    clearTimeout(this.#stallTimer);
    for (const request of this.#pending.values()) {
      clearTimeout(request.timer);
      request.session?.forget(request);
    }
    this.#pending.clear();
    this.#inFlightBytes = 0;
    for (const [key, session] of [...this.#pinned]) this.#unpin(key, session);
    this.#early = [];
    // Keep reading so that the close handshake completes (a paused socket would wait for ws's close timeout).
    if (this.#pauseReasons.size > 0) {
      this.#pauseReasons.clear();
      this.#ws.resume();
    }
    this.#deps.metrics.websocketsOpen -= 1;
  }

  #logFields(): Record<string, string | number | undefined> {
    return {
      caller: this.#context.id,
      remote: this.#context.remoteAddress,
      origin: this.#context.origin,
      client: this.#clientName || undefined,
    };
  }
}

/** How a failure to get a session to `target` reaches the caller. */
function sessionFailure(error: FlussError, target: Endpoint): FlussError {
  if (error.errorCode === ErrorCode.AUTHENTICATE_EXCEPTION || error.errorCode === ErrorCode.REQUEST_TIME_OUT) return error;
  if (error.errorCode === ErrorCode.NETWORK_EXCEPTION && error.isRetriable()) return error;
  return new FlussError(`the gateway cannot reach ${target.host}:${target.port}: ${error.message}`, ErrorCode.NETWORK_EXCEPTION, {
    cause: error,
    retriable: true,
  });
}
