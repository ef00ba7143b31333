export { ErrorCode, type ErrorCodeName, errorCodeName, isRetriableCode, STALE_METADATA_CODES } from "./error-code.js";
export { FlussError, type FlussErrorOptions } from "./fluss-error.js";
