/**
 * A deliberately thin WebSocket caller for the gateway's tests: it speaks
 * envelopes with the client's shared codec and nothing more (no retries, no
 * metadata logic), so that tests see exactly what the gateway sends.
 * Request bodies are encoded, and response bodies decoded, with the client's
 * own protobuf messages.
 */
import {
  API_MESSAGES,
  create,
  decodeEnvelope,
  decodeResponseFrame,
  encodeEnvelope,
  encodeRequestFrame,
  EnvelopeType,
  errorFromResponseBody,
  fromBinary,
  GATEWAY_PROTOCOL_VERSION,
  GATEWAY_SUBPROTOCOL,
  toBinary,
  type ClientApiKey,
  type Envelope,
  type ErrorEnvelope,
  type FlussError,
  type RequestInit,
  type ResponseOf,
  type WelcomeEnvelope,
} from "@fluss-edge/client/wire";
import { WebSocket } from "ws";

export interface ConnectOptions {
  origin?: string;
  /** Subprotocols to offer; default `fluss-edge.v1`. */
  protocols?: string[];
}

export interface HelloOptions {
  token?: string;
  saslUsername?: string;
  saslPassword?: string;
  version?: number;
}

/** How the WebSocket ended. */
export interface Closed {
  code: number;
  reason: string;
}

/** A refused upgrade: the HTTP status the gateway answered with. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

export class RawCaller {
  readonly ws: WebSocket;
  readonly closed: Promise<Closed>;
  /** Envelopes not yet taken by next() or a request waiter. */
  readonly #inbox: Envelope[] = [];
  #waiters: ((envelope: Envelope) => void)[] = [];
  /** Request id → waiters for its RESPONSE or ERROR, oldest first (a test may reuse an id on purpose). */
  readonly #byId = new Map<number, ((envelope: Envelope) => void)[]>();
  /** Connection-level ERRORs (request id −1) and anything not claimed by id. */
  readonly received: Envelope[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on("message", (data: Buffer, isBinary) => {
      if (!isBinary) throw new Error("the gateway sent a text message");
      const envelope = decodeEnvelope(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      this.received.push(envelope);
      const id = requestIdOf(envelope);
      const waiters = id === undefined ? undefined : this.#byId.get(id);
      const byId = waiters?.shift();
      if (byId) {
        if (waiters!.length === 0) this.#byId.delete(id!);
        byId(envelope);
        return;
      }
      const waiter = this.#waiters.shift();
      if (waiter) waiter(envelope);
      else this.#inbox.push(envelope);
    });
  }

  /** Opens the WebSocket; rejects with {@link UpgradeRefused} when the gateway answers the upgrade with an HTTP error. */
  static connect(url: string, options: ConnectOptions = {}): Promise<RawCaller> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options.protocols ?? [GATEWAY_SUBPROTOCOL], {
        ...(options.origin === undefined ? {} : { origin: options.origin }),
        perMessageDeflate: false,
      });
      ws.once("open", () => resolve(new RawCaller(ws)));
      ws.once("unexpected-response", (_request, response) => {
        response.resume();
        reject(new UpgradeRefused(response.statusCode ?? 0));
      });
      ws.once("error", reject);
    });
  }

  /** Connects and completes HELLO → WELCOME; throws when the answer is not WELCOME. */
  static async open(url: string, hello: HelloOptions = {}, options: ConnectOptions = {}): Promise<{ caller: RawCaller; welcome: WelcomeEnvelope }> {
    const caller = await RawCaller.connect(url, options);
    const answer = await caller.hello(hello);
    if (answer.type !== EnvelopeType.WELCOME) {
      caller.ws.terminate();
      throw new Error(`expected WELCOME, got ${JSON.stringify(answer)}`);
    }
    return { caller, welcome: answer };
  }

  /** Sends HELLO and returns the gateway's answer (WELCOME or ERROR). */
  hello(options: HelloOptions = {}): Promise<Envelope> {
    this.ws.send(
      encodeEnvelope({
        type: EnvelopeType.HELLO,
        version: options.version ?? GATEWAY_PROTOCOL_VERSION,
        token: options.token ?? "",
        saslUsername: options.saslUsername ?? "",
        saslPassword: options.saslPassword ?? "",
        clientName: "gateway-test",
      }),
    );
    return this.next();
  }

  /** The next envelope not claimed by a request id. */
  next(): Promise<Envelope> {
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Sends a REQUEST carrying a typed Fluss request; resolves with its RESPONSE or ERROR envelope. */
  send<K extends ClientApiKey>(
    target: { host: string; port: number },
    apiKey: K,
    requestId: number,
    init: RequestInit<K>,
    apiVersion = 0,
  ): Promise<Envelope> {
    const schema = API_MESSAGES[apiKey].request;
    const body = toBinary(schema, create(schema, init as never));
    return this.sendFrame(target, encodeRequestFrame({ apiKey, apiVersion, requestId }, body), requestId);
  }

  /** Sends a REQUEST with a prepared Fluss frame; resolves with the envelope answering `requestId`. */
  sendFrame(target: { host: string; port: number }, frame: Uint8Array, requestId: number): Promise<Envelope> {
    const answered = new Promise<Envelope>((resolve) => {
      const waiters = this.#byId.get(requestId);
      if (waiters) waiters.push(resolve);
      else this.#byId.set(requestId, [resolve]);
    });
    this.ws.send(encodeEnvelope({ type: EnvelopeType.REQUEST, host: target.host, port: target.port, frame }));
    return answered;
  }

  /** Sends a typed request and decodes a success RESPONSE with the client's protobuf messages; throws on anything else. */
  async call<K extends ClientApiKey>(target: { host: string; port: number }, apiKey: K, requestId: number, init: RequestInit<K>): Promise<ResponseOf<K>> {
    return decodeResponse(apiKey, requestId, await this.send(target, apiKey, requestId, init));
  }

  close(): Promise<Closed> {
    this.ws.close(1000);
    return this.closed;
  }
}

/** Decodes a success RESPONSE for `apiKey`, checking that it answers `requestId`. */
export function decodeResponse<K extends ClientApiKey>(apiKey: K, requestId: number, envelope: Envelope): ResponseOf<K> {
  if (envelope.type !== EnvelopeType.RESPONSE) throw new Error(`expected RESPONSE, got ${JSON.stringify(envelope)}`);
  const frame = decodeResponseFrame(envelope.frame.subarray(4));
  if (frame.kind !== "success") {
    throw frame.kind === "error" ? errorFromResponseBody(frame.body, "test") : new Error("server failure");
  }
  if (frame.requestId !== requestId) throw new Error(`response carries request id ${frame.requestId}, expected ${requestId}`);
  return fromBinary(API_MESSAGES[apiKey].response, frame.body) as ResponseOf<K>;
}

/** The FlussError of an error RESPONSE (a Fluss error response relayed unchanged). */
export function errorOfResponse(envelope: Envelope, requestId: number): FlussError {
  if (envelope.type !== EnvelopeType.RESPONSE) throw new Error(`expected RESPONSE, got ${JSON.stringify(envelope)}`);
  const frame = decodeResponseFrame(envelope.frame.subarray(4));
  if (frame.kind !== "error") throw new Error(`expected an error response, got ${frame.kind}`);
  if (frame.requestId !== requestId) throw new Error(`response carries request id ${frame.requestId}, expected ${requestId}`);
  return errorFromResponseBody(frame.body, "test");
}

/** Narrows to an ERROR envelope or throws. */
export function asError(envelope: Envelope): ErrorEnvelope {
  if (envelope.type !== EnvelopeType.ERROR) throw new Error(`expected ERROR, got ${JSON.stringify(envelope)}`);
  return envelope;
}

function requestIdOf(envelope: Envelope): number | undefined {
  if (envelope.type === EnvelopeType.ERROR) return envelope.requestId >= 0 ? envelope.requestId : undefined;
  if (envelope.type === EnvelopeType.RESPONSE) {
    const frame = decodeResponseFrame(envelope.frame.subarray(4));
    return frame.kind === "server-failure" ? undefined : frame.requestId;
  }
  return undefined;
}
