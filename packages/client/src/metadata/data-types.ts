import { FlussError } from "../errors/index.js";

/**
 * The type roots of Fluss 0.9, spelled exactly as Java's `DataTypeRoot` enum
 * (these names are what the `"type"` key of Fluss's JSON carries).
 */
export const DataTypeRoot = {
  CHAR: "CHAR",
  STRING: "STRING",
  BOOLEAN: "BOOLEAN",
  BINARY: "BINARY",
  BYTES: "BYTES",
  DECIMAL: "DECIMAL",
  TINYINT: "TINYINT",
  SMALLINT: "SMALLINT",
  INTEGER: "INTEGER",
  BIGINT: "BIGINT",
  FLOAT: "FLOAT",
  DOUBLE: "DOUBLE",
  DATE: "DATE",
  TIME_WITHOUT_TIME_ZONE: "TIME_WITHOUT_TIME_ZONE",
  TIMESTAMP_WITHOUT_TIME_ZONE: "TIMESTAMP_WITHOUT_TIME_ZONE",
  TIMESTAMP_WITH_LOCAL_TIME_ZONE: "TIMESTAMP_WITH_LOCAL_TIME_ZONE",
  ARRAY: "ARRAY",
  MAP: "MAP",
  ROW: "ROW",
} as const;

/** One of the {@link DataTypeRoot} names. */
export type DataTypeRootName = (typeof DataTypeRoot)[keyof typeof DataTypeRoot];

/** Field id of a {@link DataField} that has not been assigned one yet (Java uses −1 too). */
export const UNASSIGNED_FIELD_ID = -1;

/**
 * Any Fluss data type. Switch on `typeRoot` to narrow it:
 *
 * @example
 * function width(t: DataType): number | undefined {
 *   switch (t.typeRoot) {
 *     case "DECIMAL": return t.precision;
 *     case "CHAR": case "BINARY": return t.length;
 *     default: return undefined;
 *   }
 * }
 */
export type DataType =
  | BooleanType
  | TinyIntType
  | SmallIntType
  | IntType
  | BigIntType
  | FloatType
  | DoubleType
  | DecimalType
  | CharType
  | StringType
  | BinaryType
  | BytesType
  | DateType
  | TimeType
  | TimestampType
  | LocalZonedTimestampType
  | ArrayType
  | MapType
  | RowType;

/** True when `value` is one of the Fluss data types of this module. */
export function isDataType(value: unknown): value is DataType {
  return value instanceof DataTypeBase;
}

function checkInt(value: number, min: number, max: number, message: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw FlussError.client(`${message}, got ${String(value)}.`);
  }
  return value;
}

function checkType(value: unknown, what: string): DataType {
  if (!isDataType(value)) throw FlussError.client(`${what} must be a Fluss DataType, got ${String(value)}.`);
  return value;
}

/**
 * Behaviour shared by every Fluss data type: nullability, copying,
 * equality and the string forms of Java's `DataType`.
 * Instances are immutable; `nullable()`/`notNull()` return new objects.
 */
export abstract class DataTypeBase {
  /** The Java `DataTypeRoot` name of this type. */
  abstract readonly typeRoot: DataTypeRootName;
  /** Whether the type admits null (Fluss types are nullable unless marked NOT NULL). */
  readonly isNullable: boolean;

  protected constructor(isNullable: boolean) {
    this.isNullable = isNullable;
  }

  /** A copy with the given nullability (default: the same nullability). */
  copy(isNullable: boolean = this.isNullable): this {
    // Every subclass returns its own class from withNullable, so the cast holds.
    return this.withNullable(isNullable) as this;
  }

  /** A nullable copy of this type. */
  nullable(): this {
    return this.copy(true);
  }

  /** A NOT NULL copy of this type. */
  notNull(): this {
    return this.copy(false);
  }

  /** Whether this type has the given root. */
  is(root: DataTypeRootName): boolean {
    return this.typeRoot === root;
  }

  /** The child types (element, key/value or field types); empty for atomic types. */
  getChildren(): readonly DataType[] {
    return [];
  }

  /** The full SQL-like form, as Java's `asSerializableString()` (e.g. `TIMESTAMP(3) WITH LOCAL TIME ZONE`). */
  abstract asSerializableString(): string;

  /** The short form, as Java's `asSummaryString()` (e.g. `TIMESTAMP_LTZ(3)`). */
  asSummaryString(): string {
    return this.asSerializableString();
  }

  /** Same as {@link asSummaryString}, like Java's `toString()`: `INT NOT NULL`, `DECIMAL(10, 2)`. */
  toString(): string {
    return this.asSummaryString();
  }

  /**
   * Structural equality as in Java: same class, nullability and parameters.
   * ROW field ids are ignored (Java leaves them out of equality too).
   */
  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof DataTypeBase) || other.constructor !== this.constructor) return false;
    return other.isNullable === this.isNullable && this.sameParameters(other as this);
  }

  protected sameParameters(_other: this): boolean {
    return true;
  }

  protected abstract withNullable(isNullable: boolean): DataTypeBase;

  /** Appends ` NOT NULL` when the type is not nullable (Java's `withNullability`). */
  protected nullability(text: string): string {
    return this.isNullable ? text : `${text} NOT NULL`;
  }
}

/** `BOOLEAN`. */
export class BooleanType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.BOOLEAN;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("BOOLEAN");
  }
  protected withNullable(isNullable: boolean): BooleanType {
    return new BooleanType(isNullable);
  }
}

/** `TINYINT`: 1-byte signed integer. */
export class TinyIntType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.TINYINT;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("TINYINT");
  }
  protected withNullable(isNullable: boolean): TinyIntType {
    return new TinyIntType(isNullable);
  }
}

/** `SMALLINT`: 2-byte signed integer. */
export class SmallIntType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.SMALLINT;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("SMALLINT");
  }
  protected withNullable(isNullable: boolean): SmallIntType {
    return new SmallIntType(isNullable);
  }
}

/** `INT`: 4-byte signed integer (root `INTEGER`). */
export class IntType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.INTEGER;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("INT");
  }
  protected withNullable(isNullable: boolean): IntType {
    return new IntType(isNullable);
  }
}

/** `BIGINT`: 8-byte signed integer. */
export class BigIntType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.BIGINT;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("BIGINT");
  }
  protected withNullable(isNullable: boolean): BigIntType {
    return new BigIntType(isNullable);
  }
}

/** `FLOAT`: 4-byte IEEE 754 number. */
export class FloatType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.FLOAT;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("FLOAT");
  }
  protected withNullable(isNullable: boolean): FloatType {
    return new FloatType(isNullable);
  }
}

/** `DOUBLE`: 8-byte IEEE 754 number. */
export class DoubleType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.DOUBLE;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("DOUBLE");
  }
  protected withNullable(isNullable: boolean): DoubleType {
    return new DoubleType(isNullable);
  }
}

/** `DECIMAL(p, s)`: precision 1–38, scale 0..p (Java's `DecimalType` limits). */
export class DecimalType extends DataTypeBase {
  static readonly MIN_PRECISION = 1;
  static readonly MAX_PRECISION = 38;
  static readonly DEFAULT_PRECISION = 10;
  static readonly DEFAULT_SCALE = 0;
  readonly typeRoot = DataTypeRoot.DECIMAL;
  readonly precision: number;
  readonly scale: number;
  constructor(precision = DecimalType.DEFAULT_PRECISION, scale = DecimalType.DEFAULT_SCALE, isNullable = true) {
    super(isNullable);
    this.precision = checkInt(precision, 1, 38, "Decimal precision must be between 1 and 38 (both inclusive)");
    const scaleRange = `Decimal scale must be between 0 and the precision ${precision} (both inclusive)`;
    this.scale = checkInt(scale, 0, precision, scaleRange);
  }
  asSerializableString(): string {
    return this.nullability(`DECIMAL(${this.precision}, ${this.scale})`);
  }
  protected override sameParameters(other: DecimalType): boolean {
    return other.precision === this.precision && other.scale === this.scale;
  }
  protected withNullable(isNullable: boolean): DecimalType {
    return new DecimalType(this.precision, this.scale, isNullable);
  }
}

/** Largest CHAR/BINARY length Java accepts (`Integer.MAX_VALUE`). */
const MAX_LENGTH = 2147483647;

/** `CHAR(n)`: fixed-length string, n ≥ 1. */
export class CharType extends DataTypeBase {
  static readonly DEFAULT_LENGTH = 1;
  readonly typeRoot = DataTypeRoot.CHAR;
  readonly length: number;
  constructor(length = CharType.DEFAULT_LENGTH, isNullable = true) {
    super(isNullable);
    const range = `Character string length must be between 1 and ${MAX_LENGTH} (both inclusive)`;
    this.length = checkInt(length, 1, MAX_LENGTH, range);
  }
  asSerializableString(): string {
    return this.nullability(`CHAR(${this.length})`);
  }
  protected override sameParameters(other: CharType): boolean {
    return other.length === this.length;
  }
  protected withNullable(isNullable: boolean): CharType {
    return new CharType(this.length, isNullable);
  }
}

/** `STRING`: variable-length UTF-8 string. */
export class StringType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.STRING;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("STRING");
  }
  protected withNullable(isNullable: boolean): StringType {
    return new StringType(isNullable);
  }
}

/** `BINARY(n)`: fixed-length byte string, n ≥ 1. */
export class BinaryType extends DataTypeBase {
  static readonly DEFAULT_LENGTH = 1;
  readonly typeRoot = DataTypeRoot.BINARY;
  readonly length: number;
  constructor(length = BinaryType.DEFAULT_LENGTH, isNullable = true) {
    super(isNullable);
    const range = `Binary string length must be between 1 and ${MAX_LENGTH} (both inclusive)`;
    this.length = checkInt(length, 1, MAX_LENGTH, range);
  }
  asSerializableString(): string {
    return this.nullability(`BINARY(${this.length})`);
  }
  protected override sameParameters(other: BinaryType): boolean {
    return other.length === this.length;
  }
  protected withNullable(isNullable: boolean): BinaryType {
    return new BinaryType(this.length, isNullable);
  }
}

/** `BYTES`: variable-length byte string. */
export class BytesType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.BYTES;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("BYTES");
  }
  protected withNullable(isNullable: boolean): BytesType {
    return new BytesType(isNullable);
  }
}

/** `DATE`: days since 1970-01-01. */
export class DateType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.DATE;
  constructor(isNullable = true) {
    super(isNullable);
  }
  asSerializableString(): string {
    return this.nullability("DATE");
  }
  protected withNullable(isNullable: boolean): DateType {
    return new DateType(isNullable);
  }
}

/** `TIME(p)`: time of day with p (0–9, default 0) fractional digits. */
export class TimeType extends DataTypeBase {
  static readonly DEFAULT_PRECISION = 0;
  readonly typeRoot = DataTypeRoot.TIME_WITHOUT_TIME_ZONE;
  readonly precision: number;
  constructor(precision = TimeType.DEFAULT_PRECISION, isNullable = true) {
    super(isNullable);
    this.precision = checkInt(precision, 0, 9, "Time precision must be between 0 and 9 (both inclusive)");
  }
  asSerializableString(): string {
    return this.nullability(`TIME(${this.precision})`);
  }
  protected override sameParameters(other: TimeType): boolean {
    return other.precision === this.precision;
  }
  protected withNullable(isNullable: boolean): TimeType {
    return new TimeType(this.precision, isNullable);
  }
}

/** `TIMESTAMP(p)`: timestamp without time zone, p 0–9 (default 6). */
export class TimestampType extends DataTypeBase {
  static readonly DEFAULT_PRECISION = 6;
  readonly typeRoot = DataTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE;
  readonly precision: number;
  constructor(precision = TimestampType.DEFAULT_PRECISION, isNullable = true) {
    super(isNullable);
    this.precision = checkInt(precision, 0, 9, "Timestamp precision must be between 0 and 9 (both inclusive)");
  }
  asSerializableString(): string {
    return this.nullability(`TIMESTAMP(${this.precision})`);
  }
  protected override sameParameters(other: TimestampType): boolean {
    return other.precision === this.precision;
  }
  protected withNullable(isNullable: boolean): TimestampType {
    return new TimestampType(this.precision, isNullable);
  }
}

/**
 * `TIMESTAMP_LTZ(p)`: an instant (timestamp with local time zone), p 0–9
 * (default 6). Summary form `TIMESTAMP_LTZ(p)`, serializable form
 * `TIMESTAMP(p) WITH LOCAL TIME ZONE`, as in Java.
 */
export class LocalZonedTimestampType extends DataTypeBase {
  static readonly DEFAULT_PRECISION = 6;
  readonly typeRoot = DataTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
  readonly precision: number;
  constructor(precision = LocalZonedTimestampType.DEFAULT_PRECISION, isNullable = true) {
    super(isNullable);
    this.precision = checkInt(
      precision,
      0,
      9,
      "Timestamp with local time zone precision must be between 0 and 9 (both inclusive)",
    );
  }
  asSerializableString(): string {
    return this.nullability(`TIMESTAMP(${this.precision}) WITH LOCAL TIME ZONE`);
  }
  override asSummaryString(): string {
    return this.nullability(`TIMESTAMP_LTZ(${this.precision})`);
  }
  protected override sameParameters(other: LocalZonedTimestampType): boolean {
    return other.precision === this.precision;
  }
  protected withNullable(isNullable: boolean): LocalZonedTimestampType {
    return new LocalZonedTimestampType(this.precision, isNullable);
  }
}

/** `ARRAY<T>`. */
export class ArrayType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.ARRAY;
  readonly elementType: DataType;
  constructor(elementType: DataType, isNullable = true) {
    super(isNullable);
    this.elementType = checkType(elementType, "Array element type");
  }
  override getChildren(): readonly DataType[] {
    return [this.elementType];
  }
  asSerializableString(): string {
    return this.nullability(`ARRAY<${this.elementType.asSerializableString()}>`);
  }
  override asSummaryString(): string {
    return this.nullability(`ARRAY<${this.elementType.asSummaryString()}>`);
  }
  protected override sameParameters(other: ArrayType): boolean {
    return this.elementType.equals(other.elementType);
  }
  protected withNullable(isNullable: boolean): ArrayType {
    return new ArrayType(this.elementType, isNullable);
  }
}

/**
 * `MAP<K, V>`. Map keys are always NOT NULL: like Java's `MapType`, a
 * nullable key type is turned into its NOT NULL copy.
 */
export class MapType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.MAP;
  readonly keyType: DataType;
  readonly valueType: DataType;
  constructor(keyType: DataType, valueType: DataType, isNullable = true) {
    super(isNullable);
    const key = checkType(keyType, "Map key type");
    this.keyType = key.isNullable ? key.notNull() : key;
    this.valueType = checkType(valueType, "Map value type");
  }
  override getChildren(): readonly DataType[] {
    return [this.keyType, this.valueType];
  }
  asSerializableString(): string {
    return this.nullability(`MAP<${this.keyType.asSerializableString()}, ${this.valueType.asSerializableString()}>`);
  }
  override asSummaryString(): string {
    return this.nullability(`MAP<${this.keyType.asSummaryString()}, ${this.valueType.asSummaryString()}>`);
  }
  protected override sameParameters(other: MapType): boolean {
    return this.keyType.equals(other.keyType) && this.valueType.equals(other.valueType);
  }
  protected withNullable(isNullable: boolean): MapType {
    return new MapType(this.keyType, this.valueType, isNullable);
  }
}

function escapeIdentifier(name: string): string {
  return "`" + name.replaceAll("`", "``") + "`";
}

/**
 * A named field of a {@link RowType}. `fieldId` is the schema-wide id that
 * Fluss uses for schema evolution; {@link Schema} assigns it, so user code
 * normally leaves it at {@link UNASSIGNED_FIELD_ID}.
 */
export class DataField {
  readonly name: string;
  readonly type: DataType;
  readonly description: string | undefined;
  readonly fieldId: number;

  constructor(name: string, type: DataType, description?: string, fieldId: number = UNASSIGNED_FIELD_ID) {
    if (typeof name !== "string") throw FlussError.client(`Row field name must be a string, got ${String(name)}.`);
    this.name = name;
    this.type = checkType(type, `Type of row field '${name}'`);
    this.description = description;
    this.fieldId = checkInt(fieldId, -1, 2147483647, `Field id of row field '${name}' must be an int ≥ -1`);
  }

  /** A copy with another field id. */
  withFieldId(fieldId: number): DataField {
    return new DataField(this.name, this.type, this.description, fieldId);
  }

  /** A copy with another type. */
  withType(type: DataType): DataField {
    return new DataField(this.name, type, this.description, this.fieldId);
  }

  /** Equality on name, type and description; the field id is ignored as in Java. */
  equals(other: DataField): boolean {
    return other.name === this.name && other.description === this.description && other.type.equals(this.type);
  }

  /** ``` `name` TYPE ``` or ``` `name` TYPE 'description' ``` (Java's `asSerializableString`). */
  asSerializableString(): string {
    const head = `${escapeIdentifier(this.name)} ${this.type.asSerializableString()}`;
    return this.description === undefined ? head : `${head} '${this.description.replaceAll("'", "''")}'`;
  }

  /** Like {@link asSerializableString} but with the description shown as `'...'` (Java's summary form). */
  asSummaryString(): string {
    const head = `${escapeIdentifier(this.name)} ${this.type.asSummaryString()}`;
    return this.description === undefined ? head : `${head} '...'`;
  }

  toString(): string {
    return this.asSummaryString();
  }
}

/** `ROW<name type, …>`: field names must be non-blank and unique. */
export class RowType extends DataTypeBase {
  readonly typeRoot = DataTypeRoot.ROW;
  readonly fields: readonly DataField[];
  constructor(fields: readonly DataField[], isNullable = true) {
    super(isNullable);
    if (!Array.isArray(fields)) throw FlussError.client("Row fields must be an array of DataField.");
    for (const f of fields) {
      if (!(f instanceof DataField)) throw FlussError.client(`Row fields must be DataField objects, got ${String(f)}.`);
      if (f.name.trim() === "") {
        throw FlussError.client("Row field names must contain at least one non-whitespace character.");
      }
    }
    const names = fields.map((f) => f.name);
    const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    if (duplicates.length > 0) {
      throw FlussError.client(`Row field names must be unique. Found duplicates: ${duplicates.join(", ")}.`);
    }
    this.fields = Object.freeze([...fields]);
  }
  /** The field names in order. */
  getFieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }
  /** The field types in order. */
  getFieldTypes(): DataType[] {
    return this.fields.map((f) => f.type);
  }
  /** Number of fields. */
  getFieldCount(): number {
    return this.fields.length;
  }
  /** Index of the named field, or −1. */
  getFieldIndex(name: string): number {
    return this.fields.findIndex((f) => f.name === name);
  }
  override getChildren(): readonly DataType[] {
    return this.getFieldTypes();
  }
  asSerializableString(): string {
    return this.nullability(`ROW<${this.fields.map((f) => f.asSerializableString()).join(", ")}>`);
  }
  override asSummaryString(): string {
    return this.nullability(`ROW<${this.fields.map((f) => f.asSummaryString()).join(", ")}>`);
  }
  protected override sameParameters(other: RowType): boolean {
    const fields = other.fields;
    return fields.length === this.fields.length && this.fields.every((f, i) => f.equals(fields[i] as DataField));
  }
  protected withNullable(isNullable: boolean): RowType {
    return new RowType(this.fields, isNullable);
  }
}

/**
 * Factory for Fluss data types, named like the Rust/Python clients'
 * `DataTypes` (camelCased). All types are nullable; call `.notNull()` for
 * NOT NULL. Bad parameters throw {@link FlussError} with `CLIENT_ERROR`.
 *
 * @example
 * const t = DataTypes.row([
 *   DataTypes.field("id", DataTypes.bigint().notNull()),
 *   DataTypes.field("price", DataTypes.decimal(10, 2)),
 *   DataTypes.field("tags", DataTypes.array(DataTypes.string())),
 * ]);
 * t.toString(); // "ROW<`id` BIGINT NOT NULL, `price` DECIMAL(10, 2), `tags` ARRAY<STRING>>"
 */
export const DataTypes = {
  /** `BOOLEAN`. */
  boolean: (): BooleanType => new BooleanType(),
  /** `TINYINT` (1 byte). */
  tinyint: (): TinyIntType => new TinyIntType(),
  /** `SMALLINT` (2 bytes). */
  smallint: (): SmallIntType => new SmallIntType(),
  /** `INT` (4 bytes). */
  int: (): IntType => new IntType(),
  /** `BIGINT` (8 bytes). */
  bigint: (): BigIntType => new BigIntType(),
  /** `FLOAT` (4-byte IEEE 754). */
  float: (): FloatType => new FloatType(),
  /** `DOUBLE` (8-byte IEEE 754). */
  double: (): DoubleType => new DoubleType(),
  /** `DECIMAL(precision, scale)`; precision 1–38 (default 10), scale 0..precision (default 0). */
  decimal: (precision?: number, scale?: number): DecimalType => new DecimalType(precision, scale),
  /** `CHAR(length)`, length ≥ 1 (default 1). */
  char: (length?: number): CharType => new CharType(length),
  /** `STRING`. */
  string: (): StringType => new StringType(),
  /** `BINARY(length)`, length ≥ 1 (default 1). */
  binary: (length?: number): BinaryType => new BinaryType(length),
  /** `BYTES`. */
  bytes: (): BytesType => new BytesType(),
  /** `DATE`. */
  date: (): DateType => new DateType(),
  /** `TIME(precision)`, precision 0–9 (default 0). */
  time: (precision?: number): TimeType => new TimeType(precision),
  /** `TIMESTAMP(precision)` without time zone, precision 0–9 (default 6). */
  timestamp: (precision?: number): TimestampType => new TimestampType(precision),
  /** `TIMESTAMP_LTZ(precision)`, precision 0–9 (default 6). */
  timestampLtz: (precision?: number): LocalZonedTimestampType => new LocalZonedTimestampType(precision),
  /** `ARRAY<element>`. */
  array: (element: DataType): ArrayType => new ArrayType(element),
  /** `MAP<key, value>`; the key type is made NOT NULL. */
  map: (key: DataType, value: DataType): MapType => new MapType(key, value),
  /** `ROW<…>` from fields built with {@link DataTypes.field}. */
  row: (fields: readonly DataField[]): RowType => new RowType(fields),
  /** A named ROW field, optionally with a description. */
  field: (name: string, type: DataType, description?: string): DataField => new DataField(name, type, description),
} as const;
