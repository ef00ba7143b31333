/**
 * The client's wire layer as one entry point (`@fluss-edge/client/wire`), for
 * code outside this package that speaks Fluss bytes — above all the
 * fluss-edge gateway, which relays frames with exactly these codecs instead
 * of keeping copies of its own. Nothing here touches a socket or a Node
 * built-in, so the entry is safe in every runtime.
 */
/** The one error type, which every codec here throws (CLIENT_ERROR for malformed bytes). */
export { ErrorCode, errorCodeName, FlussError, isRetriableCode } from "../errors/index.js";
export * from "./frame.js";
export * from "./frame-decoder.js";
export * from "./gateway-envelope.js";
export * from "./api-keys.js";
export * from "./api-messages.js";
export * from "./error-response.js";
export * as pb from "../gen/fluss/rpc_pb.js";
/**
 * The protobuf runtime the generated messages belong to. Re-exported so that
 * a package encoding or decoding bodies for tests or tools uses the very same
 * runtime instance (and version) as the client.
 */
export { create, fromBinary, toBinary } from "@bufbuild/protobuf";
