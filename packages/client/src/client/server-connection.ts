import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { ErrorCode, FlussError } from "../errors/index.js";
import type { Endpoint, Transport, TransportSession } from "../transport/transport.js";
import { CLIENT_API_VERSIONS, ApiKey, apiKeyName, type ClientApiKey } from "../wire/api-keys.js";
import { API_MESSAGES, type RequestInit, type ResponseOf } from "../wire/api-messages.js";
import { errorFromResponseBody } from "../wire/error-response.js";
import type { RequestBody } from "../wire/frame.js";
import { encodeRequestBody } from "../wire/request-body.js";
import { CLIENT_NAME, CLIENT_VERSION } from "../version.js";

/** SASL credentials for one connection. */
export interface SaslCredentials {
  mechanism: "PLAIN";
  username: string;
  password: string;
}

/** What a server connection needs to open and to run requests. */
export interface ServerConnectionOptions {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxFrameBytes: number;
  sasl?: SaslCredentials | undefined;
}

/** Server types as ApiVersions reports them. */
export const ServerType = { COORDINATOR: 1, TABLET_SERVER: 2 } as const;

const RETRIABLE_AUTH_ATTEMPTS = 5;

/**
 * One authenticated session with one Fluss server: it sends ApiVersions
 * first, authenticates when SASL is configured, and then runs typed requests
 * at the highest version both sides speak.
 */
export class ServerConnection {
  readonly endpoint: Endpoint;
  readonly #session: TransportSession;
  readonly #options: ServerConnectionOptions;
  /** api key → highest version the server accepts, from ApiVersions. */
  #serverMaxVersions = new Map<number, { min: number; max: number }>();
  #serverType: number | undefined;

  private constructor(session: TransportSession, options: ServerConnectionOptions) {
    this.endpoint = session.endpoint;
    this.#session = session;
    this.#options = options;
  }

  /** Opens a session, negotiates versions and authenticates. */
  static async open(transport: Transport, endpoint: Endpoint, options: ServerConnectionOptions): Promise<ServerConnection> {
    const session = await transport.open(endpoint, {
      connectTimeoutMs: options.connectTimeoutMs,
      maxFrameBytes: options.maxFrameBytes,
    });
    const connection = new ServerConnection(session, options);
    // The handshake is part of connecting: bound it by the connect timeout as well.
    const handshakeTimeoutMs = Math.min(options.connectTimeoutMs, options.requestTimeoutMs);
    try {
      await connection.#negotiateVersions(handshakeTimeoutMs);
      if (options.sasl) await connection.#authenticate(options.sasl, handshakeTimeoutMs);
    } catch (error) {
      session.close();
      throw FlussError.from(error, `handshake with ${endpoint.host}:${endpoint.port}`);
    }
    return connection;
  }

  get isOpen(): boolean {
    return this.#session.isOpen;
  }

  /** The default timeout of {@link call}. */
  get requestTimeoutMs(): number {
    return this.#options.requestTimeoutMs;
  }

  /** 1 = coordinator, 2 = tablet server, when the server said so. */
  get serverType(): number | undefined {
    return this.#serverType;
  }

  /**
   * Sends one request and decodes its response. Error responses become
   * FlussErrors with the server's code; protocol faults are CLIENT_ERRORs.
   */
  async call<K extends ClientApiKey>(key: K, init: RequestInit<K>, timeoutMs?: number): Promise<ResponseOf<K>> {
    return this.#send(key, this.#versionFor(key), init, timeoutMs);
  }

  close(): void {
    this.#session.close();
  }

  async #send<K extends ClientApiKey>(key: K, version: number, init: RequestInit<K>, timeoutMs?: number): Promise<ResponseOf<K>> {
    const spec = API_MESSAGES[key];
    const responseSchema = spec.response as DescMessage;
    let body: RequestBody;
    try {
      body = encodeRequestBody(key, init);
    } catch (error) {
      // protobuf-es refuses to encode unset `required` fields; the server would drop such a request silently.
      throw FlussError.from(error, `cannot encode ${apiKeyName(key)} request`);
    }
    const frame = await this.#session.request(
      { apiKey: key, apiVersion: version, body },
      timeoutMs ?? this.#options.requestTimeoutMs,
    );
    const where = `${apiKeyName(key)} on ${this.endpoint.host}:${this.endpoint.port}`;
    if (frame.kind === "error") throw errorFromResponseBody(frame.body, where);
    try {
      return fromBinary(responseSchema, frame.body) as ResponseOf<K>;
    } catch (error) {
      throw FlussError.from(error, `malformed ${where} response`);
    }
  }

  #versionFor(key: ClientApiKey): number {
    const [clientMin, clientMax] = CLIENT_API_VERSIONS[key];
    const server = this.#serverMaxVersions.get(key);
    if (!server || server.max < clientMin || server.min > clientMax) {
      throw new FlussError(
        `server ${this.endpoint.host}:${this.endpoint.port} does not support ${apiKeyName(key)} ` +
          `versions ${clientMin}..${clientMax}` +
          (server ? ` (it speaks ${server.min}..${server.max})` : ""),
        ErrorCode.UNSUPPORTED_VERSION,
      );
    }
    return Math.min(clientMax, server.max);
  }

  async #negotiateVersions(timeoutMs: number): Promise<void> {
    const response = await this.#send(
      ApiKey.API_VERSIONS,
      0,
      { clientSoftwareName: CLIENT_NAME, clientSoftwareVersion: CLIENT_VERSION },
      timeoutMs,
    );
    for (const entry of response.apiVersions) {
      this.#serverMaxVersions.set(entry.apiKey, { min: entry.minVersion, max: entry.maxVersion });
    }
    this.#serverType = response.serverType;
  }

  async #authenticate(credentials: SaslCredentials, timeoutMs: number): Promise<void> {
    const encoder = new TextEncoder();
    // SASL/PLAIN initial response: authzid NUL authcid NUL password (empty authzid, as the Java client sends).
    const token = encoder.encode(`\u0000${credentials.username}\u0000${credentials.password}`);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#send(ApiKey.AUTHENTICATE, 0, { protocol: credentials.mechanism, token }, timeoutMs);
        // PLAIN completes in one round trip: the server answers with an empty challenge.
        return;
      } catch (error) {
        const retriable =
          error instanceof FlussError && error.errorCode === ErrorCode.RETRIABLE_AUTHENTICATE_EXCEPTION;
        if (!retriable || attempt >= RETRIABLE_AUTH_ATTEMPTS) throw error;
        await sleep(Math.min(5000, 100 * 2 ** (attempt - 1)));
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
