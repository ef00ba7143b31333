import { connect, type Socket } from "node:net";
import { ErrorCode, FlussError } from "../errors/index.js";
import type { Endpoint } from "../transport/transport.js";
import { errorFromResponseBody } from "../wire/error-response.js";
import { FrameDecoder, type FrameDecoderOptions } from "../wire/frame-decoder.js";
import { ResponseType } from "../wire/frame.js";

/**
 * Why a {@link FramedSocket} ended: the connection went away (socket error or
 * peer close), the server sent bytes that are no Fluss frame (or that the
 * frame handler rejected), or the server sent a connection-level failure.
 */
export type FramedSocketFailure = "lost" | "bad-data" | "server-failure";

/** What a {@link FramedSocket} reports to its owner. */
export interface FramedSocketHandler {
  /**
   * One complete response payload (length prefix stripped, server failures
   * excluded): a view into the received bytes, valid during the call only,
   * or, with {@link FramedSocketOptions.copy}, in a buffer of its own with
   * the spare bytes asked for before it. The handler may rewrite it in
   * place. A throw fails the socket as bad data.
   */
  onFrame(payload: Uint8Array): void;
  /** Called once when the socket ends on its own (never after {@link FramedSocket.destroy}). */
  onFailure(error: FlussError, failure: FramedSocketFailure): void;
}

export interface FramedSocketOptions {
  /** `host:port`, named in bad-data and server-failure errors. */
  address: string;
  /** Largest response payload accepted; a bigger length prefix fails the socket. */
  maxFrameBytes: number;
  /** How lost-connection errors name it: `${label} lost: ${reason}`. Default `connection to ${address}`. */
  label?: string;
  /** Every payload in a buffer of its own (see FrameDecoderOptions.copy); implied by `reads`. */
  copy?: FrameDecoderOptions["copy"];
  /**
   * Reads into one reused buffer ({@link ReusedReads}, set up by `connectSocket`)
   * instead of a new one per read; every payload is then copied out of it,
   * since the next read overwrites it.
   */
  reads?: ReusedReads;
}

/**
 * Socket reads into one buffer that every read reuses (Node's `onread`), for
 * a relay that copies each frame out anyway: the default is a new buffer per
 * read, i.e. as much garbage as traffic. Create one per socket and pass it
 * to both `connectSocket` and the {@link FramedSocket}.
 */
export class ReusedReads {
  readonly buffer: Uint8Array;
  /** Where chunks go; chunks arriving before it is set are kept (copied) until then. */
  #sink: ((chunk: Uint8Array) => void) | undefined;
  #early: Uint8Array[] = [];

  constructor(bytes = 256 * 1024) {
    this.buffer = new Uint8Array(bytes);
  }

  /** `onread` for net.connect. */
  get onread(): { buffer: Uint8Array; callback: (bytes: number, buffer: Uint8Array) => boolean } {
    return {
      buffer: this.buffer,
      callback: (bytes, buffer) => {
        const chunk = buffer.subarray(0, bytes);
        if (this.#sink) this.#sink(chunk);
        else this.#early.push(chunk.slice());
        return true; // keep reading (backpressure pauses the socket itself)
      },
    };
  }

  /** Starts delivering chunks (first those that arrived before). */
  attach(sink: (chunk: Uint8Array) => void): void {
    this.#sink = sink;
    const early = this.#early;
    this.#early = [];
    for (const chunk of early) sink(chunk);
  }
}

/**
 * Connects a TCP socket (no Nagle delay). Rejects with a CLIENT_ERROR naming
 * the address when the server is unreachable or does not accept in time.
 */
export function connectSocket(endpoint: Endpoint, timeoutMs: number, reads?: ReusedReads): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const address = `${endpoint.host}:${endpoint.port}`;
    const socket = connect({ host: endpoint.host, port: endpoint.port, noDelay: true, ...(reads ? { onread: reads.onread } : {}) });
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

/**
 * A connected socket to a Fluss server, cut into response frames: the one
 * piece of socket, framing and failure handling shared by the client's TCP
 * sessions and the gateway's relay sessions. It owns the socket and ends it
 * on the first failure, which it reports once.
 */
export class FramedSocket {
  readonly #socket: Socket;
  readonly #decoder: FrameDecoder;
  readonly #handler: FramedSocketHandler;
  readonly #address: string;
  readonly #label: string;
  #open = true;
  #reads = 0;

  constructor(socket: Socket, options: FramedSocketOptions, handler: FramedSocketHandler) {
    this.#socket = socket;
    const copy = options.copy ?? (options.reads ? {} : undefined);
    this.#decoder = new FrameDecoder(options.maxFrameBytes, copy ? { copy } : {});
    this.#handler = handler;
    this.#address = options.address;
    this.#label = options.label ?? `connection to ${options.address}`;
    if (options.reads) options.reads.attach((chunk) => this.#onData(chunk));
    // As plain Uint8Arrays: frames that lie inside one read are views of it, and a Node Buffer's
    // views are Buffers (another hidden class than the Uint8Arrays of assembled frames and of the
    // browser transports). Code over the bytes then met both kinds, and V8 threw its optimized
    // code away when a new one showed up (seen as "wrong map" deopts in the Arrow reader).
    else socket.on("data", (chunk: Buffer) => this.#onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on("error", (error) => this.#fail(this.lostError(error.message, error), "lost"));
    socket.on("close", () => this.#fail(this.lostError("connection closed by the server"), "lost"));
  }

  /** False once failed or destroyed. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** Sends bytes as they are (a complete frame, length prefix included); ignored once closed. */
  write(bytes: Uint8Array): void {
    if (this.#open) this.#socket.write(bytes);
  }

  /**
   * How many times bytes arrived from the server (each read, whole frame or
   * not): an owner that notes it when sending can tell later whether the
   * server has been silent since (the request correlator's `SilenceWatch`).
   * A pause or a resume counts too: while the owner does not read, silence
   * says nothing about the server.
   */
  get reads(): number {
    return this.#reads;
  }

  /** Whether reading is paused ({@link pause}). */
  get paused(): boolean {
    return this.#socket.isPaused();
  }

  /** Stops reading from the server (backpressure). */
  pause(): void {
    this.#reads++;
    this.#socket.pause();
  }

  /** Reads from the server again. */
  resume(): void {
    this.#reads++;
    if (this.#open) this.#socket.resume();
  }

  /** Ends the socket without reporting a failure (the owner is closing). */
  destroy(): void {
    this.#open = false;
    this.#socket.destroy();
  }

  /** A retriable NETWORK_EXCEPTION for this connection: `${label} lost: ${reason}`. */
  lostError(reason: string, cause?: unknown): FlussError {
    return new FlussError(`${this.#label} lost: ${reason}`, ErrorCode.NETWORK_EXCEPTION, { cause, retriable: true });
  }

  #onData(chunk: Uint8Array): void {
    this.#reads++;
    let payloads: Uint8Array[];
    try {
      payloads = this.#decoder.push(chunk);
    } catch (error) {
      this.#fail(FlussError.from(error, `bad data from ${this.#address}`), "bad-data");
      return;
    }
    for (const payload of payloads) {
      if (!this.#open) return;
      if (payload[0] === ResponseType.SERVER_FAILURE) {
        // Connection-level: names no request; the server closes the channel right after it.
        this.#fail(errorFromResponseBody(payload.subarray(1), `server failure from ${this.#address}`), "server-failure");
        return;
      }
      try {
        this.#handler.onFrame(payload);
      } catch (error) {
        this.#fail(FlussError.from(error, `bad data from ${this.#address}`), "bad-data");
        return;
      }
    }
  }

  #fail(error: FlussError, failure: FramedSocketFailure): void {
    if (!this.#open) return;
    this.destroy();
    this.#handler.onFailure(error, failure);
  }
}
