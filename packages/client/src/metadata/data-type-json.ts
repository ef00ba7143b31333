import {
  ArrayType,
  BigIntType,
  BinaryType,
  BooleanType,
  BytesType,
  CharType,
  DataField,
  DataTypeRoot,
  DateType,
  DecimalType,
  DoubleType,
  FloatType,
  IntType,
  LocalZonedTimestampType,
  MapType,
  RowType,
  SmallIntType,
  StringType,
  TimeType,
  TimestampType,
  TinyIntType,
  UNASSIGNED_FIELD_ID,
  type DataType,
  type DataTypeRootName,
} from "./data-types.js";
import { FlussError } from "../errors/index.js";
import { asObject, getArray, getString, optBoolean, optInt, optString, type JsonObject } from "./json-util.js";

/**
 * A data type as Fluss's `DataTypeJsonSerde` writes it. `nullable` is only
 * present (as `false`) for NOT NULL types.
 */
export interface DataTypeJson {
  type: DataTypeRootName;
  nullable?: boolean;
  /** CHAR / BINARY. */
  length?: number;
  /** DECIMAL / TIME / TIMESTAMP / TIMESTAMP_LTZ. */
  precision?: number;
  /** DECIMAL. */
  scale?: number;
  /** ARRAY. */
  element_type?: DataTypeJson;
  /** MAP. */
  key_type?: DataTypeJson;
  /** MAP. */
  value_type?: DataTypeJson;
  /** ROW. */
  fields?: DataFieldJson[];
}

/** One ROW field in Fluss's JSON. `field_id` is always written (−1 when unassigned). */
export interface DataFieldJson {
  name: string;
  field_type: DataTypeJson;
  description?: string;
  field_id: number;
}

/**
 * Writes `type` exactly as Java's `DataTypeJsonSerde.serialize` (same keys,
 * same order): `type`, `nullable: false` only when NOT NULL, then the
 * type's parameters; ROW fields carry `name`, `field_type`, `description`
 * (when present) and `field_id`.
 */
export function dataTypeToJson(type: DataType): DataTypeJson {
  const json: DataTypeJson = { type: type.typeRoot };
  if (!type.isNullable) json.nullable = false;
  switch (type.typeRoot) {
    case "CHAR":
    case "BINARY":
      json.length = type.length;
      break;
    case "DECIMAL":
      json.precision = type.precision;
      json.scale = type.scale;
      break;
    case "TIME_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
      json.precision = type.precision;
      break;
    case "ARRAY":
      json.element_type = dataTypeToJson(type.elementType);
      break;
    case "MAP":
      json.key_type = dataTypeToJson(type.keyType);
      json.value_type = dataTypeToJson(type.valueType);
      break;
    case "ROW":
      // Java writes `description` (when present) between `field_type` and `field_id`.
      json.fields = type.fields.map((f) =>
        f.description === undefined
          ? { name: f.name, field_type: dataTypeToJson(f.type), field_id: f.fieldId }
          : { name: f.name, field_type: dataTypeToJson(f.type), description: f.description, field_id: f.fieldId },
      );
      break;
    default:
      break;
  }
  return json;
}

/**
 * Reads a data type written by Fluss (`DataTypeJsonSerde`). Missing
 * `nullable` means nullable; missing ROW `field_id` means unassigned (−1).
 * Unknown type names and bad parameters throw a CLIENT_ERROR naming `path`.
 */
export function dataTypeFromJson(json: unknown, path = "data_type"): DataType {
  const node = asObject(json, path);
  const root = getString(node, "type", path);
  const nullable = optBoolean(node, "nullable", path) ?? true;
  try {
    return readRoot(node, root, path).copy(nullable);
  } catch (e) {
    if (e instanceof FlussError && e.message.startsWith("Malformed ")) throw e;
    throw FlussError.client(`Malformed ${path}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

function readRoot(node: JsonObject, root: string, path: string): DataType {
  // Parameters Java always writes; we fall back to Fluss's defaults when absent.
  const precision = (fallback: number) => optInt(node, "precision", path) ?? fallback;
  const length = () => optInt(node, "length", path) ?? 1;
  switch (root) {
    case DataTypeRoot.BOOLEAN:
      return new BooleanType();
    case DataTypeRoot.TINYINT:
      return new TinyIntType();
    case DataTypeRoot.SMALLINT:
      return new SmallIntType();
    case DataTypeRoot.INTEGER:
      return new IntType();
    case DataTypeRoot.BIGINT:
      return new BigIntType();
    case DataTypeRoot.FLOAT:
      return new FloatType();
    case DataTypeRoot.DOUBLE:
      return new DoubleType();
    case DataTypeRoot.DATE:
      return new DateType();
    case DataTypeRoot.STRING:
      return new StringType();
    case DataTypeRoot.BYTES:
      return new BytesType();
    case DataTypeRoot.CHAR:
      return new CharType(length());
    case DataTypeRoot.BINARY:
      return new BinaryType(length());
    case DataTypeRoot.DECIMAL:
      return new DecimalType(precision(DecimalType.DEFAULT_PRECISION), optInt(node, "scale", path) ?? 0);
    case DataTypeRoot.TIME_WITHOUT_TIME_ZONE:
      return new TimeType(precision(TimeType.DEFAULT_PRECISION));
    case DataTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE:
      return new TimestampType(precision(TimestampType.DEFAULT_PRECISION));
    case DataTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE:
      return new LocalZonedTimestampType(precision(LocalZonedTimestampType.DEFAULT_PRECISION));
    case DataTypeRoot.ARRAY:
      return new ArrayType(dataTypeFromJson(node["element_type"], `${path}.element_type`));
    case DataTypeRoot.MAP:
      return new MapType(
        dataTypeFromJson(node["key_type"], `${path}.key_type`),
        dataTypeFromJson(node["value_type"], `${path}.value_type`),
      );
    case DataTypeRoot.ROW:
      return new RowType(
        getArray(node, "fields", path).map((item, i) => {
          const fieldPath = `${path}.fields[${i}]`;
          const field = asObject(item, fieldPath);
          return new DataField(
            getString(field, "name", fieldPath),
            dataTypeFromJson(field["field_type"], `${fieldPath}.field_type`),
            optString(field, "description", fieldPath),
            optInt(field, "field_id", fieldPath) ?? UNASSIGNED_FIELD_ID,
          );
        }),
      );
    default:
      throw FlussError.client(`Malformed ${path}: unsupported data type '${root}'.`);
  }
}
