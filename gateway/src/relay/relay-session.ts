import {
  decodeResponseFrame,
  encodeRequestFrame,
  FlussError,
  LENGTH_PREFIX_BYTES,
  ResponseType,
  setRequestId,
  type ResponseFrame,
} from "@fluss-edge/client/wire";
import {
  connectSocket,
  FramedSocket,
  ReusedReads,
  RequestCorrelator,
  ServerConnection,
  silenceReason,
  timedOutInSilence,
  type Endpoint,
  type FramedSocketFailure,
  type OutboundRequest,
  type SessionOptions,
  type Transport,
  type TransportSession,
} from "@fluss-edge/client/internal";
import type { Socket } from "node:net";
import type { ClusterIdentity } from "../cluster/identity.js";
import type { FrameBufferPool } from "./frame-buffer-pool.js";
import { hasResponseId, readResponseId, RESPONSE_ENVELOPE_HEAD_BYTES, responseType, writeResponseId } from "./frame-ids.js";
import type { RelayCaller, RelayedRequest } from "./relayed-request.js";

/** Request ids are int32; stay non-negative and wrap, like the client. */
const MAX_REQUEST_ID = 0x7fffffff;

export interface RelaySessionOptions {
  connectTimeoutMs: number;
  /** Bounds the handshake requests (ApiVersions, Authenticate). */
  requestTimeoutMs: number;
  /** Largest response frame accepted from the server. */
  maxResponseFrameBytes: number;
  /** Where response frames are assembled (shared by the gateway's sessions). */
  frameBuffers: FrameBufferPool;
}

/**
 * One pooled TCP session to one cluster server, shared by many callers.
 *
 * It opens like any client connection — the client's own `ServerConnection`
 * runs ApiVersions and, for SASL identities, Authenticate over it through the
 * `TransportSession` face of this class — and then switches to relaying:
 * caller frames go out with their request id replaced by one unique on this
 * session, and each response frame goes back to its caller with the id
 * restored. Bodies are neither decoded nor copied in either direction.
 */
export class RelaySession implements TransportSession {
  readonly endpoint: Endpoint;
  readonly identity: ClusterIdentity;
  readonly #wire: FramedSocket;
  /** Handshake requests (before relaying starts). */
  readonly #handshake: RequestCorrelator;
  /** gateway id → relayed request. */
  readonly #relayed = new Map<number, RelayedRequest>();
  /** Callers that are too slow: while any is, the socket is not read. */
  readonly #pausedBy = new Set<RelayCaller>();
  #relaying = false;
  #open = true;
  #nextId = 0;
  /** Callers pinned to this session (they send everything for this server here, in order). */
  assignedCallers = 0;
  lastUsedAt = Date.now();
  /** Called once when the session closes or fails. */
  onClosed: ((session: RelaySession) => void) | undefined;

  readonly #frameBuffers: FrameBufferPool;

  private constructor(
    endpoint: Endpoint,
    identity: ClusterIdentity,
    socket: Socket,
    maxResponseFrameBytes: number,
    reads: ReusedReads,
    frameBuffers: FrameBufferPool,
  ) {
    this.endpoint = endpoint;
    this.identity = identity;
    const address = `${endpoint.host}:${endpoint.port}`;
    this.#handshake = new RequestCorrelator(() => address);
    this.#frameBuffers = frameBuffers;
    this.#wire = new FramedSocket(
      socket,
      // Reads land in one reused buffer and every frame is copied out of it into a pooled buffer,
      // with room for the envelope head in front: the caller then sends head and frame as one
      // WebSocket message without another copy.
      {
        address,
        maxFrameBytes: maxResponseFrameBytes,
        label: `gateway connection to ${address}`,
        reads,
        copy: { headroom: RESPONSE_ENVELOPE_HEAD_BYTES, allocate: frameBuffers.acquire },
      },
      { onFrame: (payload) => this.#onFrame(payload), onFailure: (error, failure) => this.#onWireFailure(error, failure) },
    );
  }

  /**
   * Connects and runs the client's handshake for `identity`. Rejects with the
   * client's FlussErrors: CLIENT_ERROR when unreachable, AUTHENTICATE_EXCEPTION
   * when the cluster refuses the credentials.
   */
  static async open(endpoint: Endpoint, identity: ClusterIdentity, options: RelaySessionOptions): Promise<RelaySession> {
    let session: RelaySession | undefined;
    const transport: Transport = {
      name: "gateway-tcp",
      open: async (target: Endpoint, sessionOptions: SessionOptions) => {
        const reads = new ReusedReads();
        const socket = await connectSocket(target, sessionOptions.connectTimeoutMs, reads);
        session = new RelaySession(target, identity, socket, sessionOptions.maxFrameBytes, reads, options.frameBuffers);
        return session;
      },
    };
    // ServerConnection closes the session itself when the handshake fails.
    await ServerConnection.open(transport, endpoint, {
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      maxFrameBytes: options.maxResponseFrameBytes,
      sasl: identity.sasl,
    });
    const opened = session!;
    opened.#relaying = true;
    return opened;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Relayed requests waiting for their response. */
  get inFlight(): number {
    return this.#relayed.size;
  }

  /** TransportSession: used by the client's handshake only, before relaying starts. */
  request(request: OutboundRequest, timeoutMs: number): Promise<ResponseFrame> {
    if (this.#relaying) return Promise.reject(FlussError.client("relay sessions carry no typed requests after the handshake"));
    const { requestId, response } = this.#handshake.register(timeoutMs, request.apiKey);
    if (requestId >= 0) {
      this.#wire.write(encodeRequestFrame({ apiKey: request.apiKey, apiVersion: request.apiVersion, requestId }, request.body));
    }
    return response;
  }

  /**
   * Sends a caller's request frame (length prefix included). The frame's
   * request id is overwritten in place with this session's id; the caller's
   * id stays in `request.originalId`.
   */
  relay(request: RelayedRequest, frame: Uint8Array): void {
    const gatewayId = this.#allocateId();
    setRequestId(frame.subarray(LENGTH_PREFIX_BYTES), gatewayId);
    request.gatewayId = gatewayId;
    request.session = this;
    request.readsAtSend = this.#wire.reads;
    this.#relayed.set(gatewayId, request);
    this.lastUsedAt = Date.now();
    this.#wire.write(frame);
  }

  /** Drops a request whose caller stopped waiting (timeout, caller gone): a late response is discarded. */
  forget(request: RelayedRequest): void {
    if (this.#relayed.get(request.gatewayId) === request) this.#relayed.delete(request.gatewayId);
  }

  /**
   * A caller gave up on `request` after `timeoutMs`. If nothing at all
   * arrived from the server since it was sent (and the session was not
   * paused meanwhile), the server is gone rather than slow: a half-open
   * connection or a hung process. The session then closes (its other
   * requests fail with a retriable NETWORK_EXCEPTION) and the next request
   * opens a fresh one, instead of every caller's requests timing out on it
   * until the kernel gives up on the connection. The client's TCP sessions
   * do the same (RequestCorrelator's SilenceWatch).
   *
   * Only requests of the apis fluss-edge sends are judged: Fluss drops
   * requests of api keys it does not know without a word, and a caller must
   * not be able to reset a shared session that easily. It drops a malformed
   * request of a known api the same way, and a FetchLog may ask the server
   * to wait longer than the gateway's timeout; either can close a session
   * that was silent anyway, which costs little: only requests that got no
   * byte for a whole request timeout fail (retriably), and the next request
   * reconnects.
   */
  timedOut(request: RelayedRequest, timeoutMs: number): void {
    if (!this.#open || !this.#relaying || this.#wire.paused) return;
    if (!timedOutInSilence(request.apiKey, request.readsAtSend, this.#wire.reads)) return;
    this.#fail(this.#wire.lostError(silenceReason(timeoutMs, request.originalId)));
  }

  /** Stops reading from the server while `caller` cannot keep up. */
  pauseFor(caller: RelayCaller): void {
    this.#pausedBy.add(caller);
    if (this.#pausedBy.size === 1) this.#wire.pause();
  }

  resumeFor(caller: RelayCaller): void {
    if (this.#pausedBy.delete(caller) && this.#pausedBy.size === 0 && this.#open) this.#wire.resume();
  }

  /** Closes the session; requests in flight fail with a retriable NETWORK_EXCEPTION. */
  close(): void {
    this.#fail(this.#wire.lostError("closed by the gateway"));
  }

  /** Called by the wire when responses arrive (set by the pool: counts late responses). */
  onLateResponse: (() => void) | undefined;
  /** Called for each relayed Fluss error response (metrics). */
  onErrorResponse: (() => void) | undefined;

  /** Throws on a malformed frame: the framed socket then fails the session as bad data. */
  #onFrame(payload: Uint8Array): void {
    // The frame's buffer goes back to the pool once used (small, unpooled ones are just dropped).
    const done = (): void => this.#frameBuffers.release(payload.buffer);
    if (!this.#relaying) {
      const frame = decodeResponseFrame(payload);
      // Server failures never get here: the framed socket ends the session on them.
      if (frame.kind !== "server-failure") this.#handshake.complete(frame);
      return; // the handshake keeps what it decoded: the buffer is not given back
    }
    if (!hasResponseId(payload)) throw FlussError.client(`malformed response frame of ${payload.length} bytes`);
    const gatewayId = readResponseId(payload);
    const request = this.#relayed.get(gatewayId);
    if (!request) {
      this.onLateResponse?.();
      done();
      return;
    }
    this.#relayed.delete(gatewayId);
    if (responseType(payload) === ResponseType.ERROR) this.onErrorResponse?.();
    writeResponseId(payload, request.originalId);
    request.caller.deliver(request, payload, done);
  }

  /**
   * During the handshake the client's ServerConnection gets the error as the
   * client's TCP transport reports it; once relaying, callers see any end of
   * the connection as a retriable NETWORK_EXCEPTION.
   */
  #onWireFailure(error: FlussError, failure: FramedSocketFailure): void {
    if (!this.#relaying || failure === "lost") {
      this.#fail(error);
    } else if (failure === "server-failure") {
      this.#fail(this.#wire.lostError(`server failure ${error.errorCodeName}: ${error.message}`, error));
    } else {
      this.#fail(this.#wire.lostError(`bad data from the server: ${error.message}`, error));
    }
  }

  #fail(error: FlussError): void {
    if (!this.#open) return;
    this.#open = false;
    this.#handshake.close(error);
    this.#wire.destroy();
    const relayed = [...this.#relayed.values()];
    this.#relayed.clear();
    this.#pausedBy.clear();
    for (const request of relayed) request.caller.fail(request, error);
    this.onClosed?.(this);
  }

  #allocateId(): number {
    // Skip ids still in flight after a wrap-around (practically never).
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === MAX_REQUEST_ID ? 0 : id + 1;
      if (!this.#relayed.has(id)) return id;
    }
  }
}
