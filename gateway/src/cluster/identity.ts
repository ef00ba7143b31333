import { createHash } from "node:crypto";
import type { SaslCredentials } from "@fluss-edge/client/internal";

/**
 * Who a pooled cluster session authenticates as. Sessions are pooled per
 * identity: callers never share a session authenticated as someone else.
 */
export interface ClusterIdentity {
  /** Pool key. For callers it includes a hash of the password, so a wrong password never reuses a right one's sessions. */
  readonly key: string;
  /** For logs: a user name or `gateway`; never a secret. */
  readonly label: string;
  /** SASL/PLAIN credentials for the handshake; undefined for plaintext sessions. */
  readonly sasl: SaslCredentials | undefined;
}

/** The gateway's own identity, used for callers that bring no credentials. */
export function gatewayIdentity(sasl: { username: string; password: string } | undefined): ClusterIdentity {
  return {
    key: "gateway",
    label: sasl ? `gateway (${sasl.username})` : "gateway",
    sasl: sasl ? { mechanism: "PLAIN", username: sasl.username, password: sasl.password } : undefined,
  };
}

/** A caller's own SASL/PLAIN identity from HELLO. */
export function callerIdentity(username: string, password: string): ClusterIdentity {
  const digest = createHash("sha256").update(username, "utf8").update("\u0000").update(password, "utf8").digest("hex");
  return { key: `caller:${digest}`, label: username, sasl: { mechanism: "PLAIN", username, password } };
}
