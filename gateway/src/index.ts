/**
 * @fluss-edge/gateway: the WebSocket relay between browsers/edge runtimes and
 * a Fluss cluster. See docs/gateway-protocol.md for the protocol and
 * gateway/README.md for running and configuring it.
 */
export { startGateway } from "./gateway.js";
export type { ClusterSasl, GatewayOptions, RunningGateway } from "./options.js";
export { jsonLogger, silentLogger, type GatewayLogger, type LogFields, type LogLevel } from "./logger.js";
export { loadGatewayConfig, type LoadedGatewayConfig } from "./config/load.js";
export { GATEWAY_NAME, GATEWAY_VERSION } from "./version.js";
