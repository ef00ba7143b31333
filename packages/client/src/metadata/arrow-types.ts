import {
  Binary,
  Bool,
  DataType as ArrowDataType,
  DateDay,
  DateUnit,
  Decimal,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Map_,
  Precision,
  Struct,
  TimeMicrosecond,
  TimeMillisecond,
  TimeNanosecond,
  TimeSecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  TimeUnit,
  Utf8,
} from "apache-arrow";
import { FlussError } from "../errors/index.js";
import { DataField, DataTypes, type DataType } from "./data-types.js";

/** Options for converting Fluss types to Arrow. */
export interface ToArrowOptions {
  /**
   * Time zone put on Arrow timestamps of TIMESTAMP_LTZ columns. Fluss's own
   * Arrow writer leaves it null (protocol.md §7), so the default is `null`,
   * which makes LTZ indistinguishable from TIMESTAMP in Arrow; pass `"UTC"`
   * to get a schema that {@link fromArrowField} maps back to TIMESTAMP_LTZ.
   */
  timestampLtzTimeZone?: string | null;
}

/** Arrow time unit for a TIME/TIMESTAMP precision, as Fluss's `ArrowUtils`: 0 → s, 1–3 → ms, 4–6 → µs, 7–9 → ns. */
function unitOf(precision: number): TimeUnit {
  if (precision === 0) return TimeUnit.SECOND;
  if (precision <= 3) return TimeUnit.MILLISECOND;
  if (precision <= 6) return TimeUnit.MICROSECOND;
  return TimeUnit.NANOSECOND;
}

function timestampOf(precision: number, tz: string | null): ArrowDataType {
  switch (unitOf(precision)) {
    case TimeUnit.SECOND:
      return new TimestampSecond(tz);
    case TimeUnit.MILLISECOND:
      return new TimestampMillisecond(tz);
    case TimeUnit.MICROSECOND:
      return new TimestampMicrosecond(tz);
    default:
      return new TimestampNanosecond(tz);
  }
}

function timeOf(precision: number): ArrowDataType {
  switch (unitOf(precision)) {
    case TimeUnit.SECOND:
      return new TimeSecond();
    case TimeUnit.MILLISECOND:
      return new TimeMillisecond();
    case TimeUnit.MICROSECOND:
      return new TimeMicrosecond();
    default:
      return new TimeNanosecond();
  }
}

/**
 * The Arrow field Fluss uses on the wire for a column of `type`
 * (`ArrowUtils.toArrowField` in Fluss 0.9): nullability from the Fluss type,
 * ARRAY → List with child `element`, MAP → Map (keys unsorted) of a NOT NULL
 * struct `entries` with `key` and `value`, ROW → Struct.
 */
export function toArrowField(name: string, type: DataType, options: ToArrowOptions = {}): Field {
  return new Field(name, toArrowType(type, options), type.isNullable);
}

/** The Arrow data type for a Fluss type (see {@link toArrowField}). */
export function toArrowType(type: DataType, options: ToArrowOptions = {}): ArrowDataType {
  switch (type.typeRoot) {
    case "BOOLEAN":
      return new Bool();
    case "TINYINT":
      return new Int8();
    case "SMALLINT":
      return new Int16();
    case "INTEGER":
      return new Int32();
    case "BIGINT":
      return new Int64();
    case "FLOAT":
      return new Float32();
    case "DOUBLE":
      return new Float64();
    case "CHAR":
    case "STRING":
      return new Utf8();
    case "BINARY":
      return new FixedSizeBinary(type.length);
    case "BYTES":
      return new Binary();
    case "DECIMAL":
      // arrow-js takes (scale, precision, bitWidth); Fluss always uses 128-bit decimals.
      return new Decimal(type.scale, type.precision, 128);
    case "DATE":
      return new DateDay();
    case "TIME_WITHOUT_TIME_ZONE":
      return timeOf(type.precision);
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
      return timestampOf(type.precision, null);
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
      return timestampOf(type.precision, options.timestampLtzTimeZone ?? null);
    case "ARRAY":
      return new List(toArrowField("element", type.elementType, options));
    case "MAP": {
      const entries = new Struct([
        toArrowField("key", type.keyType, options),
        toArrowField("value", type.valueType, options),
      ]);
      return new Map_(new Field("entries", entries, false), false);
    }
    case "ROW":
      return new Struct(type.fields.map((f) => toArrowField(f.name, f.type, options)));
  }
}

/**
 * The Fluss type for an Arrow field, following pyfluss (`from_arrow_field`
 * in fluss-rust): nullability comes from the Arrow field, recursively.
 * Throws a CLIENT_ERROR naming `path` (default: the field name) for Arrow
 * types Fluss cannot store.
 */
export function fromArrowField(field: Field, path: string = field.name): DataType {
  const type = fromArrowType(field.type, path);
  return field.nullable ? type : type.notNull();
}

function unsupported(path: string, type: ArrowDataType, why = ""): never {
  throw FlussError.client(`Field '${path}' has Arrow type ${String(type)} which Fluss does not support${why}.`);
}

function fromArrowType(type: ArrowDataType, path: string): DataType {
  if (ArrowDataType.isBool(type)) return DataTypes.boolean();
  if (ArrowDataType.isInt(type)) {
    // Fluss has no unsigned integers; mapping uint64 to BIGINT would silently corrupt large values.
    if (!type.isSigned) unsupported(path, type, " (no unsigned integers in Fluss)");
    switch (type.bitWidth) {
      case 8:
        return DataTypes.tinyint();
      case 16:
        return DataTypes.smallint();
      case 32:
        return DataTypes.int();
      default:
        return DataTypes.bigint();
    }
  }
  if (ArrowDataType.isFloat(type)) {
    if (type.precision === Precision.SINGLE) return DataTypes.float();
    if (type.precision === Precision.DOUBLE) return DataTypes.double();
    unsupported(path, type);
  }
  if (ArrowDataType.isUtf8(type) || ArrowDataType.isLargeUtf8(type)) return DataTypes.string();
  if (ArrowDataType.isBinary(type) || ArrowDataType.isLargeBinary(type)) return DataTypes.bytes();
  if (ArrowDataType.isFixedSizeBinary(type)) return withPath(path, () => DataTypes.binary(type.byteWidth));
  if (ArrowDataType.isDecimal(type)) {
    if (type.bitWidth !== 128) unsupported(path, type, " (only 128-bit decimals)");
    return withPath(path, () => DataTypes.decimal(type.precision, type.scale));
  }
  if (ArrowDataType.isDate(type)) {
    // date64 (ms) would need value conversion on write; pyfluss documents date32 only.
    if (type.unit !== DateUnit.DAY) unsupported(path, type, " (use date32)");
    return DataTypes.date();
  }
  if (ArrowDataType.isTime(type)) return DataTypes.time(precisionOf(type.unit));
  if (ArrowDataType.isTimestamp(type)) {
    const p = precisionOf(type.unit);
    return type.timezone != null ? DataTypes.timestampLtz(p) : DataTypes.timestamp(p);
  }
  if (ArrowDataType.isList(type)) {
    const child = type.children[0];
    if (child === undefined) unsupported(path, type, " (list without child)");
    return DataTypes.array(fromArrowField(child, `${path}.${child.name}`));
  }
  if (ArrowDataType.isMap(type)) {
    const entries = type.children[0]?.type;
    const key = entries?.children[0];
    const value = entries?.children[1];
    if (!ArrowDataType.isStruct(entries) || entries.children.length !== 2 || !key || !value) {
      unsupported(path, type, " (map entries must be a struct of key and value)");
    }
    return DataTypes.map(fromArrowField(key, `${path}.key`), fromArrowField(value, `${path}.value`));
  }
  if (ArrowDataType.isStruct(type)) {
    const fields = type.children.map((c) => new DataField(c.name, fromArrowField(c, `${path}.${c.name}`), comment(c)));
    return withPath(path, () => DataTypes.row(fields));
  }
  return unsupported(path, type);
}

/** The optional `comment` metadata entry of an Arrow field (pyfluss reads column comments from it). */
export function comment(field: Field): string | undefined {
  return field.metadata.get("comment");
}

function precisionOf(unit: TimeUnit): number {
  switch (unit) {
    case TimeUnit.SECOND:
      return 0;
    case TimeUnit.MILLISECOND:
      return 3;
    case TimeUnit.MICROSECOND:
      return 6;
    default:
      return 9;
  }
}

/** Prefixes a type validation error with the field path so users know which field is wrong. */
function withPath<T>(path: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof FlussError && !e.message.startsWith("Field '")) {
      throw FlussError.client(`Field '${path}': ${e.message}`, e);
    }
    throw e;
  }
}
