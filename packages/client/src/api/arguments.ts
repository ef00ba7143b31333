import { FlussError } from "../errors/index.js";
import { TablePath } from "../metadata/index.js";

/**
 * Argument checks shared by the public API: bad input becomes a CLIENT_ERROR
 * naming the argument, before any request is sent.
 */
export function checkName(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0) throw FlussError.client(`${what} must be a non-empty string`);
  return value;
}

export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== "boolean") throw FlussError.client(`${what} must be a boolean, got ${typeof value}`);
  return value;
}

export function checkBucketIds(value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) throw FlussError.client("bucketIds must be a non-empty array of bucket ids");
  for (const id of value) {
    if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw FlussError.client(`invalid bucket id ${String(id)}`);
  }
  return value as number[];
}

export function checkPartitionSpec(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw FlussError.client("partition spec must be an object of partition key → value strings");
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw FlussError.client(`partition spec value for '${key}' must be a string`);
  }
  return value as Record<string, string>;
}

export function toPbTablePath(tablePath: unknown): { databaseName: string; tableName: string } {
  if (!(tablePath instanceof TablePath)) throw FlussError.client("expected a TablePath");
  return { databaseName: tablePath.databaseName, tableName: tablePath.tableName };
}

export function toPbPartitionSpec(spec: Record<string, string>): { partitionKeyValues: { key: string; value: string }[] } {
  return { partitionKeyValues: Object.entries(spec).map(([key, value]) => ({ key, value })) };
}
