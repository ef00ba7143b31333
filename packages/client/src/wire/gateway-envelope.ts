import { FlussError } from "../errors/index.js";
import { LENGTH_PREFIX_BYTES } from "./frame.js";

/**
 * The fluss-edge gateway envelope (protocol version 1), shared by the client's
 * WebSocket transport and the gateway so that neither has its own copy. One
 * WebSocket binary message carries one envelope; the first byte is its type.
 * Integers are big-endian, strings UTF-8 behind a u16 length. Fluss frames
 * travel inside as they are, length prefix included. See
 * docs/gateway-protocol.md for the rules around these bytes.
 */
export const GATEWAY_PROTOCOL_VERSION = 1;

/** WebSocket subprotocol naming this envelope format. */
export const GATEWAY_SUBPROTOCOL = "fluss-edge.v1";

/** Prefix of the optional second subprotocol entry that carries a bearer token (base64url). */
export const GATEWAY_TOKEN_SUBPROTOCOL_PREFIX = "fluss-edge.bearer.";

export const EnvelopeType = {
  /** client → gateway, first message: protocol version, token, SASL identity. */
  HELLO: 0x01,
  /** gateway → client, answer to HELLO: limits and the cluster's bootstrap servers. */
  WELCOME: 0x02,
  /** client → gateway: target server + one Fluss request frame. */
  REQUEST: 0x03,
  /** gateway → client: one Fluss response frame. */
  RESPONSE: 0x04,
  /** gateway → client: a failure at the gateway, for one request or (request id −1) the whole connection. */
  ERROR: 0x05,
} as const;

/** Request id used by connection-level ERROR envelopes. */
export const CONNECTION_ERROR_REQUEST_ID = -1;

export interface HelloEnvelope {
  type: typeof EnvelopeType.HELLO;
  version: number;
  /** Static bearer token; empty when none. */
  token: string;
  /** SASL/PLAIN identity for the caller's own cluster sessions; empty username when none. */
  saslUsername: string;
  saslPassword: string;
  /** Free-form client name for the gateway's logs, e.g. `fluss-edge/0.1.0`. */
  clientName: string;
}

export interface WelcomeEnvelope {
  type: typeof EnvelopeType.WELCOME;
  version: number;
  /** Largest envelope the gateway accepts from this client. */
  maxFrameBytes: number;
  /** Where the client sends its first metadata request. */
  bootstrap: { host: string; port: number }[];
  /** Gateway name and version, for diagnostics. */
  gateway: string;
}

export interface RequestEnvelope {
  type: typeof EnvelopeType.REQUEST;
  host: string;
  port: number;
  /** The complete Fluss request frame, length prefix included (a view into the envelope). */
  frame: Uint8Array;
}

export interface ResponseEnvelope {
  type: typeof EnvelopeType.RESPONSE;
  /** The complete Fluss response frame, length prefix included (a view into the envelope). */
  frame: Uint8Array;
}

export interface ErrorEnvelope {
  type: typeof EnvelopeType.ERROR;
  /** The client's request id, or −1 when the whole connection failed. */
  requestId: number;
  errorCode: number;
  retriable: boolean;
  message: string;
}

export type Envelope = HelloEnvelope | WelcomeEnvelope | RequestEnvelope | ResponseEnvelope | ErrorEnvelope;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes any envelope. The gateway builds RESPONSE in place in front of the frame instead (no copy). */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const writer = new ByteWriter();
  writer.u8(envelope.type);
  switch (envelope.type) {
    case EnvelopeType.HELLO:
      writer.u8(envelope.version);
      writer.string(envelope.token);
      writer.string(envelope.saslUsername);
      writer.string(envelope.saslPassword);
      writer.string(envelope.clientName);
      break;
    case EnvelopeType.WELCOME:
      writer.u8(envelope.version);
      writer.u32(envelope.maxFrameBytes);
      writer.u16(envelope.bootstrap.length);
      for (const server of envelope.bootstrap) {
        writer.string(server.host);
        writer.u16(server.port);
      }
      writer.string(envelope.gateway);
      break;
    case EnvelopeType.REQUEST:
      writer.string(envelope.host);
      writer.u16(envelope.port);
      writer.bytes(envelope.frame);
      break;
    case EnvelopeType.RESPONSE:
      writer.bytes(envelope.frame);
      break;
    case EnvelopeType.ERROR:
      writer.i32(envelope.requestId);
      writer.i32(envelope.errorCode);
      writer.u8(envelope.retriable ? 1 : 0);
      writer.bytes(encoder.encode(envelope.message));
      break;
  }
  return writer.finish();
}

/**
 * Decodes one envelope. Frames are returned as views, not copies. Malformed
 * input — unknown type, truncated fields, a Fluss frame whose length prefix
 * disagrees with the bytes present — throws a CLIENT_ERROR FlussError.
 */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const reader = new ByteReader(bytes);
  const type = reader.u8();
  switch (type) {
    case EnvelopeType.HELLO:
      return {
        type,
        version: reader.u8(),
        token: reader.string(),
        saslUsername: reader.string(),
        saslPassword: reader.string(),
        clientName: reader.string(),
      };
    case EnvelopeType.WELCOME: {
      const version = reader.u8();
      const maxFrameBytes = reader.u32();
      const count = reader.u16();
      const bootstrap: { host: string; port: number }[] = [];
      for (let i = 0; i < count; i++) bootstrap.push({ host: reader.string(), port: reader.u16() });
      return { type, version, maxFrameBytes, bootstrap, gateway: reader.string() };
    }
    case EnvelopeType.REQUEST: {
      const host = reader.string();
      const port = reader.u16();
      return { type, host, port, frame: checkedFrame(reader.rest(), "request") };
    }
    case EnvelopeType.RESPONSE:
      return { type, frame: checkedFrame(reader.rest(), "response") };
    case EnvelopeType.ERROR:
      return {
        type,
        requestId: reader.i32(),
        errorCode: reader.i32(),
        retriable: reader.u8() === 1,
        message: reader.utf8(reader.rest()),
      };
    default:
      throw FlussError.client(`malformed gateway envelope: unknown type ${type}`);
  }
}

/** The Fluss frame must be exactly its length prefix plus that many bytes. */
function checkedFrame(frame: Uint8Array, what: string): Uint8Array {
  if (frame.length < LENGTH_PREFIX_BYTES) throw FlussError.client(`malformed gateway ${what}: no Fluss frame`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const declared = view.getInt32(0);
  if (declared !== frame.length - LENGTH_PREFIX_BYTES) {
    throw FlussError.client(
      `malformed gateway ${what}: Fluss frame declares ${declared} bytes but carries ${frame.length - LENGTH_PREFIX_BYTES}`,
    );
  }
  return frame;
}

class ByteWriter {
  #buffer = new Uint8Array(64);
  #view = new DataView(this.#buffer.buffer);
  #length = 0;

  u8(value: number): void {
    this.#reserve(1);
    this.#view.setUint8(this.#length, value);
    this.#length += 1;
  }

  u16(value: number): void {
    this.#reserve(2);
    this.#view.setUint16(this.#length, value);
    this.#length += 2;
  }

  u32(value: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#length, value);
    this.#length += 4;
  }

  i32(value: number): void {
    this.#reserve(4);
    this.#view.setInt32(this.#length, value);
    this.#length += 4;
  }

  string(value: string): void {
    const encoded = encoder.encode(value);
    if (encoded.length > 0xffff) throw FlussError.client("gateway envelope string longer than 65535 bytes");
    this.u16(encoded.length);
    this.bytes(encoded);
  }

  bytes(value: Uint8Array): void {
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
  }

  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + extra));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}

class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    this.#need(1);
    return this.#view.getUint8(this.#offset++);
  }

  u16(): number {
    this.#need(2);
    const value = this.#view.getUint16(this.#offset);
    this.#offset += 2;
    return value;
  }

  u32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.#offset);
    this.#offset += 4;
    return value;
  }

  i32(): number {
    this.#need(4);
    const value = this.#view.getInt32(this.#offset);
    this.#offset += 4;
    return value;
  }

  string(): string {
    const length = this.u16();
    this.#need(length);
    const value = this.utf8(this.#bytes.subarray(this.#offset, this.#offset + length));
    this.#offset += length;
    return value;
  }

  rest(): Uint8Array {
    const rest = this.#bytes.subarray(this.#offset);
    this.#offset = this.#bytes.length;
    return rest;
  }

  utf8(bytes: Uint8Array): string {
    try {
      return decoder.decode(bytes);
    } catch (cause) {
      throw FlussError.client("malformed gateway envelope: invalid UTF-8", cause);
    }
  }

  #need(count: number): void {
    if (this.#offset + count > this.#bytes.length) throw FlussError.client("malformed gateway envelope: truncated");
  }
}
