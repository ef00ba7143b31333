import { ErrorCode, FlussError } from "../errors/index.js";
import { decodeResponseFrame, LENGTH_PREFIX_BYTES, type ResponseFrame } from "../wire/frame.js";
import {
  CONNECTION_ERROR_REQUEST_ID,
  decodeEnvelope,
  encodeEnvelope,
  EnvelopeType,
  GATEWAY_PROTOCOL_VERSION,
  GATEWAY_SUBPROTOCOL,
  type Envelope,
  type WelcomeEnvelope,
} from "../wire/gateway-envelope.js";
import { describeClose, describeErrorEvent, errorFromEnvelope, handshakeFailure } from "./gateway-errors.js";
import { RequestCorrelator } from "./request-correlator.js";
import { WEBSOCKET_OPEN, type WebSocketConstructor, type WebSocketLike } from "./websocket-constructor.js";

/** What one gateway WebSocket needs to open. */
export interface GatewayLinkOptions {
  /** `ws(s)://host:port/fluss`. */
  url: string;
  /** Bearer token for the gateway; empty when none. Travels in HELLO only. */
  token: string;
  /** SASL/PLAIN identity for the caller's own cluster sessions; the gateway authenticates it. */
  sasl: { username: string; password: string } | undefined;
  /** Shown in the gateway's logs, e.g. `fluss-edge/0.1.0`. */
  clientName: string;
  webSocket: WebSocketConstructor;
  /** Bounds the WebSocket handshake plus HELLO → WELCOME. */
  connectTimeoutMs: number;
}

const noop = (): void => {};

/**
 * One WebSocket to the gateway after a successful HELLO/WELCOME: it sends
 * REQUEST envelopes for every session of its transport and hands RESPONSE
 * and ERROR envelopes to one {@link RequestCorrelator}, so request ids are
 * unique across the WebSocket. Once it fails (dropped socket, ERROR −1,
 * protocol fault, close) it stays failed: every request in flight and every
 * later one rejects, and the transport opens a new link.
 */
export class GatewayLink {
  readonly url: string;
  readonly welcome: WelcomeEnvelope;
  readonly correlator: RequestCorrelator;
  readonly #socket: WebSocketLike;
  #failure: FlussError | undefined;
  /** Messages received: see the correlator's silence watch. */
  #received = 0;

  private constructor(socket: WebSocketLike, url: string, welcome: WelcomeEnvelope) {
    this.#socket = socket;
    this.url = url;
    this.welcome = welcome;
    const lost = (detail: string) =>
      this.#fail(new FlussError(`connection to the gateway at ${url} lost (${detail})`, ErrorCode.NETWORK_EXCEPTION, { retriable: true }));
    // A live gateway answers every request, at the latest with its own timeout's ERROR: a request
    // that times out while nothing at all came in means the WebSocket is dead (a laptop that slept,
    // a network that changed, a proxy that dropped it), which browsers may not notice for minutes.
    // The link then closes and the next request opens a new one.
    this.correlator = new RequestCorrelator(() => `the gateway at ${url}`, { reads: () => this.#received, onSilent: lost });
    socket.onmessage = (event) => this.#onMessage(event.data);
    // An `error` event ends the link by itself: the WHATWG WebSocket follows it with `close`, but
    // Node 22's (undici) may not, and waiting for that `close` would leave requests hanging.
    socket.onerror = (event) => lost(describeErrorEvent(event) ?? "WebSocket error");
    socket.onclose = (event) => lost(describeClose(event));
  }

  /**
   * Opens the WebSocket, sends HELLO as soon as it is open and waits for
   * WELCOME. Rejects with CLIENT_ERROR naming the URL when the gateway cannot
   * be reached, refuses the upgrade, closes early or stays silent for
   * `connectTimeoutMs`, or cannot reach the cluster; with the gateway's code
   * for any other ERROR (AUTHENTICATE_EXCEPTION for a bad token or SASL identity).
   */
  static connect(options: GatewayLinkOptions): Promise<GatewayLink> {
    const { url } = options;
    return new Promise((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new options.webSocket(url, [GATEWAY_SUBPROTOCOL]);
        socket.binaryType = "arraybuffer";
      } catch (cause) {
        reject(FlussError.client(`cannot connect to the gateway at ${url}: ${describeErrorEvent({ error: cause }) ?? String(cause)}`, cause));
        return;
      }
      let settled = false;
      const finish = (outcome: GatewayLink | FlussError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome instanceof GatewayLink) {
          resolve(outcome);
          return;
        }
        // `ws` emits `error` when a socket is closed mid-handshake: keep a listener so it is not thrown.
        socket.onopen = socket.onmessage = socket.onclose = noop;
        socket.onerror = noop;
        closeQuietly(socket, "handshake failed");
        reject(outcome);
      };
      const timer = setTimeout(
        () => finish(FlussError.client(`the gateway at ${url} did not complete the handshake within ${options.connectTimeoutMs} ms`)),
        options.connectTimeoutMs,
      );
      socket.onopen = () => {
        if (socket.protocol && socket.protocol !== GATEWAY_SUBPROTOCOL) {
          finish(FlussError.client(`the server at ${url} selected subprotocol '${socket.protocol}', not ${GATEWAY_SUBPROTOCOL}`));
          return;
        }
        try {
          socket.send(encodeHello(options) as Uint8Array<ArrayBuffer>);
        } catch (cause) {
          finish(FlussError.from(cause, `cannot send HELLO to the gateway at ${url}`));
        }
      };
      // A failed connection fires `error`, then (in browsers and `ws`) `close`; Node 22's WebSocket
      // (undici) fires only `error` and stays CONNECTING, so the `error` settles it: a refused
      // connection fails at once instead of after connectTimeoutMs.
      socket.onerror = (event) => {
        finish(FlussError.client(`cannot connect to the gateway at ${url}: ${describeErrorEvent(event) ?? "the connection failed"}`));
      };
      socket.onclose = (event) => {
        finish(FlussError.client(`cannot connect to the gateway at ${url}: closed during the handshake (${describeClose(event)})`));
      };
      socket.onmessage = (event) => {
        let envelope: Envelope;
        try {
          envelope = decodeEnvelope(bytesOf(event.data));
        } catch (cause) {
          finish(FlussError.from(cause, `bad handshake answer from the gateway at ${url}`));
          return;
        }
        if (envelope.type === EnvelopeType.ERROR) {
          finish(handshakeFailure(envelope, url));
        } else if (envelope.type !== EnvelopeType.WELCOME) {
          finish(FlussError.client(`the gateway at ${url} answered HELLO with envelope type ${envelope.type}, not WELCOME`));
        } else if (envelope.version !== GATEWAY_PROTOCOL_VERSION) {
          finish(FlussError.client(`the gateway at ${url} speaks protocol version ${envelope.version}, this client ${GATEWAY_PROTOCOL_VERSION}`));
        } else {
          finish(new GatewayLink(socket, url, envelope));
        }
      };
    });
  }

  /** False once the WebSocket has failed or closed; it never reopens. */
  get isOpen(): boolean {
    return this.#failure === undefined;
  }

  /** Why the link failed, once it has. */
  get failure(): FlussError | undefined {
    return this.#failure;
  }

  /**
   * Sends one envelope. Returns the failure instead of throwing, for the
   * caller to fail its one request with: the link closed, or the envelope is
   * larger than the gateway's `maxFrameBytes` (which would otherwise make the
   * gateway close the whole WebSocket with 1009).
   */
  send(envelope: Uint8Array<ArrayBuffer>): FlussError | undefined {
    if (this.#failure) return this.#failure;
    if (envelope.length > this.welcome.maxFrameBytes) {
      return FlussError.client(
        `request of ${envelope.length} bytes exceeds the gateway's limit of ${this.welcome.maxFrameBytes} bytes`,
      );
    }
    if (this.#socket.readyState !== WEBSOCKET_OPEN) {
      // Closing: the close event will fail the link; fail this request the same way now.
      return new FlussError(`connection to the gateway at ${this.url} is closing`, ErrorCode.NETWORK_EXCEPTION, { retriable: true });
    }
    try {
      this.#socket.send(envelope);
      return undefined;
    } catch (cause) {
      return new FlussError(`cannot send to the gateway at ${this.url}`, ErrorCode.NETWORK_EXCEPTION, { cause, retriable: true });
    }
  }

  /** Closes the WebSocket; requests in flight and later ones fail with `error`. */
  close(error: FlussError): void {
    this.#fail(error);
  }

  #onMessage(data: unknown): void {
    this.#received++;
    let envelope: Envelope;
    let frame: ResponseFrame | undefined;
    try {
      envelope = decodeEnvelope(bytesOf(data));
      if (envelope.type === EnvelopeType.RESPONSE) frame = decodeResponseFrame(envelope.frame.subarray(LENGTH_PREFIX_BYTES));
    } catch (cause) {
      this.#fail(FlussError.from(cause, `bad data from the gateway at ${this.url}`));
      return;
    }
    if (frame) {
      // A server failure names no request (on TCP it ends the connection): it
      // cannot be matched to a request here. The gateway sees the server close
      // its TCP connection and fails the requests in flight on it with ERROR
      // envelopes (NETWORK_EXCEPTION), so nothing waits forever.
      if (frame.kind !== "server-failure") this.correlator.complete(frame);
      return;
    }
    if (envelope.type !== EnvelopeType.ERROR) {
      this.#fail(FlussError.client(`the gateway at ${this.url} sent an unexpected envelope of type ${envelope.type}`));
      return;
    }
    const error = errorFromEnvelope(envelope);
    if (envelope.requestId === CONNECTION_ERROR_REQUEST_ID) this.#fail(error);
    else this.correlator.fail(envelope.requestId, error);
  }

  #fail(error: FlussError): void {
    if (this.#failure) return;
    this.#failure = error;
    this.correlator.close(error);
    this.#socket.onmessage = this.#socket.onclose = noop;
    this.#socket.onerror = noop;
    closeQuietly(this.#socket, "client closed");
  }
}

function encodeHello(options: GatewayLinkOptions): Uint8Array {
  return encodeEnvelope({
    type: EnvelopeType.HELLO,
    version: GATEWAY_PROTOCOL_VERSION,
    token: options.token,
    saslUsername: options.sasl?.username ?? "",
    saslPassword: options.sasl?.password ?? "",
    clientName: options.clientName,
  });
}

/** The bytes of a binary message as a view (no copy); text or Blob messages are protocol errors. */
function bytesOf(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw FlussError.client(
    typeof data === "string" ? "the gateway sent a text message" : "the gateway sent a message that is not an ArrayBuffer",
  );
}

function closeQuietly(socket: WebSocketLike, reason: string): void {
  try {
    // Browsers accept only 1000 or 3000–4999 from scripts.
    socket.close(1000, reason);
  } catch {
    // Already closed, or the runtime refuses: nothing more to release.
  }
}
