import { ErrorCode, FlussError } from "../errors/index.js";
import type { ResponseFrame } from "../wire/frame.js";
import type { WelcomeEnvelope } from "../wire/gateway-envelope.js";
import { CLIENT_NAME, CLIENT_VERSION } from "../version.js";
import { GatewayLink } from "./gateway-link.js";
import { encodeRequestEnvelope, encodeTarget } from "./gateway-request.js";
import type { Endpoint, OutboundRequest, SessionOptions, Transport, TransportSession } from "./transport.js";
import { resolveWebSocket, type WebSocketConstructor } from "./websocket-constructor.js";

/** How a {@link WebSocketTransport} reaches and authenticates with the gateway. */
export interface WebSocketTransportOptions {
  /** `ws(s)://host:port/fluss`. Nothing secret belongs in it. */
  url: string;
  /** Static bearer token of the gateway, sent in HELLO (never in the URL or a header). */
  token?: string;
  /**
   * SASL/PLAIN identity, sent in HELLO: the gateway authenticates it and opens
   * this caller's own cluster sessions. The client never sends Fluss
   * `Authenticate` through the gateway.
   */
  sasl?: { username: string; password: string };
  /** Shown in the gateway's logs; defaults to `fluss-edge/<version>`. */
  clientName?: string;
  /** The WebSocket class; defaults to the runtime's global one (or `ws` in the Node entry on Node 20). */
  webSocket?: WebSocketConstructor;
  /**
   * After a failed connection attempt, no new one is made for a while (it
   * doubles from `initialMs` per failure, up to `maxMs`; default 100 → 500 ms):
   * `open` fails at once with the last failure meanwhile.
   */
  reconnectBackoff?: { initialMs: number; maxMs: number };
}

const DEFAULT_BACKOFF = { initialMs: 100, maxMs: 500 };

/**
 * The gateway transport: one WebSocket per transport (so per
 * `FlussConnection`), multiplexing the sessions to every cluster server.
 * Sessions are cheap views on the current WebSocket; request ids come from
 * one correlator per WebSocket, unique across all sessions.
 *
 * When the WebSocket drops, requests in flight fail with a retriable
 * NETWORK_EXCEPTION and every session reports `isOpen === false`. The next
 * `open` (the cluster client reopens closed sessions on the next request)
 * connects again; after a failed attempt, `open` fails fast until a backoff
 * window has passed, so a dead gateway is not dialled for every request.
 *
 * @example
 * const transport = new WebSocketTransport({ url: "wss://gateway.example.com/fluss", token });
 * const welcome = await transport.connect(10_000);   // HELLO → WELCOME
 * const session = await transport.open(welcome.bootstrap[0]!, { connectTimeoutMs: 10_000, maxFrameBytes: 1 << 24 });
 * // … session.request(…) …
 * transport.close();
 */
export class WebSocketTransport implements Transport {
  readonly name = "websocket";
  readonly url: string;
  readonly #options: WebSocketTransportOptions;
  #link: GatewayLink | undefined;
  #connecting: Promise<GatewayLink> | undefined;
  /** Failed connection attempts since the last WELCOME. */
  #failedAttempts = 0;
  /** No new attempt before this time (ms since epoch). */
  #nextAttemptAt = 0;
  /** Why the last attempt failed, reported again inside the backoff window. */
  #lastFailure: FlussError | undefined;
  #closed = false;

  constructor(options: WebSocketTransportOptions) {
    this.url = options.url;
    this.#options = options;
  }

  /**
   * Connects (or reuses the open WebSocket) and returns the gateway's
   * WELCOME: its limits and the cluster's bootstrap servers, where the first
   * GetMetadata goes.
   */
  async connect(connectTimeoutMs: number): Promise<WelcomeEnvelope> {
    return (await this.#linkFor(connectTimeoutMs)).welcome;
  }

  async open(endpoint: Endpoint, options: SessionOptions): Promise<TransportSession> {
    const target = encodeTarget(endpoint);
    const link = await this.#linkFor(options.connectTimeoutMs);
    return new GatewaySession(link, endpoint, target);
  }

  /** Closes the WebSocket for good: requests in flight fail (retriable), later `open` calls fail with CLIENT_ERROR. */
  close(): void {
    this.#closed = true;
    this.#link?.close(new FlussError("connection closed by client", ErrorCode.NETWORK_EXCEPTION, { retriable: true }));
    this.#link = undefined;
  }

  #linkFor(connectTimeoutMs: number): Promise<GatewayLink> {
    if (this.#closed) return Promise.reject(FlussError.client(`the connection through the gateway at ${this.url} is closed`));
    if (this.#link?.isOpen) return Promise.resolve(this.#link);
    if (this.#connecting) return this.#connecting;
    const wait = this.#nextAttemptAt - Date.now();
    if (wait > 0 && this.#lastFailure) {
      // Inside the backoff window after a failed attempt: fail fast instead of
      // dialling again (or making every caller sleep); the cluster client's
      // retries space the next attempts.
      const last = this.#lastFailure;
      const message = `${last.message} (next attempt in ${Math.ceil(wait)} ms)`;
      return Promise.reject(new FlussError(message, last.errorCode, { cause: last, retriable: last.isRetriable() }));
    }
    this.#connecting = this.#connect(connectTimeoutMs).finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(connectTimeoutMs: number): Promise<GatewayLink> {
    const webSocket = await resolveWebSocket(this.#options.webSocket);
    let link: GatewayLink;
    try {
      link = await GatewayLink.connect({
        url: this.url,
        token: this.#options.token ?? "",
        sasl: this.#options.sasl,
        clientName: this.#options.clientName ?? `${CLIENT_NAME}/${CLIENT_VERSION}`,
        webSocket,
        connectTimeoutMs,
      });
    } catch (error) {
      this.#failedAttempts += 1;
      this.#lastFailure = FlussError.from(error);
      this.#nextAttemptAt = Date.now() + this.#backoffMs();
      throw error;
    }
    this.#failedAttempts = 0;
    this.#lastFailure = undefined;
    this.#nextAttemptAt = 0;
    if (this.#closed) {
      link.close(FlussError.client(`the connection through the gateway at ${this.url} is closed`));
      throw link.failure;
    }
    this.#link = link;
    return link;
  }

  /** The window after the n-th failed attempt: doubling from `initialMs`, at most `maxMs`, with jitter downwards. */
  #backoffMs(): number {
    const { initialMs, maxMs } = this.#options.reconnectBackoff ?? DEFAULT_BACKOFF;
    const base = Math.min(maxMs, initialMs * 2 ** (this.#failedAttempts - 1));
    return base * (0.5 + Math.random() * 0.5);
  }
}

/**
 * One server's session over the shared WebSocket. It only adds the target to
 * each request; request ids, timeouts and failures belong to the link.
 */
class GatewaySession implements TransportSession {
  readonly endpoint: Endpoint;
  readonly #link: GatewayLink;
  /** `str host` `u16 port`, encoded once. */
  readonly #target: Uint8Array;
  /** Ids of this session's requests in flight, to fail on `close()`. */
  readonly #inFlight = new Set<number>();
  #closedWith: FlussError | undefined;

  constructor(link: GatewayLink, endpoint: Endpoint, target: Uint8Array) {
    this.#link = link;
    this.endpoint = endpoint;
    this.#target = target;
  }

  get isOpen(): boolean {
    return this.#closedWith === undefined && this.#link.isOpen;
  }

  request(request: OutboundRequest, timeoutMs: number): Promise<ResponseFrame> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    const correlator = this.#link.correlator;
    const { requestId, response } = correlator.register(timeoutMs, request.apiKey);
    if (requestId < 0) return response;
    const header = { apiKey: request.apiKey, apiVersion: request.apiVersion, requestId };
    const failure = this.#link.send(encodeRequestEnvelope(this.#target, header, request.body));
    if (failure) {
      correlator.fail(requestId, failure);
      return response;
    }
    this.#inFlight.add(requestId);
    return response.then(
      (frame) => {
        this.#inFlight.delete(requestId);
        return frame;
      },
      (error: FlussError) => {
        this.#inFlight.delete(requestId);
        throw this.#named(error);
      },
    );
  }

  close(): void {
    if (this.#closedWith) return;
    const address = `${this.endpoint.host}:${this.endpoint.port}`;
    this.#closedWith = new FlussError(`session to ${address} through the gateway closed by client`, ErrorCode.NETWORK_EXCEPTION, {
      retriable: true,
    });
    for (const requestId of this.#inFlight) this.#link.correlator.fail(requestId, this.#closedWith);
    this.#inFlight.clear();
  }

  /** The correlator's timeout names the gateway; add the server the request was for. */
  #named(error: FlussError): FlussError {
    const address = `${this.endpoint.host}:${this.endpoint.port}`;
    if (error.errorCode !== ErrorCode.REQUEST_TIME_OUT || error.message.includes(address)) return error;
    return new FlussError(`${error.message} (for ${address})`, error.errorCode, { cause: error, retriable: error.isRetriable() });
  }
}

