import { ErrorCode, errorCodeName, isRetriableCode } from "./error-code.js";
import { EXCEPTION_NAMES } from "./exception-names.js";

/** Options accepted by the {@link FlussError} constructor. */
export interface FlussErrorOptions {
  /** The underlying failure, kept for debugging. */
  cause?: unknown;
  /** Overrides the retriable flag that the code implies. */
  retriable?: boolean;
  /** Overrides the exception class name implied by the code. */
  exceptionName?: string;
}

/**
 * The one error type of fluss-edge. Server failures carry Fluss's numeric
 * code; failures that happen in the client (bad arguments, unreachable
 * hosts, malformed bytes) carry {@link ErrorCode.CLIENT_ERROR}.
 *
 * @example
 * try { await admin.dropTable(path); }
 * catch (e) {
 *   if (e instanceof FlussError && e.errorCode === ErrorCode.TABLE_NOT_EXIST) { … }
 * }
 */
export class FlussError extends Error {
  override readonly name = "FlussError";
  /** Fluss error code (see {@link ErrorCode}); −2 for client-side failures. */
  readonly errorCode: number;
  /** The Fluss (Java) exception class for the code, e.g. `TableNotExistException`; undefined for CLIENT_ERROR and unknown codes. */
  readonly exceptionName: string | undefined;
  readonly #retriable: boolean;

  constructor(message: string, errorCode: number = ErrorCode.CLIENT_ERROR, options: FlussErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorCode = errorCode;
    this.exceptionName = options.exceptionName ?? EXCEPTION_NAMES.get(errorCode);
    this.#retriable =
      options.retriable ?? (errorCode !== ErrorCode.CLIENT_ERROR && isRetriableCode(errorCode));
  }

  /** Whether sending the same request again may succeed. */
  isRetriable(): boolean {
    return this.#retriable;
  }

  /** The constant name of {@link errorCode}, e.g. `TABLE_NOT_EXIST`. */
  get errorCodeName(): string {
    return errorCodeName(this.errorCode);
  }

  override toString(): string {
    return `FlussError [${this.errorCodeName}(${this.errorCode})]: ${this.message}`;
  }

  /** A client-side failure (code −2). */
  static client(message: string, cause?: unknown): FlussError {
    return new FlussError(message, ErrorCode.CLIENT_ERROR, cause === undefined ? {} : { cause });
  }

  /** Turns anything thrown into a FlussError; FlussErrors pass through unchanged. */
  static from(value: unknown, context?: string): FlussError {
    if (value instanceof FlussError) return value;
    const detail = value instanceof Error ? value.message : String(value);
    return FlussError.client(context ? `${context}: ${detail}` : detail, value);
  }
}
