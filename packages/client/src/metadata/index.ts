/**
 * Metadata value types of fluss-edge: data types, schemas, table and
 * database descriptors, table info, and small ids (paths, buckets,
 * partitions, servers, offset specs), with Fluss's JSON encodings.
 */
export {
  DataTypeRoot,
  type DataTypeRootName,
  type DataType,
  DataTypeBase,
  isDataType,
  UNASSIGNED_FIELD_ID,
  BooleanType,
  TinyIntType,
  SmallIntType,
  IntType,
  BigIntType,
  FloatType,
  DoubleType,
  DecimalType,
  CharType,
  StringType,
  BinaryType,
  BytesType,
  DateType,
  TimeType,
  TimestampType,
  LocalZonedTimestampType,
  ArrayType,
  MapType,
  RowType,
  DataField,
  DataTypes,
} from "./data-types.js";
export { dataTypeToJson, dataTypeFromJson, type DataTypeJson, type DataFieldJson } from "./data-type-json.js";
export { toArrowField, toArrowType, fromArrowField, type ToArrowOptions } from "./arrow-types.js";
export { formatPyflussType } from "./type-string.js";
export {
  Schema,
  Column,
  UNKNOWN_COLUMN_ID,
  type ColumnSpec,
  type SchemaOptions,
  type AggFunction,
  type ColumnJson,
  type SchemaJson,
} from "./schema.js";
export {
  TableDescriptor,
  TABLE_LOG_FORMAT,
  TABLE_KV_FORMAT,
  type LogFormat,
  type KvFormat,
  type TableDescriptorOptions,
  type TableDistribution,
  type TableDescriptorJson,
} from "./table-descriptor.js";
export { TableInfo, type TableInfoResponse } from "./table-info.js";
export {
  TableChange,
  type SetOption,
  type ResetOption,
  type AddColumn,
  type DropColumn,
  type RenameColumn,
  type ModifyColumn,
} from "./table-change.js";
export { SchemaInfo } from "./schema-info.js";
export {
  DatabaseDescriptor,
  DatabaseInfo,
  type DatabaseDescriptorOptions,
  type DatabaseDescriptorJson,
} from "./database.js";
export { TablePath, detectInvalidName } from "./table-path.js";
export { PartitionInfo, PARTITION_SPEC_SEPARATOR, type PartitionInfoResponse } from "./partition-info.js";
export { ServerNode, type ServerType } from "./server-node.js";
export { TableBucket } from "./table-bucket.js";
export { OffsetSpec, EARLIEST_OFFSET, type OffsetSpecKind } from "./offset-spec.js";
