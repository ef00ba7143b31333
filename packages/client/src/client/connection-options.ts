import type { Config } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import type { WebSocketTransportOptions } from "../transport/websocket-transport.js";
import { CLIENT_NAME, CLIENT_VERSION } from "../version.js";
import { DEFAULT_MAX_FRAME_BYTES } from "../wire/frame-decoder.js";
import { parseBootstrapServers, type ClusterClientOptions } from "./cluster-client.js";

/**
 * Turns the user's Config into what the cluster client needs, validating
 * combinations. With `gateway.url` set, `bootstrap` is left empty (the
 * gateway's WELCOME fills it) and `sasl` is unset: the credentials go to the
 * gateway in HELLO (see {@link gatewayOptionsFrom}), and the client must not
 * send Fluss `Authenticate` through the gateway.
 */
export function clusterOptionsFrom(config: Config): ClusterClientOptions {
  const resolved = config.resolve();
  const sasl = saslCredentialsFrom(config);
  // A fetch response can hold up to scanner.log.fetch.max-bytes of records plus framing.
  const maxFrameBytes = Math.max(DEFAULT_MAX_FRAME_BYTES, resolved.scannerLogFetchMaxBytes + 1024 * 1024);
  const viaGateway = resolved.gatewayUrl !== "";
  if (viaGateway && config.has("bootstrapServers")) {
    throw FlussError.client(
      "set either gateway.url or bootstrap.servers, not both: through a gateway, the gateway names the bootstrap servers",
    );
  }
  return {
    bootstrap: viaGateway ? [] : parseBootstrapServers(resolved.bootstrapServers),
    connectTimeoutMs: resolved.connectTimeoutMs,
    requestTimeoutMs: resolved.requestTimeoutMs,
    maxFrameBytes,
    sasl: sasl && !viaGateway ? { mechanism: resolved.saslMechanism, ...sasl } : undefined,
  };
}

/**
 * The gateway transport's options when `gateway.url` is set, else undefined:
 * the URL, the token and the SASL identity for HELLO, and a client name for
 * the gateway's logs.
 */
export function gatewayOptionsFrom(config: Config): WebSocketTransportOptions | undefined {
  const resolved = config.resolve();
  if (resolved.gatewayUrl === "") return undefined;
  const sasl = saslCredentialsFrom(config);
  const clientName = `${CLIENT_NAME}/${CLIENT_VERSION}` + (resolved.clientId ? ` (${resolved.clientId})` : "");
  return {
    url: resolved.gatewayUrl,
    token: resolved.gatewayToken,
    clientName,
    ...(sasl ? { sasl } : {}),
  };
}

/** The SASL/PLAIN identity when `security.protocol` is SASL; a CLIENT_ERROR when it is incomplete. */
function saslCredentialsFrom(config: Config): { username: string; password: string } | undefined {
  const resolved = config.resolve();
  if (resolved.securityProtocol !== "SASL") return undefined;
  if (!resolved.saslUsername || !resolved.saslPassword) {
    throw FlussError.client(
      "security.protocol is SASL but security.sasl.username or security.sasl.password is not set",
    );
  }
  return { username: resolved.saslUsername, password: resolved.saslPassword };
}
