/** WebSocket close codes the gateway uses (see docs/gateway-protocol.md). */
export const CloseCode = {
  NORMAL: 1000,
  /** Gateway shutting down, or idle timeout. */
  GOING_AWAY: 1001,
  /** Malformed envelope, text message, REQUEST before HELLO, unsupported version. */
  PROTOCOL_ERROR: 1002,
  /** Bad token, wrong credentials, a caller too slow to read its responses. */
  POLICY_VIOLATION: 1008,
  /** Envelope larger than maxFrameBytes (sent by `ws` itself, from its `maxPayload`). */
  MESSAGE_TOO_BIG: 1009,
  /** The cluster cannot be reached right now. */
  TRY_AGAIN_LATER: 1013,
} as const;
