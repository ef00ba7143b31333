import type { Socket } from "node:net";
import type { FlussError } from "../errors/index.js";
import type { Endpoint, OutboundRequest, SessionOptions, Transport, TransportSession } from "../transport/transport.js";
import { RequestCorrelator } from "../transport/request-correlator.js";
import { decodeResponseFrame, encodeRequestFrame, type ResponseFrame } from "../wire/frame.js";
import { connectSocket, FramedSocket, ReusedReads } from "./framed-socket.js";

/** Direct TCP to Fluss servers, for Node (and Bun/Deno's Node compatibility). */
export class TcpTransport implements Transport {
  readonly name = "tcp";

  async open(endpoint: Endpoint, options: SessionOptions): Promise<TransportSession> {
    // Reads go into one buffer per connection, and every frame is copied out of it once. The
    // default (a fresh 64 KiB buffer per read) makes as much garbage as a scan fetches, and the
    // fetch responses, spread over many reads, were copied into a frame buffer anyway. Measured
    // on a full scan of 1M rows (bench/edge-log-bench.ts, Node 20, 8 interleaved runs each):
    // client CPU 310 ms against 332 ms.
    const reads = new ReusedReads();
    const socket = await connectSocket(endpoint, options.connectTimeoutMs, reads);
    return new TcpSession(endpoint, socket, options.maxFrameBytes, reads);
  }
}

class TcpSession implements TransportSession {
  readonly endpoint: Endpoint;
  readonly #wire: FramedSocket;
  readonly #correlator: RequestCorrelator;
  #open = true;

  constructor(endpoint: Endpoint, socket: Socket, maxFrameBytes: number, reads: ReusedReads) {
    this.endpoint = endpoint;
    const address = `${endpoint.host}:${endpoint.port}`;
    this.#correlator = new RequestCorrelator(() => address, {
      reads: () => this.#wire.reads,
      onSilent: (reason) => this.#fail(this.#wire.lostError(reason)),
    });
    this.#wire = new FramedSocket(
      socket,
      { address, maxFrameBytes, reads },
      { onFrame: (payload) => this.#onFrame(payload), onFailure: (error) => this.#fail(error) },
    );
  }

  get isOpen(): boolean {
    return this.#open;
  }

  request(request: OutboundRequest, timeoutMs: number): Promise<ResponseFrame> {
    const { requestId, response } = this.#correlator.register(timeoutMs, request.apiKey);
    if (requestId >= 0) {
      this.#wire.write(encodeRequestFrame({ apiKey: request.apiKey, apiVersion: request.apiVersion, requestId }, request.body));
    }
    return response;
  }

  close(): void {
    this.#fail(this.#wire.lostError("connection closed by client"));
  }

  /** Throws on a malformed header: the framed socket then fails the session as bad data. */
  #onFrame(payload: Uint8Array): void {
    const frame = decodeResponseFrame(payload);
    // Server failures never get here: the framed socket ends the session on them.
    if (frame.kind !== "server-failure") this.#correlator.complete(frame);
  }

  #fail(error: FlussError): void {
    if (!this.#open) return;
    this.#open = false;
    this.#correlator.close(error);
    this.#wire.destroy();
  }
}
