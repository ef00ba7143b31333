import { FlussError } from "../errors/index.js";
import { CONFIG_KEYS, KEY_ALIASES, type ConfigKey, type ConfigKeyId, type ResolvedConfig } from "./config-keys.js";
import type { RawConfigValue } from "./value-parsers.js";

/** Keys as the user writes them, with their values. */
export type ConfigProperties = Readonly<Record<string, RawConfigValue>>;

const KEYS_BY_NAME: ReadonlyMap<string, [ConfigKeyId, ConfigKey<unknown>]> = new Map(
  (Object.entries(CONFIG_KEYS) as [ConfigKeyId, ConfigKey<unknown>][]).map(([id, def]) => [def.name, [id, def]]),
);

/** Finds the canonical key for a spelling: the official name, a `client.`-prefixed one, or a Java alias. */
function canonicalName(name: string): string | undefined {
  if (KEYS_BY_NAME.has(name)) return name;
  const alias = KEY_ALIASES[name];
  if (alias) return alias;
  if (name.startsWith("client.")) {
    const unprefixed = name.slice("client.".length);
    if (KEYS_BY_NAME.has(unprefixed)) return unprefixed;
  }
  return undefined;
}

/**
 * Client configuration, keyed like the official clients:
 * `new Config({"bootstrap.servers": "127.0.0.1:9123"})`. Unknown keys and
 * values of the wrong form throw a FlussError (CLIENT_ERROR) naming the key.
 * Secrets (the SASL password) never appear in messages or `toString()`.
 */
export class Config {
  readonly #values = new Map<ConfigKeyId, unknown>();

  constructor(properties: ConfigProperties = {}) {
    if (properties === null || typeof properties !== "object") {
      throw FlussError.client("Config expects an object of key/value properties");
    }
    for (const [name, value] of Object.entries(properties)) this.set(name, value);
  }

  /** Sets one key (any accepted spelling); returns `this` for chaining. */
  set(name: string, value: RawConfigValue): this {
    const canonical = canonicalName(name);
    const entry = canonical === undefined ? undefined : KEYS_BY_NAME.get(canonical);
    if (!entry) throw FlussError.client(`Unknown property: ${name}`);
    const [id, def] = entry;
    const valid = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    const parsed = valid ? def.parse(value) : undefined;
    if (parsed === undefined) {
      const shown = def.secret ? "(hidden)" : JSON.stringify(value);
      throw FlussError.client(`Invalid value ${shown} for property ${name}: expected ${def.expects}`);
    }
    this.#values.set(id, parsed);
    return this;
  }

  /** The parsed value of a key, or its default. */
  get<K extends ConfigKeyId>(id: K): ResolvedConfig[K] {
    return (this.#values.has(id) ? this.#values.get(id) : CONFIG_KEYS[id].defaultValue) as ResolvedConfig[K];
  }

  /** True when the key was set explicitly. */
  has(id: ConfigKeyId): boolean {
    return this.#values.has(id);
  }

  /** Every key with its effective value, for internal use. */
  resolve(): ResolvedConfig {
    const resolved = {} as Record<ConfigKeyId, unknown>;
    for (const id of Object.keys(CONFIG_KEYS) as ConfigKeyId[]) resolved[id] = this.get(id);
    return resolved as ResolvedConfig;
  }

  /** The explicitly set keys by their official names; secrets are redacted. */
  toJSON(): Record<string, string | number | boolean> {
    const out: Record<string, string | number | boolean> = {};
    for (const [id, value] of this.#values) {
      const def = CONFIG_KEYS[id];
      out[def.name] = def.secret ? "******" : (value as string | number | boolean);
    }
    return out;
  }

  toString(): string {
    return `Config(${JSON.stringify(this.toJSON())})`;
  }
}
