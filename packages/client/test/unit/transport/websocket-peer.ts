/**
 * The far end of a WebSocket for unit tests of the gateway transport: a real
 * `ws` server that only moves envelope bytes as each test scripts it. It does
 * not relay to or stand in for Fluss: the only Fluss bytes it ever sends are
 * the ApiVersions answers captured from the real cluster
 * (test/fixtures/api-versions.json, see capture-api-versions.ts), with the
 * request id set to the one asked for, as the gateway rewrites ids.
 */
import { readFileSync } from "node:fs";
import { WebSocketServer, type WebSocket } from "ws";
import {
  decodeEnvelope,
  encodeEnvelope,
  EnvelopeType,
  GATEWAY_PROTOCOL_VERSION,
  GATEWAY_SUBPROTOCOL,
  type Envelope,
  type RequestEnvelope,
} from "../../../src/wire/gateway-envelope.js";
import { LENGTH_PREFIX_BYTES } from "../../../src/wire/frame.js";

const captured = JSON.parse(readFileSync(new URL("../../fixtures/api-versions.json", import.meta.url), "utf8")) as Record<string, string>;

/** One accepted WebSocket: what the client offered and sent, and ways to answer. */
export interface PeerConnection {
  readonly socket: WebSocket;
  /** Subprotocols the client offered. */
  readonly offered: string[];
  /** The next envelope the client sends (decoded). */
  next(): Promise<Envelope>;
  /** The next envelope, which must be a REQUEST. */
  nextRequest(): Promise<RequestEnvelope>;
  send(envelope: Envelope): void;
  sendBytes(bytes: Uint8Array | string): void;
  /** WELCOME with the given limit and bootstrap list. */
  welcome(options?: { maxFrameBytes?: number; bootstrap?: { host: string; port: number }[] }): void;
  /** Answers `request` with the captured real ApiVersions response of `which` server, id rewritten. */
  answerWithCapturedApiVersions(request: RequestEnvelope, which?: "coordinator" | "tablet"): void;
  /** Drops the TCP connection without a close frame. */
  terminate(): void;
}

export interface EnvelopePeer {
  readonly url: string;
  readonly port: number;
  /** The next WebSocket a client opens. */
  nextConnection(): Promise<PeerConnection>;
  close(): Promise<void>;
}

/** A queue that hands out items in order, waiting for the next one when empty. */
class Queue<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((item: T) => void)[] = [];
  push(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }
  shift(): Promise<T> {
    const item = this.#items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

/** The captured ApiVersions response frame (length prefix included) with `requestId`. */
export function capturedApiVersionsFrame(requestId: number, which: "coordinator" | "tablet" = "coordinator"): Uint8Array {
  const payload = Buffer.from(captured[which]!, "hex");
  const frame = new Uint8Array(LENGTH_PREFIX_BYTES + payload.length);
  const view = new DataView(frame.buffer);
  view.setInt32(0, payload.length);
  frame.set(payload, LENGTH_PREFIX_BYTES);
  view.setInt32(LENGTH_PREFIX_BYTES + 1, requestId);
  return frame;
}

export async function startEnvelopePeer(port = 0): Promise<EnvelopePeer> {
  const server = new WebSocketServer({
    host: "127.0.0.1",
    port,
    handleProtocols: (protocols) => (protocols.has(GATEWAY_SUBPROTOCOL) ? GATEWAY_SUBPROTOCOL : false),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const connections = new Queue<PeerConnection>();
  server.on("connection", (socket, request) => {
    const messages = new Queue<Envelope>();
    socket.on("message", (data: Buffer) => messages.push(decodeEnvelope(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))));
    const offered = String(request.headers["sec-websocket-protocol"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const connection: PeerConnection = {
      socket,
      offered,
      next: () => messages.shift(),
      async nextRequest() {
        const envelope = await messages.shift();
        if (envelope.type !== EnvelopeType.REQUEST) throw new Error(`expected REQUEST, got type ${envelope.type}`);
        return envelope;
      },
      send: (envelope) => socket.send(encodeEnvelope(envelope)),
      sendBytes: (bytes) => socket.send(bytes),
      welcome(options = {}) {
        connection.send({
          type: EnvelopeType.WELCOME,
          version: GATEWAY_PROTOCOL_VERSION,
          maxFrameBytes: options.maxFrameBytes ?? 1 << 20,
          bootstrap: options.bootstrap ?? [{ host: "127.0.0.1", port: 9123 }],
          gateway: "envelope-peer",
        });
      },
      answerWithCapturedApiVersions(request, which = "coordinator") {
        const requestId = new DataView(request.frame.buffer, request.frame.byteOffset).getInt32(LENGTH_PREFIX_BYTES + 4);
        connection.send({ type: EnvelopeType.RESPONSE, frame: capturedApiVersionsFrame(requestId, which) });
      },
      terminate: () => socket.terminate(),
    };
    connections.push(connection);
  });
  return {
    url: `ws://127.0.0.1:${address.port}/fluss`,
    port: address.port,
    nextConnection: () => connections.shift(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
