import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { FlussError } from "@fluss-edge/client/wire";
import { parse as parseYaml } from "yaml";

/** A config value as a file may hold it (after flattening). */
export type FileValue = string | number | boolean | null | FileValue[];

/**
 * Reads a gateway config file (`.json`, `.yaml` or `.yml`) into flat dotted
 * keys: nested mappings (`security: {sasl: {username: …}}`) and dotted keys
 * (`security.sasl.username: …`) mean the same. A file that cannot be read or
 * parsed is a CLIENT_ERROR naming it.
 */
export async function readConfigFile(path: string): Promise<Map<string, FileValue>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw FlussError.client(`cannot read gateway config file ${path}: ${(error as Error).message}`, error);
  }
  return parseConfigText(text, path);
}

/** Parses config text; the format follows the file extension. */
export function parseConfigText(text: string, path: string): Map<string, FileValue> {
  const extension = extname(path).toLowerCase();
  let document: unknown;
  try {
    if (extension === ".json") document = JSON.parse(text);
    else if (extension === ".yaml" || extension === ".yml") document = parseYaml(text);
    else throw new Error("the file name must end in .json, .yaml or .yml");
  } catch (error) {
    throw FlussError.client(`cannot parse gateway config file ${path}: ${(error as Error).message}`, error);
  }
  if (document === null || document === undefined) return new Map();
  if (!isMapping(document)) throw FlussError.client(`gateway config file ${path}: the top level must be a mapping of keys to values`);
  const flat = new Map<string, FileValue>();
  flatten(document, "", flat, path);
  return flat;
}

function flatten(mapping: Record<string, unknown>, prefix: string, into: Map<string, FileValue>, path: string): void {
  for (const [name, value] of Object.entries(mapping)) {
    const key = prefix + name;
    if (isMapping(value)) {
      flatten(value, `${key}.`, into, path);
      continue;
    }
    if (into.has(key)) throw FlussError.client(`gateway config file ${path}: key '${key}' is given twice`);
    if (!isFileValue(value)) throw FlussError.client(`gateway config file ${path}: key '${key}' has a value of an unsupported kind`);
    into.set(key, value);
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isFileValue(value: unknown): value is FileValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  return Array.isArray(value) && value.every(isFileValue);
}
