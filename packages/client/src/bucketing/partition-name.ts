import { FlussError } from "../errors/index.js";
import type { DataType, RowType } from "../metadata/data-types.js";
import {
  fieldOf,
  type RowInput,
  toBoolean,
  toBytes,
  toEpochDays,
  toInt64,
  toIntIn,
  toMillisOfDay,
  toNumber,
  toStringValue,
  toTimestampParts,
  type TimestampParts,
} from "../wire/rows/row-values.js";
import { javaLegacyDoubleToString, javaLegacyFloatToString } from "./java-legacy-number-format.js";
import { javaDoubleToString, javaFloatToString } from "./java-number-format.js";

/**
 * Partition names as the Java client derives them from a row (`PartitionGetter`,
 * `PartitionUtils.convertValueOfType`, `PartitionNameConverters`, `ResolvedPartitionSpec`):
 * each partition column's value turned into text, joined with `$` in partition-key order.
 *
 * | type | text | example |
 * | --- | --- | --- |
 * | CHAR, STRING | as is | `EU` |
 * | BOOLEAN | `true` / `false` | |
 * | TINYINT … BIGINT | decimal | `-32760` |
 * | BINARY, BYTES | lower-case hex | `1020304050ff` |
 * | DATE | `%04d-%02d-%02d` | `2025-05-27` |
 * | TIME | `HH-mm-ss_SSS` | `01-30-02_199` |
 * | FLOAT, DOUBLE | Java's toString with `.` → `_`; `NaN`, `Inf`, `-Inf` | `5_73`, `1_0E-5`, `1_09211558E11` |
 * | TIMESTAMP, TIMESTAMP_LTZ (UTC) | `yyyy-MM-dd-HH-mm-ss_` + nanos of the second without trailing zeros | `2025-05-31-03-42-35_428099988`, `2025-05-31-03-42-35_` |
 *
 * Other types cannot be partition keys.
 *
 * FLOAT/DOUBLE text depends on the Java version of the client that names the partition: Java
 * 8–18 print many values with more digits than Java 19+ (`1.09211558E11` vs `1.0921156E11`).
 * {@link JavaFloatFormat} picks one; the default, `"legacy"`, matches Java 8–18, on which Fluss
 * and its Java client run (Fluss's image is Java 17).
 */

/** Which Java's `Float/Double.toString` partition names follow: 8–18 (`legacy`) or 19+ (`shortest`). */
export type JavaFloatFormat = "legacy" | "shortest";

/** `ResolvedPartitionSpec.PARTITION_SPEC_SEPARATOR`. */
export const PARTITION_SPEC_SEPARATOR = "$";

const HEX = "0123456789abcdef";
const MS_PER_DAY = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Java `String.format("%0Nd", n)`: zero-padded to N characters including a minus sign. */
function javaPad(n: number, width: number): string {
  return n < 0 ? `-${String(-n).padStart(width - 1, "0")}` : String(n).padStart(width, "0");
}

/** Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** `PartitionNameConverters.dayToString`. */
export function dayToString(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${javaPad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** `PartitionNameConverters.milliToString` (TIME). */
export function milliToString(milli: number): string {
  const mod = (a: number, b: number) => ((a % b) + b) % b;
  const hour = Math.floor(milli / 3_600_000);
  const min = Math.floor(mod(milli, 3_600_000) / 60_000);
  const sec = Math.floor(mod(mod(milli, 3_600_000), 60_000) / 1000);
  return `${javaPad(hour, 2)}-${pad(min, 2)}-${pad(sec, 2)}_${pad(mod(milli, 1000), 3)}`;
}

/** `yyyy` of java.time: year of era (no era marker), 4 digits, `+` beyond 9999. */
function yearOfEra(year: number): string {
  const yoe = year <= 0 ? 1 - year : year;
  return yoe > 9999 ? `+${yoe}` : pad(yoe, 4);
}

/** `PartitionNameConverters.timestampToString` (TIMESTAMP and TIMESTAMP_LTZ, both in UTC). */
export function timestampToString(epochMillis: number | bigint, nanoOfMillisecond: number): string {
  const millis = Number(epochMillis);
  const days = Math.floor(millis / MS_PER_DAY);
  const msOfDay = millis - days * MS_PER_DAY;
  const [y, m, d] = civilFromDays(days);
  const hh = Math.floor(msOfDay / 3_600_000);
  const mm = Math.floor((msOfDay % 3_600_000) / 60_000);
  const ss = Math.floor((msOfDay % 60_000) / 1000);
  const nanoOfSecond = (msOfDay % 1000) * 1_000_000 + nanoOfMillisecond;
  const fraction = nanoOfSecond === 0 ? "" : pad(nanoOfSecond, 9).replace(/0+$/, "");
  return `${yearOfEra(y)}-${pad(m, 2)}-${pad(d, 2)}-${pad(hh, 2)}-${pad(mm, 2)}-${pad(ss, 2)}_${fraction}`;
}

function reformat(text: string): string {
  if (text === "NaN") return "NaN";
  if (text === "Infinity") return "Inf";
  if (text === "-Infinity") return "-Inf";
  return text.replaceAll(".", "_");
}

/** A partition value converter compiled for one column type. */
export type PartitionValueConverter = (value: unknown) => string;

/**
 * Compiles `PartitionUtils.convertValueOfType` for one partition column type.
 *
 * @param path the column named in error messages
 */
export function partitionValueConverter(
  type: DataType,
  path: string,
  floatFormat: JavaFloatFormat = "legacy",
): PartitionValueConverter {
  const floatText = floatFormat === "legacy" ? javaLegacyFloatToString : javaFloatToString;
  const doubleText = floatFormat === "legacy" ? javaLegacyDoubleToString : javaDoubleToString;
  switch (type.typeRoot) {
    case "CHAR":
    case "STRING":
      return (v) => toStringValue(v, path);
    case "BOOLEAN":
      return (v) => String(toBoolean(v, path));
    case "BINARY":
    case "BYTES":
      return (v) => {
        const b = toBytes(v, path, type.typeRoot === "BINARY" ? type.length : undefined);
        let s = "";
        for (let i = 0; i < b.length; i++) s += HEX[b[i]! >>> 4]! + HEX[b[i]! & 15]!;
        return s;
      };
    case "TINYINT":
      return (v) => String(toIntIn(v, -128, 127, path));
    case "SMALLINT":
      return (v) => String(toIntIn(v, -32768, 32767, path));
    case "INTEGER":
      return (v) => String(toIntIn(v, -0x80000000, 0x7fffffff, path));
    case "BIGINT":
      return (v) => String(toInt64(v, path));
    case "DATE":
      return (v) => dayToString(toEpochDays(v, path));
    case "TIME_WITHOUT_TIME_ZONE":
      return (v) => milliToString(toMillisOfDay(v, path));
    case "FLOAT":
      return (v) => reformat(floatText(toNumber(v, path)));
    case "DOUBLE":
      return (v) => reformat(doubleText(toNumber(v, path)));
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE": {
      const ts: TimestampParts = { millis: 0, nanos: 0 };
      return (v) => {
        toTimestampParts(v, path, ts);
        return timestampToString(ts.millis, ts.nanos);
      };
    }
    default:
      throw FlussError.client(`column '${path}' has type ${type.asSummaryString()}, which cannot be a partition key`);
  }
}

/** The partition value of one column as text (`PartitionUtils.convertValueOfType`). */
export function partitionValueToString(value: unknown, type: DataType, floatFormat: JavaFloatFormat = "legacy"): string {
  return partitionValueConverter(type, "partition value", floatFormat)(value);
}

/**
 * Derives the partition name of rows of a partitioned table (Java's `PartitionGetter`).
 *
 * @example
 * const getter = new PartitionNameGetter(rowType, ["region", "day"]);
 * getter.partitionName(["EU", 20235, 1]); // "EU$2025-05-27"
 */
export class PartitionNameGetter {
  readonly partitionKeys: readonly string[];
  readonly #indexes: number[];
  readonly #converters: PartitionValueConverter[];

  /**
   * @param floatFormat how FLOAT/DOUBLE partition values are printed (default: as Java 8–18)
   */
  constructor(rowType: RowType, partitionKeys: readonly string[], floatFormat: JavaFloatFormat = "legacy") {
    if (partitionKeys.length === 0) throw FlussError.client("A partitioned table needs at least one partition key.");
    this.partitionKeys = Object.freeze([...partitionKeys]);
    const types = rowType.getFieldTypes();
    this.#indexes = partitionKeys.map((key) => {
      const i = rowType.getFieldIndex(key);
      if (i < 0) throw FlussError.client(`The partition column ${key} is not in the row ${rowType.asSummaryString()}.`);
      return i;
    });
    this.#converters = this.#indexes.map((i, k) => partitionValueConverter(types[i]!, partitionKeys[k]!, floatFormat));
  }

  /** The partition name of `row` (an array of all columns in schema order, or an object keyed by column name). */
  partitionName(row: RowInput): string {
    let name = "";
    for (let k = 0; k < this.#indexes.length; k++) {
      const v = fieldOf(row, this.#indexes[k]!, this.partitionKeys[k]!);
      if (v === null || v === undefined) {
        throw FlussError.client(`partition column '${this.partitionKeys[k]!}' must not be null`);
      }
      name += (k === 0 ? "" : PARTITION_SPEC_SEPARATOR) + this.#converters[k]!(v);
    }
    return name;
  }
}

/** Joins partition values (already text) into a partition name (`ResolvedPartitionSpec#getPartitionName`). */
export function partitionNameOf(values: readonly string[]): string {
  return values.join(PARTITION_SPEC_SEPARATOR);
}
