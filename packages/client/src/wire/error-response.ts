import { fromBinary } from "@bufbuild/protobuf";
import { FlussError, errorCodeName } from "../errors/index.js";
import { ErrorResponseSchema } from "../gen/fluss/rpc_pb.js";

/**
 * Turns the `ErrorResponse` body of an error response or a server failure
 * into a FlussError carrying the server's code. The server leaves the message
 * out when it would only repeat the code's default text, so the code's name
 * stands in for it then.
 */
export function errorFromResponseBody(body: Uint8Array, context: string): FlussError {
  let code: number;
  let message: string | undefined;
  try {
    const decoded = fromBinary(ErrorResponseSchema, body);
    code = decoded.errorCode;
    message = decoded.errorMessage;
  } catch (cause) {
    return FlussError.client(`${context}: undecodable error response from server`, cause);
  }
  return new FlussError(message || `server error ${errorCodeName(code)}`, code);
}
