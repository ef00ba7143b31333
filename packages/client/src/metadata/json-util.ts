import { FlussError } from "../errors/index.js";

/**
 * Internal helpers to read the JSON documents Fluss puts in protobuf `bytes`
 * fields. The bytes come from a server, so every accessor checks the shape
 * and reports the JSON path of anything unexpected as a CLIENT_ERROR
 * (a malformed reply is a failure detected in the client).
 */

/** A parsed JSON object. */
export type JsonObject = { readonly [key: string]: unknown };

const encoder = new TextEncoder();

/** UTF-8 bytes of `JSON.stringify(value)`; key order is the insertion order, which we keep equal to Java's. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Parses UTF-8 JSON bytes (or an already decoded string) named `what` in error messages. */
export function decodeJson(input: Uint8Array | string, what: string): unknown {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else if (input instanceof Uint8Array) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch (e) {
      throw FlussError.client(`Malformed ${what}: not valid UTF-8.`, e);
    }
  } else {
    throw FlussError.client(`${what} must be a Uint8Array or a string.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw FlussError.client(`Malformed ${what}: ${e instanceof Error ? e.message : String(e)}.`, e);
  }
}

/** Throws the CLIENT_ERROR for a value at `path` that is not what was expected. */
export function malformed(path: string, expected: string): never {
  throw FlussError.client(`Malformed ${path}: expected ${expected}.`);
}

/** `value` as a JSON object. */
export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) malformed(path, "an object");
  return value as JsonObject;
}

/** A required string member. */
export function getString(obj: JsonObject, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== "string") malformed(`${path}.${key}`, "a string");
  return v;
}

/** An optional string member (absent or null → undefined). */
export function optString(obj: JsonObject, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") malformed(`${path}.${key}`, "a string");
  return v;
}

/** A required 32-bit integer member. */
export function getInt(obj: JsonObject, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isInteger(v)) malformed(`${path}.${key}`, "an integer");
  return v;
}

/** An optional integer member (absent or null → undefined). */
export function optInt(obj: JsonObject, key: string, path: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  return getInt(obj, key, path);
}

/** An optional boolean member (absent or null → undefined). */
export function optBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") malformed(`${path}.${key}`, "a boolean");
  return v;
}

/** A required array member. */
export function getArray(obj: JsonObject, key: string, path: string): readonly unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) malformed(`${path}.${key}`, "an array");
  return v;
}

/** An optional array of strings (absent or null → undefined). */
export function optStringArray(obj: JsonObject, key: string, path: string): string[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) malformed(`${path}.${key}`, "an array of strings");
  return v.map((item, i) => {
    if (typeof item !== "string") malformed(`${path}.${key}[${i}]`, "a string");
    return item;
  });
}

/**
 * A string-to-string map (absent or null → empty). Scalar values are turned
 * into text the way Jackson's `asText()` does on the Java side.
 */
export function stringMap(obj: JsonObject, key: string, path: string): Record<string, string> {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  const map = asObject(v, `${path}.${key}`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(map)) {
    if (typeof value === "string") out[k] = value;
    else if (typeof value === "number" || typeof value === "boolean") out[k] = String(value);
    else malformed(`${path}.${key}.${k}`, "a string");
  }
  return out;
}

/** Checks a user-supplied string map and returns a copy; names the bad entry on failure. */
export function checkStringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Map) {
    throw FlussError.client(`${what} must be a plain object of string values.`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw FlussError.client(`${what} '${k}' must be a string, got ${typeof v}.`);
    out[k] = v;
  }
  return out;
}

/** Checks a user-supplied list of names and returns a copy. */
export function checkNameList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw FlussError.client(`${what} must be an array of column names.`);
  return value.map((v, i) => {
    if (typeof v !== "string") throw FlussError.client(`${what}[${i}] must be a string, got ${typeof v}.`);
    return v;
  });
}
