import type { RequestBody, ResponseFrame } from "../wire/frame.js";

/** A cluster server as the client knows it from Fluss metadata. */
export interface Endpoint {
  host: string;
  port: number;
}

/** One request as the client layer hands it to a transport; the session assigns the request id. */
export interface OutboundRequest {
  apiKey: number;
  apiVersion: number;
  /** The protobuf-encoded request body: one buffer, or pieces sent back to back. */
  body: RequestBody;
}

/** How a session is opened. */
export interface SessionOptions {
  /** Fail the open with CLIENT_ERROR when it takes longer than this. */
  connectTimeoutMs: number;
  /** Largest response frame accepted; larger ones fail the session before buffering. */
  maxFrameBytes: number;
}

/**
 * The seam between the protocol logic and the bytes: every runtime (Node TCP,
 * the gateway's WebSocket, later workerd/Deno sockets) implements this and
 * nothing above it changes.
 */
export interface Transport {
  /** Short name for messages and metrics, e.g. `tcp` or `websocket`. */
  readonly name: string;
  /**
   * Opens a session to one server. Rejects with a FlussError: CLIENT_ERROR
   * naming the address when it cannot be reached within the connect timeout.
   */
  open(endpoint: Endpoint, options: SessionOptions): Promise<TransportSession>;
}

/**
 * A pipelined request/response channel to one server. Many requests may be in
 * flight; responses are matched to requests by request id, in any order.
 */
export interface TransportSession {
  /** The server this session talks to. */
  readonly endpoint: Endpoint;
  /** False once the session has closed or failed; then every call rejects. */
  readonly isOpen: boolean;
  /**
   * Sends one request and resolves with its response frame (success or error
   * response; a server failure rejects). Rejects with REQUEST_TIME_OUT when no
   * answer arrives within `timeoutMs`, and with a retriable NETWORK_EXCEPTION
   * when the session drops first.
   */
  request(request: OutboundRequest, timeoutMs: number): Promise<ResponseFrame>;
  /** Closes the session; requests still in flight fail with a retriable error. */
  close(): void;
}
