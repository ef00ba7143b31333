/**
 * Client-layer building blocks for other fluss-edge packages
 * (`@fluss-edge/client/internal`), above all the gateway, which opens its own
 * pooled sessions to the cluster with the client's handshake (ApiVersions,
 * SASL/PLAIN) and learns the cluster's servers with the client's metadata
 * code. Node only (it pulls in the TCP transport). Not a public API: names
 * and signatures here may change with any release.
 */
export {
  ClusterClient,
  parseBootstrapServers,
  type ClusterClientOptions,
  type ClusterServer,
  type ClusterView,
} from "./client/cluster-client.js";
export {
  ServerConnection,
  ServerType,
  type SaslCredentials,
  type ServerConnectionOptions,
} from "./client/server-connection.js";
export { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from "./client/retry.js";
export {
  connectSocket,
  FramedSocket,
  ReusedReads,
  type FramedSocketFailure,
  type FramedSocketHandler,
  type FramedSocketOptions,
} from "./node/framed-socket.js";
export { TcpTransport } from "./node/tcp-transport.js";
export { RequestCorrelator, silenceReason, timedOutInSilence } from "./transport/request-correlator.js";
export type { Endpoint, OutboundRequest, SessionOptions, Transport, TransportSession } from "./transport/transport.js";
export {
  parseBoolean,
  parseByteSize,
  parseDurationMs,
  parseInteger,
  parseString,
  type RawConfigValue,
} from "./config/value-parsers.js";
export { CLIENT_NAME, CLIENT_VERSION } from "./version.js";
