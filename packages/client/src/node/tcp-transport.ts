import { connect, type Socket } from "node:net";
import { ErrorCode, FlussError } from "../errors/index.js";
import type { Endpoint, OutboundRequest, SessionOptions, Transport, TransportSession } from "../transport/transport.js";
import { RequestCorrelator } from "../transport/request-correlator.js";
import { errorFromResponseBody } from "../wire/error-response.js";
import { decodeResponseFrame, encodeRequestFrame, type ResponseFrame } from "../wire/frame.js";
import { FrameDecoder } from "../wire/frame-decoder.js";

/** Direct TCP to Fluss servers, for Node (and Bun/Deno's Node compatibility). */
export class TcpTransport implements Transport {
  readonly name = "tcp";

  open(endpoint: Endpoint, options: SessionOptions): Promise<TransportSession> {
    return new Promise((resolve, reject) => {
      const address = `${endpoint.host}:${endpoint.port}`;
      const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(FlussError.client(`could not connect to ${address} within ${options.connectTimeoutMs} ms`));
      }, options.connectTimeoutMs);
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const reason = error.code === "ECONNREFUSED" ? "connection refused" : error.message;
        reject(FlussError.client(`cannot connect to ${address}: ${reason}`, error));
      };
      socket.once("error", onError);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.off("error", onError);
        resolve(new TcpSession(endpoint, socket, options.maxFrameBytes));
      });
    });
  }
}

class TcpSession implements TransportSession {
  readonly endpoint: Endpoint;
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #correlator: RequestCorrelator;
  #open = true;

  constructor(endpoint: Endpoint, socket: Socket, maxFrameBytes: number) {
    this.endpoint = endpoint;
    this.#socket = socket;
    this.#decoder = new FrameDecoder(maxFrameBytes);
    this.#correlator = new RequestCorrelator(() => `${endpoint.host}:${endpoint.port}`);
    socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    socket.on("error", (error) => this.#fail(this.#dropped(error.message, error)));
    socket.on("close", () => this.#fail(this.#dropped("connection closed by peer")));
  }

  get isOpen(): boolean {
    return this.#open;
  }

  request(request: OutboundRequest, timeoutMs: number): Promise<ResponseFrame> {
    const { requestId, response } = this.#correlator.register(timeoutMs, request.apiKey);
    if (requestId >= 0) {
      this.#socket.write(encodeRequestFrame({ apiKey: request.apiKey, apiVersion: request.apiVersion, requestId }, request.body));
    }
    return response;
  }

  close(): void {
    this.#fail(this.#dropped("connection closed by client"));
  }

  #onData(chunk: Buffer): void {
    let payloads: Uint8Array[];
    try {
      payloads = this.#decoder.push(chunk);
    } catch (error) {
      this.#fail(FlussError.from(error, `bad data from ${this.#address()}`));
      return;
    }
    for (const payload of payloads) {
      let frame: ResponseFrame;
      try {
        frame = decodeResponseFrame(payload);
      } catch (error) {
        this.#fail(FlussError.from(error, `bad data from ${this.#address()}`));
        return;
      }
      if (frame.kind === "server-failure") {
        // Connection-level: the server closes the channel right after it.
        this.#fail(errorFromResponseBody(frame.body, `server failure from ${this.#address()}`));
        return;
      }
      this.#correlator.complete(frame);
    }
  }

  #fail(error: FlussError): void {
    if (!this.#open) return;
    this.#open = false;
    this.#correlator.close(error);
    this.#socket.destroy();
  }

  #dropped(reason: string, cause?: unknown): FlussError {
    return new FlussError(`connection to ${this.#address()} lost: ${reason}`, ErrorCode.NETWORK_EXCEPTION, {
      cause,
      retriable: true,
    });
  }

  #address(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }
}
