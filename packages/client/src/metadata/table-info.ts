import { FlussError } from "../errors/index.js";
import { decodeJson } from "./json-util.js";
import { toInt32, toSafeNumber } from "./numbers.js";
import type { RowType } from "./data-types.js";
import type { Schema } from "./schema.js";
import { TABLE_LOG_FORMAT, TableDescriptor, type LogFormat } from "./table-descriptor.js";
import { TablePath } from "./table-path.js";

/** The fields of a GetTableInfoResponse that {@link TableInfo.fromResponse} reads. */
export interface TableInfoResponse {
  readonly tableId: number | bigint;
  readonly schemaId: number | bigint;
  readonly tableJson: Uint8Array;
  readonly createdTime: number | bigint;
  readonly modifiedTime: number | bigint;
}

/**
 * A table as the server describes it (GetTableInfo): ids, times and the
 * stored descriptor. What the server stores differs from what was sent on
 * create: the coordinator fills `bucket_count` from `default.bucket.number`,
 * `table.replication.factor` from `default.replication.factor`, the default
 * bucket keys of primary-key tables and, for primary-key tables,
 * `table.kv.format-version`, so those always show up here.
 *
 * Ids and times are plain numbers; see {@link toSafeNumber} for why.
 */
export class TableInfo {
  readonly tablePath: TablePath;
  readonly tableId: number;
  readonly schemaId: number;
  /** Creation time, ms since the epoch. */
  readonly createdTime: number;
  /** Last modification time, ms since the epoch. */
  readonly modifiedTime: number;
  readonly numBuckets: number;
  readonly comment: string | undefined;
  readonly schema: Schema;
  readonly #descriptor: TableDescriptor;
  readonly #physicalPrimaryKeys: readonly string[];

  /**
   * @param descriptor the stored table description; it must carry a bucket
   *   count (Java's `TableInfo.of` requires one too).
   */
  constructor(
    tablePath: TablePath,
    tableId: number | bigint,
    schemaId: number | bigint,
    descriptor: TableDescriptor,
    createdTime: number | bigint,
    modifiedTime: number | bigint,
  ) {
    if (!(tablePath instanceof TablePath)) throw FlussError.client("TableInfo needs a TablePath.");
    if (!(descriptor instanceof TableDescriptor)) throw FlussError.client("TableInfo needs a TableDescriptor.");
    const numBuckets = descriptor.getBucketCount();
    if (numBuckets === undefined) {
      throw FlussError.client(`Table ${tablePath.toString()} has no bucket count; the server always sets one.`);
    }
    this.tablePath = tablePath;
    this.tableId = toSafeNumber(tableId, "Table id");
    this.schemaId = toInt32(schemaId, "Schema id");
    this.createdTime = toSafeNumber(createdTime, "Created time");
    this.modifiedTime = toSafeNumber(modifiedTime, "Modified time");
    this.numBuckets = numBuckets;
    this.comment = descriptor.comment;
    this.schema = descriptor.schema;
    this.#descriptor = descriptor;
    const partitionKeys = descriptor.partitionKeys;
    this.#physicalPrimaryKeys = Object.freeze(this.schema.getPrimaryKeys().filter((k) => !partitionKeys.includes(k)));
  }

  /**
   * Builds a TableInfo from the fields of a GetTableInfo response
   * (`table_json` as bytes or text; int64 fields as bigint or number).
   */
  static fromTableJson(
    tablePath: TablePath,
    tableId: number | bigint,
    schemaId: number | bigint,
    tableJson: Uint8Array | string,
    createdTime: number | bigint,
    modifiedTime: number | bigint,
  ): TableInfo {
    const descriptor = TableDescriptor.fromJson(decodeJson(tableJson, "table_json"));
    return new TableInfo(tablePath, tableId, schemaId, descriptor, createdTime, modifiedTime);
  }

  /** Builds a TableInfo from a GetTableInfo response message (int64 fields as bigint, as protobuf-es decodes them). */
  static fromResponse(tablePath: TablePath, response: TableInfoResponse): TableInfo {
    return TableInfo.fromTableJson(
      tablePath,
      response.tableId,
      response.schemaId,
      response.tableJson,
      response.createdTime,
      response.modifiedTime,
    );
  }

  /** Primary-key column names; empty for a log table. */
  getPrimaryKeys(): string[] {
    return this.schema.getPrimaryKeys();
  }

  /** Primary key without the partition keys: what identifies a row inside one partition. */
  getPhysicalPrimaryKeys(): string[] {
    return [...this.#physicalPrimaryKeys];
  }

  /** Bucket keys; empty when rows of a log table are spread without a key. */
  getBucketKeys(): string[] {
    return this.#descriptor.getBucketKeys();
  }

  /** Partition keys; empty when not partitioned. */
  getPartitionKeys(): string[] {
    return this.#descriptor.getPartitionKeys();
  }

  /** Whether the table has a primary key. */
  hasPrimaryKey(): boolean {
    return this.schema.primaryKey !== undefined;
  }

  /** Whether the table has bucket keys. */
  hasBucketKey(): boolean {
    return this.getBucketKeys().length > 0;
  }

  /** Whether the table is partitioned. */
  isPartitioned(): boolean {
    return this.#descriptor.isPartitioned();
  }

  /** Whether the bucket keys are the default ones (physical primary key, or none for a log table). */
  isDefaultBucketKey(): boolean {
    const keys = this.getBucketKeys();
    const expected = this.hasPrimaryKey() ? this.#physicalPrimaryKeys : [];
    return keys.length === expected.length && keys.every((k, i) => k === expected[i]);
  }

  /** A copy of the table properties. */
  getProperties(): Record<string, string> {
    return this.#descriptor.getProperties();
  }

  /**
   * The record format of the table's log batches (`table.log.format`; ARROW
   * when unset, the server's default). A CLIENT_ERROR for a value Fluss 0.9.1
   * does not have.
   */
  getLogFormat(): LogFormat {
    const format = this.#descriptor.getLogFormat();
    if (format !== undefined) return format;
    const raw = this.#descriptor.getProperties()[TABLE_LOG_FORMAT];
    if (raw === undefined) return "ARROW";
    throw FlussError.client(`table ${this.tablePath} has ${TABLE_LOG_FORMAT} = ${raw}, not a log format fluss-edge knows (ARROW, INDEXED, COMPACTED)`);
  }

  /** A copy of the custom properties. */
  getCustomProperties(): Record<string, string> {
    return this.#descriptor.getCustomProperties();
  }

  /** The schema. */
  getSchema(): Schema {
    return this.schema;
  }

  /** The columns as a ROW type. */
  getRowType(): RowType {
    return this.schema.getRowType();
  }

  /** Column names in order. */
  getColumnNames(): string[] {
    return this.schema.getColumnNames();
  }

  /** Number of columns. */
  getColumnCount(): number {
    return this.schema.columns.length;
  }

  /** The stored descriptor (with the bucket count), e.g. to re-create the table elsewhere. */
  toTableDescriptor(): TableDescriptor {
    return this.#descriptor;
  }

  /** A short description for logs. */
  toString(): string {
    return `TableInfo(tablePath=${this.tablePath.toString()}, tableId=${this.tableId}, schemaId=${this.schemaId}, numBuckets=${this.numBuckets})`;
  }
}
