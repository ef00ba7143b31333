import type { Config } from "../config/index.js";
import { FlussError } from "../errors/index.js";
import { DEFAULT_MAX_FRAME_BYTES } from "../wire/frame-decoder.js";
import { parseBootstrapServers, type ClusterClientOptions } from "./cluster-client.js";

/** Turns the user's Config into what the cluster client needs, validating combinations. */
export function clusterOptionsFrom(config: Config): ClusterClientOptions {
  const resolved = config.resolve();
  const sasl = resolved.securityProtocol === "SASL";
  if (sasl && (!resolved.saslUsername || !resolved.saslPassword)) {
    throw FlussError.client(
      "security.protocol is SASL but security.sasl.username or security.sasl.password is not set",
    );
  }
  // A fetch response can hold up to scanner.log.fetch.max-bytes of records plus framing.
  const maxFrameBytes = Math.max(DEFAULT_MAX_FRAME_BYTES, resolved.scannerLogFetchMaxBytes + 1024 * 1024);
  return {
    bootstrap: parseBootstrapServers(resolved.bootstrapServers),
    connectTimeoutMs: resolved.connectTimeoutMs,
    requestTimeoutMs: resolved.requestTimeoutMs,
    maxFrameBytes,
    sasl: sasl
      ? { mechanism: resolved.saslMechanism, username: resolved.saslUsername, password: resolved.saslPassword }
      : undefined,
  };
}
