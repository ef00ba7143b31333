import {
  decodeResponseFrame,
  encodeRequestFrame,
  errorFromResponseBody,
  ErrorCode,
  FlussError,
  FrameDecoder,
  LENGTH_PREFIX_BYTES,
  ResponseType,
  setRequestId,
  type ResponseFrame,
} from "@fluss-edge/client/wire";
import {
  RequestCorrelator,
  ServerConnection,
  type Endpoint,
  type OutboundRequest,
  type SessionOptions,
  type Transport,
  type TransportSession,
} from "@fluss-edge/client/internal";
import { connect, type Socket } from "node:net";
import type { ClusterIdentity } from "../cluster/identity.js";
import { hasResponseId, readResponseId, responseType, writeResponseId } from "./frame-ids.js";
import type { RelayCaller, RelayedRequest } from "./relayed-request.js";

/** Request ids are int32; stay non-negative and wrap, like the client. */
const MAX_REQUEST_ID = 0x7fffffff;

export interface RelaySessionOptions {
  connectTimeoutMs: number;
  /** Bounds the handshake requests (ApiVersions, Authenticate). */
  requestTimeoutMs: number;
  /** Largest response frame accepted from the server. */
  maxResponseFrameBytes: number;
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
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
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

  private constructor(endpoint: Endpoint, identity: ClusterIdentity, socket: Socket, maxResponseFrameBytes: number) {
    this.endpoint = endpoint;
    this.identity = identity;
    this.#socket = socket;
    this.#decoder = new FrameDecoder(maxResponseFrameBytes);
    this.#handshake = new RequestCorrelator(() => this.#address());
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error) => this.#fail(this.#lost(error.message, error)));
    socket.on("close", () => this.#fail(this.#lost("connection closed by the server")));
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
        const socket = await connectSocket(target, sessionOptions.connectTimeoutMs);
        session = new RelaySession(target, identity, socket, sessionOptions.maxFrameBytes);
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
      this.#socket.write(encodeRequestFrame({ apiKey: request.apiKey, apiVersion: request.apiVersion, requestId }, request.body));
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
    this.#relayed.set(gatewayId, request);
    this.lastUsedAt = Date.now();
    this.#socket.write(frame);
  }

  /** Drops a request whose caller stopped waiting (timeout, caller gone): a late response is discarded. */
  forget(request: RelayedRequest): void {
    if (this.#relayed.get(request.gatewayId) === request) this.#relayed.delete(request.gatewayId);
  }

  /** Stops reading from the server while `caller` cannot keep up. */
  pauseFor(caller: RelayCaller): void {
    this.#pausedBy.add(caller);
    if (this.#pausedBy.size === 1) this.#socket.pause();
  }

  resumeFor(caller: RelayCaller): void {
    if (this.#pausedBy.delete(caller) && this.#pausedBy.size === 0 && this.#open) this.#socket.resume();
  }

  /** Closes the session; requests in flight fail with a retriable NETWORK_EXCEPTION. */
  close(): void {
    this.#fail(this.#lost("closed by the gateway"));
  }

  /** Called by the wire when responses arrive (set by the pool: counts late responses). */
  onLateResponse: (() => void) | undefined;
  /** Called for each relayed Fluss error response (metrics). */
  onErrorResponse: (() => void) | undefined;

  #onData(chunk: Buffer): void {
    let payloads: Uint8Array[];
    try {
      payloads = this.#decoder.push(chunk);
    } catch (error) {
      this.#fail(this.#lost(`bad data from the server: ${FlussError.from(error).message}`, error));
      return;
    }
    for (const payload of payloads) {
      if (!this.#open) return;
      if (!this.#relaying) {
        this.#onHandshakeFrame(payload);
        continue;
      }
      if (responseType(payload) === ResponseType.SERVER_FAILURE) {
        // Connection-level: no request id; the server closes the channel right after it.
        const failure = errorFromResponseBody(payload.subarray(1), `server failure from ${this.#address()}`);
        this.#fail(this.#lost(`server failure ${failure.errorCodeName}: ${failure.message}`, failure));
        return;
      }
      if (!hasResponseId(payload)) {
        this.#fail(this.#lost(`malformed response frame of ${payload.length} bytes`));
        return;
      }
      const gatewayId = readResponseId(payload);
      const request = this.#relayed.get(gatewayId);
      if (!request) {
        this.onLateResponse?.();
        continue;
      }
      this.#relayed.delete(gatewayId);
      if (responseType(payload) === ResponseType.ERROR) this.onErrorResponse?.();
      writeResponseId(payload, request.originalId);
      request.caller.deliver(request, payload);
    }
  }

  #onHandshakeFrame(payload: Uint8Array): void {
    let frame: ResponseFrame;
    try {
      frame = decodeResponseFrame(payload);
    } catch (error) {
      this.#fail(FlussError.from(error, `bad data from ${this.#address()}`));
      return;
    }
    if (frame.kind === "server-failure") {
      this.#fail(errorFromResponseBody(frame.body, `server failure from ${this.#address()}`));
      return;
    }
    this.#handshake.complete(frame);
  }

  #fail(error: FlussError): void {
    if (!this.#open) return;
    this.#open = false;
    this.#handshake.close(error);
    this.#socket.destroy();
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

  #lost(reason: string, cause?: unknown): FlussError {
    return new FlussError(`gateway connection to ${this.#address()} lost: ${reason}`, ErrorCode.NETWORK_EXCEPTION, {
      cause,
      retriable: true,
    });
  }

  #address(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }
}

/** A connected TCP socket, or a CLIENT_ERROR naming the address (as the client's TCP transport reports it). */
function connectSocket(endpoint: Endpoint, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const address = `${endpoint.host}:${endpoint.port}`;
    const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(FlussError.client(`could not connect to ${address} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = error.code === "ECONNREFUSED" ? "connection refused" : error.message;
      reject(FlussError.client(`cannot connect to ${address}: ${reason}`, error));
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve(socket);
    });
  });
}
