import type { DataType } from "./data-types.js";

/**
 * A type as pyfluss's `Schema.get_column_types()` prints it
 * (`Utils::datatype_to_string` in fluss-rust's Python binding): lower case,
 * default precisions left out (`time` for TIME(0), `timestamp` /
 * `timestamp_ltz` for precision 6), no space after commas in `decimal(p,s)`
 * and `map<k,v>`, `row<name: type, …>`, and ` NOT NULL` at every level that
 * is not nullable — so a map key always shows ` NOT NULL`.
 * This differs from {@link DataType.toString}, which follows Java.
 */
export function formatPyflussType(type: DataType): string {
  return type.isNullable ? body(type) : `${body(type)} NOT NULL`;
}

function body(type: DataType): string {
  switch (type.typeRoot) {
    case "BOOLEAN":
      return "boolean";
    case "TINYINT":
      return "tinyint";
    case "SMALLINT":
      return "smallint";
    case "INTEGER":
      return "int";
    case "BIGINT":
      return "bigint";
    case "FLOAT":
      return "float";
    case "DOUBLE":
      return "double";
    case "STRING":
      return "string";
    case "BYTES":
      return "bytes";
    case "DATE":
      return "date";
    case "TIME_WITHOUT_TIME_ZONE":
      return type.precision === 0 ? "time" : `time(${type.precision})`;
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
      return type.precision === 6 ? "timestamp" : `timestamp(${type.precision})`;
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
      return type.precision === 6 ? "timestamp_ltz" : `timestamp_ltz(${type.precision})`;
    case "CHAR":
      return `char(${type.length})`;
    case "DECIMAL":
      return `decimal(${type.precision},${type.scale})`;
    case "BINARY":
      return `binary(${type.length})`;
    case "ARRAY":
      return `array<${formatPyflussType(type.elementType)}>`;
    case "MAP":
      return `map<${formatPyflussType(type.keyType)},${formatPyflussType(type.valueType)}>`;
    case "ROW":
      return `row<${type.fields.map((f) => `${f.name}: ${formatPyflussType(f.type)}`).join(", ")}>`;
  }
}
