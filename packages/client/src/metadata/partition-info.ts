import { FlussError } from "../errors/index.js";
import { toSafeNumber } from "./numbers.js";

/**
 * Separator between the values of a multi-level partition name
 * (`ResolvedPartitionSpec.PARTITION_SPEC_SEPARATOR`): `US$2024` for
 * partition keys `[region, year]`.
 */
export const PARTITION_SPEC_SEPARATOR = "$";

/** The fields of a `PbPartitionInfo` that {@link PartitionInfo.fromResponse} reads. */
export interface PartitionInfoResponse {
  readonly partitionId: number | bigint;
  readonly partitionSpec?: { readonly partitionKeyValues: readonly { readonly key: string; readonly value: string }[] } | undefined;
}

/**
 * A partition of a partitioned table. The name is made of the partition
 * values only (`"US"`, or `"US$2024"` for two partition keys), as pyfluss
 * shows it; `partitionSpec` keeps the key → value pairs when known.
 */
export class PartitionInfo {
  /** Cluster-wide partition id (int64 on the wire, a safe integer here). */
  readonly partitionId: number;
  readonly partitionName: string;
  /** Partition key → value, when the server sent the keys. */
  readonly partitionSpec: Readonly<Record<string, string>> | undefined;

  constructor(partitionId: number | bigint, partitionName: string, partitionSpec?: Readonly<Record<string, string>>) {
    if (typeof partitionName !== "string") throw FlussError.client("Partition name must be a string.");
    this.partitionId = toSafeNumber(partitionId, "Partition id");
    this.partitionName = partitionName;
    this.partitionSpec = partitionSpec === undefined ? undefined : Object.freeze({ ...partitionSpec });
  }

  /**
   * A PartitionInfo from the partition keys and values in table order
   * (`PbPartitionSpec`), naming it as Fluss does.
   */
  static fromSpec(partitionId: number | bigint, keys: readonly string[], values: readonly string[]): PartitionInfo {
    if (keys.length !== values.length) {
      throw FlussError.client(`Partition spec has ${keys.length} keys but ${values.length} values.`);
    }
    const spec: Record<string, string> = {};
    keys.forEach((k, i) => {
      spec[k] = values[i] as string;
    });
    return new PartitionInfo(partitionId, values.join(PARTITION_SPEC_SEPARATOR), spec);
  }

  /** A PartitionInfo from a `PbPartitionInfo` of ListPartitionInfos (keys and values in table order). */
  static fromResponse(info: PartitionInfoResponse): PartitionInfo {
    const pairs = info.partitionSpec?.partitionKeyValues;
    if (pairs === undefined) throw FlussError.client(`Partition ${String(info.partitionId)} came without a partition spec.`);
    return PartitionInfo.fromSpec(
      info.partitionId,
      pairs.map((kv) => kv.key),
      pairs.map((kv) => kv.value),
    );
  }

  toString(): string {
    return `PartitionInfo(partitionId=${this.partitionId}, partitionName='${this.partitionName}')`;
  }
}
