import { fromBinary } from "@bufbuild/protobuf";
import { WebSocket as WsWebSocket } from "ws";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { ApiVersionsResponseSchema } from "../../../src/gen/fluss/rpc_pb.js";
import type { WebSocketConstructor, WebSocketLike } from "../../../src/transport/websocket-constructor.js";
import { WebSocketTransport } from "../../../src/transport/websocket-transport.js";
import { ApiKey } from "../../../src/wire/api-keys.js";
import { decodeRequestHeader, LENGTH_PREFIX_BYTES } from "../../../src/wire/frame.js";
import { EnvelopeType, GATEWAY_SUBPROTOCOL } from "../../../src/wire/gateway-envelope.js";
import { startEnvelopePeer, type EnvelopePeer, type PeerConnection } from "./websocket-peer.js";

const sessionOptions = { connectTimeoutMs: 2000, maxFrameBytes: 1 << 20 };
const coordinator = { host: "127.0.0.1", port: 9123 };
const tablet = { host: "127.0.0.1", port: 9133 };
const apiVersions = { apiKey: ApiKey.API_VERSIONS, apiVersion: 0, body: new Uint8Array() };

/** Node 20 has no global WebSocket: inject the `ws` client, as the Node entry does. */
const webSocket: WebSocketConstructor = WsWebSocket;

// The DOM's WebSocket (browsers, Deno, workerd, Node ≥ 22) fits the injected type too.
type DomFits = typeof globalThis.WebSocket extends WebSocketConstructor ? true : false;
const domFits: DomFits = true;

function requestIdOf(frame: Uint8Array): number {
  return decodeRequestHeader(frame.subarray(LENGTH_PREFIX_BYTES)).requestId;
}

async function rejection(promise: Promise<unknown>): Promise<FlussError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    return error as FlussError;
  }
  throw new Error("expected a rejection");
}

describe("WebSocketTransport", () => {
  let peer: EnvelopePeer;
  let transport: WebSocketTransport;

  beforeEach(async () => {
    peer = await startEnvelopePeer();
    transport = new WebSocketTransport({
      url: peer.url,
      token: "s3cret-token",
      sasl: { username: "alice", password: "alice-secret" },
      clientName: "unit-test",
      webSocket,
      reconnectBackoff: { initialMs: 50, maxMs: 200 },
    });
  });

  afterEach(async () => {
    transport.close();
    await peer.close();
  });

  /** Connects the transport and answers its HELLO with WELCOME; returns the peer's side. */
  async function connected(maxFrameBytes?: number): Promise<PeerConnection> {
    const welcome = transport.connect(2000);
    const connection = await peer.nextConnection();
    await connection.next();
    connection.welcome(maxFrameBytes === undefined ? {} : { maxFrameBytes });
    await welcome;
    return connection;
  }

  it("offers the v1 subprotocol and sends HELLO with token, SASL identity and name, then returns WELCOME", async () => {
    expect(domFits).toBe(true);
    const welcome = transport.connect(2000);
    const connection = await peer.nextConnection();
    expect(connection.offered).toEqual([GATEWAY_SUBPROTOCOL]);
    expect(await connection.next()).toEqual({
      type: EnvelopeType.HELLO,
      version: 1,
      token: "s3cret-token",
      saslUsername: "alice",
      saslPassword: "alice-secret",
      clientName: "unit-test",
    });
    connection.welcome({ bootstrap: [{ host: "10.0.0.7", port: 9123 }] });
    expect((await welcome).bootstrap).toEqual([{ host: "10.0.0.7", port: 9123 }]);
  });

  it("multiplexes sessions to several servers over one WebSocket with ids unique across them", async () => {
    const connection = await connected();
    const toCoordinator = await transport.open(coordinator, sessionOptions);
    const toTablet = await transport.open(tablet, sessionOptions);
    const first = toCoordinator.request(apiVersions, 2000);
    const second = toTablet.request(apiVersions, 2000);
    const a = await connection.nextRequest();
    const b = await connection.nextRequest();
    expect([a.host, a.port, b.host, b.port]).toEqual(["127.0.0.1", 9123, "127.0.0.1", 9133]);
    expect(requestIdOf(a.frame)).not.toBe(requestIdOf(b.frame));
    // Answer out of order, with the real servers' captured bytes.
    connection.answerWithCapturedApiVersions(b, "tablet");
    connection.answerWithCapturedApiVersions(a, "coordinator");
    const [coordinatorFrame, tabletFrame] = await Promise.all([first, second]);
    expect(coordinatorFrame.kind).toBe("success");
    expect(fromBinary(ApiVersionsResponseSchema, coordinatorFrame.body).serverType).toBe(1);
    expect(fromBinary(ApiVersionsResponseSchema, tabletFrame.body).serverType).toBe(2);
    expect(toCoordinator.isOpen && toTablet.isOpen).toBe(true);
  });

  it("turns an ERROR envelope for one request into a FlussError with its code, leaving the rest alone", async () => {
    const connection = await connected();
    const session = await transport.open(coordinator, sessionOptions);
    const pending = session.request(apiVersions, 5000);
    const request = await connection.nextRequest();
    connection.send({
      type: EnvelopeType.ERROR,
      requestId: requestIdOf(request.frame),
      errorCode: ErrorCode.REQUEST_TIME_OUT,
      retriable: true,
      message: "127.0.0.1:9123 did not answer within 30000 ms",
    });
    const error = await rejection(pending);
    expect(error.errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    expect(error.isRetriable()).toBe(true);
    expect(error.message).toContain("did not answer");

    const denied = session.request(apiVersions, 5000);
    const second = await connection.nextRequest();
    connection.send({
      type: EnvelopeType.ERROR,
      requestId: requestIdOf(second.frame),
      errorCode: ErrorCode.AUTHORIZATION_EXCEPTION,
      retriable: false,
      message: "",
    });
    const deniedError = await rejection(denied);
    expect(deniedError.errorCode).toBe(ErrorCode.AUTHORIZATION_EXCEPTION);
    expect(deniedError.isRetriable()).toBe(false);
    expect(deniedError.message).toContain("AUTHORIZATION_EXCEPTION");
    expect(session.isOpen).toBe(true);
  });

  it("fails requests in flight with a retriable NETWORK_EXCEPTION when the socket drops, then reconnects on the next open", async () => {
    const connection = await connected();
    const session = await transport.open(coordinator, sessionOptions);
    const pending = session.request(apiVersions, 5000);
    await connection.nextRequest();
    connection.terminate();
    const error = await rejection(pending);
    expect(error.errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
    expect(error.isRetriable()).toBe(true);
    expect(error.message).toContain(peer.url);
    expect(session.isOpen).toBe(false);
    expect((await rejection(session.request(apiVersions, 1000))).errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);

    const reopening = transport.open(coordinator, sessionOptions);
    const again = await peer.nextConnection();
    expect((await again.next()).type).toBe(EnvelopeType.HELLO);
    again.welcome();
    const reopened = await reopening;
    const answer = reopened.request(apiVersions, 2000);
    again.answerWithCapturedApiVersions(await again.nextRequest());
    expect((await answer).kind).toBe("success");
  });

  it("fails the whole connection on ERROR with request id −1 (gateway shutting down), retriable", async () => {
    const connection = await connected();
    const session = await transport.open(coordinator, sessionOptions);
    const pending = session.request(apiVersions, 5000);
    await connection.nextRequest();
    connection.send({ type: EnvelopeType.ERROR, requestId: -1, errorCode: ErrorCode.NETWORK_EXCEPTION, retriable: true, message: "gateway shutting down" });
    const error = await rejection(pending);
    expect(error.errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
    expect(error.isRetriable()).toBe(true);
    expect(error.message).toBe("gateway shutting down");
    expect(session.isOpen).toBe(false);
  });

  it("treats a text message as a protocol fault: the connection fails, requests get a FlussError", async () => {
    const connection = await connected();
    const session = await transport.open(coordinator, sessionOptions);
    const pending = session.request(apiVersions, 5000);
    await connection.nextRequest();
    connection.sendBytes("hello?");
    const error = await rejection(pending);
    expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect(error.message).toContain("text message");
    expect(session.isOpen).toBe(false);
  });

  it("times out a request the gateway never answers with REQUEST_TIME_OUT naming the server", async () => {
    const connection = await connected();
    const session = await transport.open(tablet, sessionOptions);
    const started = Date.now();
    const pending = session.request({ apiKey: 1999, apiVersion: 0, body: new Uint8Array() }, 300);
    await connection.nextRequest();
    const error = await rejection(pending);
    expect(error.errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    expect(error.message).toContain("127.0.0.1:9133");
    expect(error.message).toContain(peer.url);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(session.isOpen).toBe(true);
  });

  it("closes a link on which nothing at all arrived while one of its requests timed out, and reconnects on the next open", async () => {
    const connection = await connected();
    const session = await transport.open(tablet, sessionOptions);
    // GetMetadata (1012), an api fluss-edge sends: a live gateway always answers it, if only with
    // its own timeout's ERROR.
    const timedOut = session.request({ apiKey: 1012, apiVersion: 0, body: new Uint8Array() }, 200);
    const waiting = session.request({ apiKey: 1012, apiVersion: 0, body: new Uint8Array() }, 20_000);
    await connection.nextRequest();
    await connection.nextRequest();
    expect((await rejection(timedOut)).errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    const lost = await rejection(waiting);
    expect(lost.errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
    expect(lost.isRetriable()).toBe(true);
    expect(lost.message).toContain("nothing received for 200 ms");
    expect(session.isOpen).toBe(false);
    // The next open dials a new WebSocket.
    const reopened = transport.open(tablet, sessionOptions);
    const next = await peer.nextConnection();
    await next.next();
    next.welcome();
    expect((await reopened).isOpen).toBe(true);
  });

  it("keeps a link on which other answers arrived while a request timed out", async () => {
    const connection = await connected();
    const session = await transport.open(tablet, sessionOptions);
    const timedOut = session.request({ apiKey: 1012, apiVersion: 0, body: new Uint8Array() }, 300);
    await connection.nextRequest();
    const answered = session.request({ apiKey: 1000, apiVersion: 0, body: new Uint8Array() }, 2000); // ApiVersions
    connection.answerWithCapturedApiVersions(await connection.nextRequest());
    await answered;
    expect((await rejection(timedOut)).errorCode).toBe(ErrorCode.REQUEST_TIME_OUT);
    expect(session.isOpen).toBe(true);
  });

  it("refuses a request larger than WELCOME's maxFrameBytes locally, without losing the connection", async () => {
    await connected(64);
    const session = await transport.open(coordinator, sessionOptions);
    const error = await rejection(session.request({ apiKey: ApiKey.GET_METADATA, apiVersion: 0, body: new Uint8Array(100) }, 1000));
    expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect(error.message).toContain("64 bytes");
    expect(session.isOpen).toBe(true);
  });

  it("closing one session fails only its own requests", async () => {
    const connection = await connected();
    const one = await transport.open(coordinator, sessionOptions);
    const other = await transport.open(tablet, sessionOptions);
    const doomed = one.request(apiVersions, 5000);
    const kept = other.request(apiVersions, 5000);
    await connection.nextRequest();
    const keptRequest = await connection.nextRequest();
    one.close();
    const error = await rejection(doomed);
    expect(error.errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
    expect(error.isRetriable()).toBe(true);
    expect(one.isOpen).toBe(false);
    connection.answerWithCapturedApiVersions(keptRequest, "tablet");
    expect((await kept).kind).toBe("success");
    expect(other.isOpen).toBe(true);
  });
});

describe("WebSocketTransport handshake failures", () => {
  it("maps ERROR answers to HELLO: AUTHENTICATE_EXCEPTION stays, an unreachable cluster becomes CLIENT_ERROR", async () => {
    const peer = await startEnvelopePeer();
    try {
      const cases = [
        { code: ErrorCode.AUTHENTICATE_EXCEPTION, expected: ErrorCode.AUTHENTICATE_EXCEPTION, retriable: false },
        { code: ErrorCode.UNSUPPORTED_VERSION, expected: ErrorCode.UNSUPPORTED_VERSION, retriable: false },
        { code: ErrorCode.NETWORK_EXCEPTION, expected: ErrorCode.CLIENT_ERROR, retriable: true },
      ];
      for (const { code, expected, retriable } of cases) {
        const transport = new WebSocketTransport({ url: peer.url, token: "wrong", webSocket });
        const connecting = transport.connect(2000);
        const connection = await peer.nextConnection();
        await connection.next();
        connection.send({ type: EnvelopeType.ERROR, requestId: -1, errorCode: code, retriable, message: "refused by the gateway" });
        const error = await rejection(connecting);
        expect(error.errorCode).toBe(expected);
        expect(error.message).toContain(peer.url);
        expect(error.message).toContain("refused by the gateway");
        expect(error.message).not.toContain("wrong");
        transport.close();
      }
    } finally {
      await peer.close();
    }
  });

  it("fails with CLIENT_ERROR naming the URL when nothing listens, quickly", async () => {
    const peer = await startEnvelopePeer();
    await peer.close();
    const transport = new WebSocketTransport({ url: peer.url, webSocket });
    const started = Date.now();
    const error = await rejection(transport.open(coordinator, sessionOptions));
    expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect(error.message).toContain(peer.url);
    expect(error.message).toContain("ECONNREFUSED");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("after a failed attempt, fails fast without dialling until the backoff window has passed", async () => {
    const peer = await startEnvelopePeer();
    let dials = 0;
    /** Refuses every HELLO as a gateway without its cluster does. */
    const refuseAll = async () => {
      for (;;) {
        const connection = await peer.nextConnection();
        dials += 1;
        await connection.next();
        connection.send({ type: EnvelopeType.ERROR, requestId: -1, errorCode: ErrorCode.NETWORK_EXCEPTION, retriable: true, message: "cluster unreachable" });
      }
    };
    void refuseAll();
    const transport = new WebSocketTransport({ url: peer.url, webSocket, reconnectBackoff: { initialMs: 400, maxMs: 400 } });
    try {
      await rejection(transport.open(coordinator, sessionOptions));
      expect(dials).toBe(1);
      const fast = Date.now();
      const suppressed = await rejection(transport.open(coordinator, sessionOptions));
      expect(Date.now() - fast).toBeLessThan(50);
      expect(suppressed.errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect(suppressed.message).toContain("cluster unreachable");
      expect(suppressed.message).toContain("next attempt in");
      expect(dials).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 450));
      await rejection(transport.open(coordinator, sessionOptions));
      expect(dials).toBe(2);
    } finally {
      transport.close();
      await peer.close();
    }
  });

  it("fails with CLIENT_ERROR within the connect timeout when the gateway never answers HELLO", async () => {
    const peer = await startEnvelopePeer();
    try {
      const transport = new WebSocketTransport({ url: peer.url, webSocket });
      const started = Date.now();
      const error = await rejection(transport.connect(400));
      expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect(error.message).toContain("400 ms");
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await peer.close();
    }
  });

  it("fails with CLIENT_ERROR when the socket closes before WELCOME, and after close() refuses to reopen", async () => {
    const peer = await startEnvelopePeer();
    try {
      const transport = new WebSocketTransport({ url: peer.url, webSocket });
      const connecting = transport.connect(2000);
      const connection = await peer.nextConnection();
      await connection.next();
      connection.socket.close(1008, "policy");
      const error = await rejection(connecting);
      expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect(error.message).toContain("1008");
      transport.close();
      expect((await rejection(transport.open(coordinator, sessionOptions))).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    } finally {
      await peer.close();
    }
  });
});

/**
 * The `ws` client made to behave as Node 22's own WebSocket (undici) does
 * when a connection fails: `error`, and then no `close` (readyState stays
 * CONNECTING). `failNow` fires such an `error` on a socket that is open.
 */
class ErrorWithoutClose implements WebSocketLike {
  static readonly made: ErrorWithoutClose[] = [];
  onopen: WebSocketLike["onopen"] = null;
  onmessage: WebSocketLike["onmessage"] = null;
  onerror: WebSocketLike["onerror"] = null;
  onclose: WebSocketLike["onclose"] = null;
  readonly #ws: WsWebSocket;
  #errored = false;

  constructor(url: string, protocols?: string | string[]) {
    this.#ws = new WsWebSocket(url, protocols);
    this.#ws.onopen = (event) => this.onopen?.(event);
    this.#ws.onmessage = (event) => this.onmessage?.(event);
    this.#ws.onerror = (event) => this.#error(event);
    this.#ws.onclose = (event) => {
      if (!this.#errored) this.onclose?.(event);
    };
    ErrorWithoutClose.made.push(this);
  }

  get binaryType(): string {
    return this.#ws.binaryType;
  }
  set binaryType(type: string) {
    this.#ws.binaryType = type as WsWebSocket["binaryType"];
  }
  get readyState(): number {
    return this.#errored ? 0 : this.#ws.readyState;
  }
  get protocol(): string {
    return this.#ws.protocol;
  }
  send(data: Uint8Array<ArrayBuffer>): void {
    this.#ws.send(data);
  }
  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }
  failNow(): void {
    this.#error({ message: "network error" });
  }
  #error(event: unknown): void {
    if (this.#errored) return;
    this.#errored = true;
    this.onerror?.(event);
  }
}

describe("WebSocketTransport with a WebSocket that fires error without close (Node 22's undici)", () => {
  it("fails with CLIENT_ERROR naming the URL when nothing listens, without waiting for the connect timeout", async () => {
    const peer = await startEnvelopePeer();
    await peer.close();
    const transport = new WebSocketTransport({ url: peer.url, webSocket: ErrorWithoutClose });
    const started = Date.now();
    const error = await rejection(transport.open(coordinator, { ...sessionOptions, connectTimeoutMs: 10_000 }));
    expect(error.errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect(error.message).toContain(peer.url);
    expect(Date.now() - started).toBeLessThan(1500);
    transport.close();
  });

  it("fails requests in flight with a retriable NETWORK_EXCEPTION when an open link errors", async () => {
    const peer = await startEnvelopePeer();
    const transport = new WebSocketTransport({ url: peer.url, webSocket: ErrorWithoutClose });
    try {
      const opening = transport.open(coordinator, sessionOptions);
      const connection = await peer.nextConnection();
      await connection.next();
      connection.welcome();
      const session = await opening;
      const pending = session.request(apiVersions, 10_000);
      await connection.nextRequest();
      const started = Date.now();
      ErrorWithoutClose.made.at(-1)!.failNow();
      const error = await rejection(pending);
      expect(error.errorCode).toBe(ErrorCode.NETWORK_EXCEPTION);
      expect(error.isRetriable()).toBe(true);
      expect(error.message).toContain(peer.url);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(session.isOpen).toBe(false);
    } finally {
      transport.close();
      await peer.close();
    }
  });
});
