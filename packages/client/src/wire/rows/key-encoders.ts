import { FlussError } from "../../errors/index.js";
import type { RowType } from "../../metadata/data-types.js";
import { CompactedKeyEncoder, type KeyEncoder } from "./compacted-key-encoder.js";
import { IcebergKeyEncoder, PaimonKeyEncoder } from "./lake-key-encoders.js";

/**
 * Picks the key encoder for a `table.datalake.format` value, as Java's `KeyEncoder.of`:
 * none or `lance` → {@link CompactedKeyEncoder}; `paimon` → {@link PaimonKeyEncoder};
 * `iceberg` → {@link IcebergKeyEncoder}.
 *
 * @param lakeFormat the property value (case-insensitive), or undefined
 */
export function keyEncoderOf(rowType: RowType, keyNames: readonly string[], lakeFormat?: string): KeyEncoder {
  const format = lakeFormat?.trim().toLowerCase() ?? "";
  switch (format) {
    case "":
    case "lance":
      return new CompactedKeyEncoder(rowType, keyNames);
    case "paimon":
      return new PaimonKeyEncoder(rowType, keyNames);
    case "iceberg":
      return new IcebergKeyEncoder(rowType, keyNames);
    default:
      throw FlussError.client(`Unsupported datalake format: ${lakeFormat ?? ""}.`);
  }
}
