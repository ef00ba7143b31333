import { bucketKeyEncoderOf, createBucketAssigner, PartitionNameGetter, primaryKeyEncoderOf, type BucketAssigner } from "../bucketing/index.js";
import type { ClusterClient } from "../client/cluster-client.js";
import type { LookupClient } from "../client/lookup/lookup-client.js";
import { columnSources } from "../client/scan/schema-evolution.js";
import { SettledOnce } from "../client/settled-once.js";
import type { TableSchemas } from "../client/table-schemas.js";
import { lookUpPartitionId } from "../client/write/partition-ids.js";
import { keyIsBucketKey, kvFormatOf, primaryKeyRow } from "../client/write/kv-encoder.js";
import { ErrorCode, FlussError } from "../errors/index.js";
import { TableBucket, type TableInfo } from "../metadata/index.js";
import type { Row, RowInput, RowValue } from "../row/index.js";
import { CompactedRowDecoder, decodeValue, IndexedRowDecoder, type KeyEncoder } from "../wire/rows/index.js";

/** Reads one stored row (its bytes without the schema id) as the handle's row. */
type StoredRowReader = (row: Uint8Array) => Row;

/**
 * Looks rows of a primary-key table up by primary key
 * (`table.newLookup().createLookuper()`).
 *
 * @example
 * const lookuper = table.newLookup().createLookuper();
 * const row = await lookuper.lookup({ id: 1 });   // { id: 1, name: "a", … } or null
 *
 * Lookups made together (e.g. `Promise.all(ids.map((id) => lookuper.lookup({ id })))`)
 * share requests: one per tablet server, up to `lookup.max-batch-size` keys each.
 */
export class Lookuper {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #client: LookupClient;
  readonly #schemas: TableSchemas;
  readonly #keyEncoder: KeyEncoder;
  /** The bucket key's encoder where its bytes are not the key's (a custom bucket key). */
  readonly #bucketKeyEncoder: KeyEncoder | undefined;
  readonly #buckets: BucketAssigner;
  readonly #partitionNames: PartitionNameGetter | undefined;
  /** Partition ids by name, once known (a partition that does not exist is asked about again). */
  readonly #partitionIds = new SettledOnce<string, number>();
  /** Readers of stored rows by the schema id they were written with. */
  readonly #readers = new SettledOnce<number, StoredRowReader>();

  /** @internal Made by {@link TableLookup.createLookuper}. */
  constructor(cluster: ClusterClient, info: TableInfo, client: LookupClient, schemas: TableSchemas) {
    if (!info.hasPrimaryKey()) {
      throw FlussError.client(`table ${info.tablePath} has no primary key: lookups are for primary-key tables`);
    }
    this.#cluster = cluster;
    this.#info = info;
    this.#client = client;
    this.#schemas = schemas;
    this.#keyEncoder = primaryKeyEncoderOf(info);
    this.#bucketKeyEncoder = keyIsBucketKey(info) ? undefined : bucketKeyEncoderOf(info);
    this.#buckets = createBucketAssigner(info);
    this.#partitionNames = info.isPartitioned() ? new PartitionNameGetter(info.getRowType(), info.getPartitionKeys()) : undefined;
    kvFormatOf(info); // a table.kv.format it cannot read fails here, not at the first answer
  }

  /**
   * The row with this primary key, or null when there is none: the key as
   * an object with (at least) the primary-key columns, an array of the
   * primary-key values in the key's order, or a whole row in column order.
   * For a partitioned table the key includes the partition columns; a
   * partition that does not exist holds no row (null). A key that does not
   * fit the schema rejects with a CLIENT_ERROR naming the column.
   */
  async lookup(key: RowInput): Promise<Row | null> {
    const row = primaryKeyRow(this.#info, key, "a lookup key");
    // A copy: the encoder reuses its buffer, and other lookups encode while this one awaits its partition.
    const keyBytes = this.#keyEncoder.encodeKey(row).slice();
    const bucketId = this.#buckets.assignBucket(this.#bucketKeyEncoder ? this.#bucketKeyEncoder.encodeKey(row) : keyBytes);
    let partitionId: number | undefined;
    if (this.#partitionNames) {
      partitionId = await this.#partitionId(this.#partitionNames.partitionName(row));
      if (partitionId === undefined) return null;
    }
    const value = await this.#client.lookup(new TableBucket(this.#info.tableId, bucketId, partitionId), keyBytes);
    if (value === null) return null;
    const { schemaId, row: stored } = decodeValue(value);
    return (await this.#readerFor(schemaId))(stored);
  }

  /** The partition's id, or undefined when it does not exist. */
  async #partitionId(name: string): Promise<number | undefined> {
    try {
      return await this.#partitionIds.get(name, (partition) => lookUpPartitionId(this.#cluster, this.#info.tablePath, partition));
    } catch (error) {
      if (error instanceof FlussError && error.errorCode === ErrorCode.PARTITION_NOT_EXISTS) return undefined;
      throw error;
    }
  }

  /**
   * How rows written with schema `schemaId` read: decoded with that schema,
   * then mapped to the handle's by column id (columns added since read as
   * null), as the log scanners read older batches.
   */
  #readerFor(schemaId: number): Promise<StoredRowReader> {
    return this.#readers.get(schemaId, (id) => this.#makeReader(id));
  }

  async #makeReader(schemaId: number): Promise<StoredRowReader> {
    const written = await this.#schemas.get(schemaId);
    const rowType = written.schema.getRowType();
    const decoder = kvFormatOf(this.#info) === "INDEXED" ? new IndexedRowDecoder(rowType) : new CompactedRowDecoder(rowType);
    const names = this.#info.schema.getColumnNames();
    // The row decoders give each value as scans hand it out (bigint, FlussTimestamp, exact DECIMAL
    // text…; a unit test holds them to RowReader's), so a row is built straight from them.
    const sources = columnSources(written.schema, this.#info.schema);
    return (bytes) => {
      let values: unknown[];
      try {
        values = decoder.decode(bytes);
      } catch (error) {
        throw new FlussError(`cannot read the row the server returned: ${FlussError.from(error).message}`, ErrorCode.CORRUPT_RECORD_EXCEPTION);
      }
      const row: Row = {};
      for (let i = 0; i < names.length; i++) {
        const from = sources[i]!;
        row[names[i]!] = from < 0 ? null : (values[from] as RowValue);
      }
      return row;
    };
  }
}
