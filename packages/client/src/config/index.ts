export { Config, type ConfigProperties } from "./config.js";
export type { ResolvedConfig } from "./config-keys.js";
export type { RawConfigValue } from "./value-parsers.js";
