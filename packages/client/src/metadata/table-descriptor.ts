import { FlussError } from "../errors/index.js";
import {
  asObject,
  checkNameList,
  checkStringMap,
  decodeJson,
  encodeJson,
  optInt,
  optString,
  optStringArray,
  stringMap,
} from "./json-util.js";
import { Schema, type SchemaJson } from "./schema.js";

/** Table property holding the log format (`ConfigOptions.TABLE_LOG_FORMAT`). */
export const TABLE_LOG_FORMAT = "table.log.format";
/** Table property holding the KV format (`ConfigOptions.TABLE_KV_FORMAT`). */
export const TABLE_KV_FORMAT = "table.kv.format";

/** Log record batch format of a table, spelled as Fluss's `LogFormat` enum (ARROW is the default). */
export type LogFormat = "ARROW" | "INDEXED" | "COMPACTED";
/** KV format of a primary-key table, spelled as Fluss's `KvFormat` enum (COMPACTED is the default). */
export type KvFormat = "COMPACTED" | "INDEXED";

const LOG_FORMATS: readonly LogFormat[] = ["ARROW", "INDEXED", "COMPACTED"];
const KV_FORMATS: readonly KvFormat[] = ["COMPACTED", "INDEXED"];

/** Options of the {@link TableDescriptor} constructor (pyfluss's keyword arguments, camelCased). */
export interface TableDescriptorOptions {
  /** Partition columns; for a primary-key table they must belong to the primary key. */
  partitionKeys?: readonly string[];
  /** Number of buckets; when absent the server uses its `default.bucket.number`. */
  bucketCount?: number;
  /** Bucket columns; a primary-key table defaults to the primary key minus the partition keys. */
  bucketKeys?: readonly string[];
  /** Fluss table options such as `table.replication.factor`, all as strings. */
  properties?: Readonly<Record<string, string>>;
  /** User properties Fluss stores without interpreting them. */
  customProperties?: Readonly<Record<string, string>>;
  /** Table comment. */
  comment?: string;
  /** Sets the `table.log.format` property (case-insensitive, stored upper case). */
  logFormat?: LogFormat | Lowercase<LogFormat>;
  /** Sets the `table.kv.format` property (case-insensitive, stored upper case). */
  kvFormat?: KvFormat | Lowercase<KvFormat>;
}

/** How rows are spread over buckets; `bucketCount` may be left to the server. */
export interface TableDistribution {
  readonly bucketCount: number | undefined;
  readonly bucketKeys: readonly string[];
}

/** A table description as `TableDescriptorJsonSerde` writes it (`table_json`). */
export interface TableDescriptorJson {
  version: number;
  schema: SchemaJson;
  comment?: string;
  partition_key: string[];
  bucket_key?: string[];
  bucket_count?: number;
  properties: Record<string, string>;
  custom_properties: Record<string, string>;
}

function normalizeFormat<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const upper = typeof value === "string" ? value.toUpperCase() : "";
  const found = allowed.find((f) => f === upper);
  if (found === undefined) {
    throw FlussError.client(`Unsupported ${what}: ${String(value)} (expected one of ${allowed.join(", ")}).`);
  }
  return found;
}

/**
 * Everything needed to create a table: schema, partitioning, bucketing,
 * properties and comment — Java's `TableDescriptor`, validated the same way
 * (partition/bucket keys exist; bucket keys exclude partition keys; for
 * primary-key tables partition keys and bucket keys lie inside the primary
 * key and bucket keys default to the primary key minus the partition keys).
 *
 * @example
 * const descriptor = new TableDescriptor(schema, {
 *   partitionKeys: ["dt"],
 *   bucketCount: 4,
 *   properties: { "table.replication.factor": "1" },
 *   logFormat: "ARROW",
 * });
 * await admin.createTable(path, descriptor);
 */
export class TableDescriptor {
  readonly schema: Schema;
  readonly comment: string | undefined;
  readonly partitionKeys: readonly string[];
  /** `undefined` for a log table that leaves bucketing to the server. */
  readonly tableDistribution: TableDistribution | undefined;
  readonly #properties: Record<string, string>;
  readonly #customProperties: Record<string, string>;

  constructor(schema: Schema, options: TableDescriptorOptions = {}) {
    if (!(schema instanceof Schema)) throw FlussError.client("TableDescriptor needs a Schema.");
    const partitionKeys = checkNameList(options.partitionKeys, "Partition keys");
    const properties = checkStringMap(options.properties, "Table property");
    const customProperties = checkStringMap(options.customProperties, "Custom property");
    // The format options win over the same keys in `properties`, as in Java's builder when called last.
    if (options.logFormat !== undefined) {
      properties[TABLE_LOG_FORMAT] = normalizeFormat(options.logFormat, LOG_FORMATS, "log format");
    }
    if (options.kvFormat !== undefined) {
      properties[TABLE_KV_FORMAT] = normalizeFormat(options.kvFormat, KV_FORMATS, "kv format");
    }
    if (options.comment !== undefined && typeof options.comment !== "string") {
      throw FlussError.client("Table comment must be a string.");
    }
    const bucketCount = options.bucketCount;
    if (bucketCount !== undefined && (!Number.isInteger(bucketCount) || bucketCount < 1 || bucketCount > 2147483647)) {
      throw FlussError.client(`Bucket count must be a positive integer, got ${String(bucketCount)}.`);
    }
    const distribution =
      bucketCount !== undefined || options.bucketKeys !== undefined
        ? { bucketCount, bucketKeys: checkNameList(options.bucketKeys, "Bucket keys") }
        : undefined;

    this.schema = schema;
    this.comment = options.comment;
    this.partitionKeys = Object.freeze(partitionKeys);
    this.tableDistribution = TableDescriptor.#normalizeDistribution(schema, partitionKeys, distribution);
    this.#properties = properties;
    this.#customProperties = customProperties;

    const columns = schema.getColumnNames();
    const pk = schema.primaryKey;
    for (const key of partitionKeys) {
      if (pk !== undefined && !pk.includes(key)) {
        throw FlussError.client(
          `Partitioned Primary Key Table requires partition key ${key} to be part of the primary key [${pk.join(", ")}].`,
        );
      }
      if (!columns.includes(key)) throw FlussError.client(`Partition key '${key}' does not exist in the schema.`);
    }
    for (const key of this.tableDistribution?.bucketKeys ?? []) {
      if (!columns.includes(key)) throw FlussError.client(`Bucket key '${key}' does not exist in the schema.`);
    }
  }

  /** Java's `normalizeDistribution`: checks bucket keys and fills the default ones of primary-key tables. */
  static #normalizeDistribution(
    schema: Schema,
    partitionKeys: readonly string[],
    origin: TableDistribution | undefined,
  ): TableDistribution | undefined {
    const pk = schema.primaryKey;
    const distribution = (bucketCount: number | undefined, bucketKeys: readonly string[]): TableDistribution =>
      Object.freeze({ bucketCount, bucketKeys: Object.freeze([...bucketKeys]) });
    if (origin === undefined) {
      return pk === undefined ? undefined : distribution(undefined, defaultBucketKeys(schema, partitionKeys));
    }
    const clash = origin.bucketKeys.filter((k) => partitionKeys.includes(k));
    if (clash.length > 0) {
      throw FlussError.client(
        `Bucket key ${clash.join(", ")} shouldn't include any column in partition keys [${partitionKeys.join(", ")}].`,
      );
    }
    if (pk === undefined) return distribution(origin.bucketCount, origin.bucketKeys);
    if (origin.bucketKeys.length === 0) return distribution(origin.bucketCount, defaultBucketKeys(schema, partitionKeys));
    const outside = origin.bucketKeys.filter((k) => !pk.includes(k));
    if (outside.length > 0) {
      throw FlussError.client(
        `Bucket keys must be a subset of primary keys excluding partition keys for primary-key tables. ` +
          `The primary keys are [${pk.join(", ")}], the partition keys are [${partitionKeys.join(", ")}], ` +
          `but bucket key(s) ${outside.join(", ")} are not primary keys.`,
      );
    }
    return distribution(origin.bucketCount, origin.bucketKeys);
  }

  /** Reads `table_json` bytes (or text). */
  static fromJsonBytes(bytes: Uint8Array | string): TableDescriptor {
    return TableDescriptor.fromJson(decodeJson(bytes, "table_json"));
  }

  /**
   * Reads a parsed `table_json` object as `TableDescriptorJsonSerde`.
   * Absent `comment`, `partition_key`, `bucket_key`, `bucket_count`,
   * `properties` and `custom_properties` are treated as empty.
   */
  static fromJson(json: unknown, path = "table_json"): TableDescriptor {
    const node = asObject(json, path);
    const schema = Schema.fromJson(node["schema"], `${path}.schema`);
    const hasDistribution = node["bucket_key"] != null || node["bucket_count"] != null;
    const bucketCount = optInt(node, "bucket_count", path);
    const options: TableDescriptorOptions = {
      partitionKeys: optStringArray(node, "partition_key", path) ?? [],
      properties: stringMap(node, "properties", path),
      customProperties: stringMap(node, "custom_properties", path),
    };
    const comment = optString(node, "comment", path);
    if (comment !== undefined) options.comment = comment;
    if (hasDistribution) options.bucketKeys = optStringArray(node, "bucket_key", path) ?? [];
    if (bucketCount !== undefined) options.bucketCount = bucketCount;
    return new TableDescriptor(schema, options);
  }

  /** The `table_json` object `TableDescriptorJsonSerde` writes for CreateTable (same keys, same order). */
  toJson(): TableDescriptorJson {
    const d = this.tableDistribution;
    return {
      version: 1,
      schema: this.schema.toJson(),
      ...(this.comment === undefined ? {} : { comment: this.comment }),
      partition_key: [...this.partitionKeys],
      ...(d === undefined ? {} : { bucket_key: [...d.bucketKeys] }),
      ...(d?.bucketCount === undefined ? {} : { bucket_count: d.bucketCount }),
      properties: { ...this.#properties },
      custom_properties: { ...this.#customProperties },
    };
  }

  /** UTF-8 `table_json` bytes for `CreateTableRequest.table_json`. */
  toJsonBytes(): Uint8Array {
    return encodeJson(this.toJson());
  }

  /** The schema (pyfluss's `get_schema()`). */
  getSchema(): Schema {
    return this.schema;
  }

  /** Partition keys; empty when not partitioned. */
  getPartitionKeys(): string[] {
    return [...this.partitionKeys];
  }

  /** Bucket keys; empty for a log table without bucket keys. */
  getBucketKeys(): string[] {
    return [...(this.tableDistribution?.bucketKeys ?? [])];
  }

  /** Bucket count, or `undefined` when the server is to choose. */
  getBucketCount(): number | undefined {
    return this.tableDistribution?.bucketCount;
  }

  /** Whether the schema has a primary key. */
  hasPrimaryKey(): boolean {
    return this.schema.primaryKey !== undefined;
  }

  /** Whether the table is partitioned. */
  isPartitioned(): boolean {
    return this.partitionKeys.length > 0;
  }

  /** A copy of the table properties (incl. `table.log.format` / `table.kv.format` when set). */
  getProperties(): Record<string, string> {
    return { ...this.#properties };
  }

  /** A copy of the custom properties. */
  getCustomProperties(): Record<string, string> {
    return { ...this.#customProperties };
  }

  /** The log format set in the properties, or `undefined` (the server default ARROW applies). */
  getLogFormat(): LogFormat | undefined {
    const v = this.#properties[TABLE_LOG_FORMAT];
    return v === undefined ? undefined : LOG_FORMATS.find((f) => f === v.toUpperCase());
  }

  /** The KV format set in the properties, or `undefined` (the server default COMPACTED applies). */
  getKvFormat(): KvFormat | undefined {
    const v = this.#properties[TABLE_KV_FORMAT];
    return v === undefined ? undefined : KV_FORMATS.find((f) => f === v.toUpperCase());
  }
}

/** Primary key minus partition keys (Java's `defaultBucketKeyOfPrimaryKeyTable`). */
function defaultBucketKeys(schema: Schema, partitionKeys: readonly string[]): readonly string[] {
  const pk = schema.getPrimaryKeys();
  const keys = pk.filter((k) => !partitionKeys.includes(k));
  if (keys.length === 0) {
    throw FlussError.client(
      `Primary key [${pk.join(", ")}] must not be the same as the partition keys [${partitionKeys.join(", ")}]: ` +
        "no column is left for bucketing.",
    );
  }
  return Object.freeze(keys);
}
