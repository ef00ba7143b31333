/** Reported in WELCOME and logs. Keep in step with package.json. */
export const GATEWAY_NAME = "fluss-edge-gateway";
export const GATEWAY_VERSION = "0.1.0";
