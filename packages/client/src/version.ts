/** Sent to servers in ApiVersions; servers log it. Keep in step with package.json. */
export const CLIENT_NAME = "fluss-edge";
export const CLIENT_VERSION = "0.1.0";
