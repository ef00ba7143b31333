import { Field, Schema as ArrowSchema } from "apache-arrow";
import { FlussError } from "../errors/index.js";
import { comment, fromArrowField, toArrowField, type ToArrowOptions } from "./arrow-types.js";
import { dataTypeFromJson, dataTypeToJson, type DataTypeJson } from "./data-type-json.js";
import {
  ArrayType,
  DataField,
  MapType,
  RowType,
  UNASSIGNED_FIELD_ID,
  isDataType,
  type DataType,
} from "./data-types.js";
import {
  asObject,
  checkNameList,
  decodeJson,
  encodeJson,
  getArray,
  getString,
  optInt,
  optString,
  optStringArray,
  stringMap,
} from "./json-util.js";
import { formatPyflussType } from "./type-string.js";

/** Column id of a column that has not been assigned one (Java's `Column.UNKNOWN_COLUMN_ID`). */
export const UNKNOWN_COLUMN_ID = -1;

/** Aggregation function of a column (aggregation merge engine), kept so a schema read from Fluss round-trips. */
export interface AggFunction {
  /** Function name as Fluss writes it, e.g. `sum`, `last_value_ignore_nulls`. */
  readonly type: string;
  /** Function parameters, when the function has any. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** What a caller gives for each column of a new {@link Schema}. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: DataType;
  readonly comment?: string | undefined;
  readonly aggFunction?: AggFunction | undefined;
}

/** Options of the {@link Schema} constructor. */
export interface SchemaOptions {
  /** Primary-key column names; they become NOT NULL. Empty or absent: a log table. */
  primaryKeys?: readonly string[];
  /** The auto-increment column (INT/BIGINT, not in the primary key, primary-key tables only). */
  autoIncrementColumns?: readonly string[];
  /**
   * Highest field id ever used. Only meaningful when the columns already carry ids
   * ({@link Column}s of an existing schema); it never decreases across schema versions.
   */
  highestFieldId?: number;
}

/**
 * A column of a {@link Schema}: name, type, optional comment and the
 * schema-wide column id Fluss uses to track columns across schema changes.
 */
export class Column implements ColumnSpec {
  readonly name: string;
  readonly type: DataType;
  readonly comment: string | undefined;
  readonly aggFunction: AggFunction | undefined;
  /** Column id, {@link UNKNOWN_COLUMN_ID} until a schema assigns one. */
  readonly id: number;

  constructor(
    name: string,
    type: DataType,
    comment?: string,
    id: number = UNKNOWN_COLUMN_ID,
    aggFunction?: AggFunction,
  ) {
    if (!Number.isInteger(id) || id < UNKNOWN_COLUMN_ID) {
      throw FlussError.client(`Id of column '${name}' must be an integer ≥ -1, got ${String(id)}.`);
    }
    this.name = name;
    this.type = type;
    this.comment = comment;
    this.id = id;
    this.aggFunction = aggFunction;
  }

  /** `name TYPE` plus ` COMMENT '…'`, as Java's `Column.toString()`. */
  toString(): string {
    const c = this.comment === undefined ? "" : ` COMMENT '${this.comment.replaceAll("'", "''")}'`;
    return `${this.name} ${this.type.toString()}${c}`;
  }
}

/** A column as `SchemaJsonSerde`/`ColumnJsonSerde` write it. */
export interface ColumnJson {
  name: string;
  data_type: DataTypeJson;
  comment?: string;
  agg_function?: { type: string; parameters?: Record<string, string> };
  id: number;
}

/** A schema as Fluss's `SchemaJsonSerde` writes it (`schema_json`, and `schema` inside `table_json`). */
export interface SchemaJson {
  version: number;
  columns: ColumnJson[];
  primary_key?: string[];
  auto_increment_column?: string[];
  highest_field_id: number;
}

/**
 * Gives every ROW field inside `type` the next id, depth first, each field
 * before its own children — the order of Java's `ReassignFieldId`, so a
 * schema created here carries the ids the Java client would send.
 */
function reassignFieldIds(type: DataType, next: () => number): DataType {
  switch (type.typeRoot) {
    case "ARRAY":
      return new ArrayType(reassignFieldIds(type.elementType, next), type.isNullable);
    case "MAP":
      return new MapType(reassignFieldIds(type.keyType, next), reassignFieldIds(type.valueType, next), type.isNullable);
    case "ROW":
      return new RowType(
        type.fields.map((f) => {
          // The field takes its id before its own nested fields do.
          const id = next();
          return new DataField(f.name, reassignFieldIds(f.type, next), f.description, id);
        }),
        type.isNullable,
      );
    default:
      return type;
  }
}

/** All column ids and nested ROW field ids, for the uniqueness check Java's `Schema` makes. */
function collectFieldIds(type: DataType, out: number[]): void {
  if (type.typeRoot !== "ROW") {
    for (const child of type.getChildren()) collectFieldIds(child, out);
    return;
  }
  for (const f of type.fields) {
    out.push(f.fieldId);
    collectFieldIds(f.type, out);
  }
}

/**
 * Gives plain column specs fresh ids (Java's `Builder.column`) or keeps the
 * ids of {@link Column}s adopted from an existing schema (Java's
 * `Builder.fromColumns`), checking ids as Java's `Schema` does.
 */
function resolveIds(
  fields: readonly ColumnSpec[],
  highestFieldId: number | undefined,
): { columns: Column[]; highestFieldId: number } {
  const withIds = fields.filter((f) => f instanceof Column && f.id !== UNKNOWN_COLUMN_ID).length;
  if (withIds === 0) {
    if (highestFieldId !== undefined) {
      throw FlussError.client("highestFieldId can only be given together with columns that carry ids.");
    }
    let counter = UNASSIGNED_FIELD_ID;
    const next = () => ++counter;
    const columns = fields.map((f) => {
      const id = next();
      return new Column(f.name, reassignFieldIds(f.type, next), f.comment, id, f.aggFunction);
    });
    return { columns, highestFieldId: counter };
  }
  if (withIds !== fields.length) {
    throw FlussError.client(
      "All columns must have a column id or none of them (pass plain {name, type} specs to get fresh ids).",
    );
  }
  const columns = fields as Column[];
  const ids: number[] = [];
  for (const c of columns) {
    ids.push(c.id);
    collectFieldIds(c.type, ids);
  }
  if (new Set(ids).size !== ids.length) {
    throw FlussError.client(`All field ids (including nested fields) must be unique, got ${ids.join(", ")}.`);
  }
  const max = ids.reduce((a, b) => Math.max(a, b), -1);
  const highest = highestFieldId ?? max;
  if (!Number.isInteger(highest) || highest < max) {
    throw FlussError.client(`Highest field id (${highest}) must be at least the maximum field id (${max}).`);
  }
  return { columns: [...columns], highestFieldId: highest };
}

function readAggFunction(value: unknown, path: string): AggFunction | undefined {
  if (value === undefined || value === null) return undefined;
  const node = asObject(value, path);
  const type = getString(node, "type", path);
  const hasParameters = node["parameters"] !== undefined && node["parameters"] !== null;
  return hasParameters ? { type, parameters: stringMap(node, "parameters", path) } : { type };
}

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

/**
 * The columns and primary key of a Fluss table, as Java's `Schema`.
 *
 * Columns given as plain specs get ids 0, 1, 2, … (nested ROW fields
 * included, as Java's `Schema.Builder.column`); {@link Column}s that already
 * carry ids (from another schema) keep them. Primary-key columns are made
 * NOT NULL. Bad input throws {@link FlussError} with `CLIENT_ERROR`.
 *
 * @example
 * const schema = new Schema(
 *   [
 *     { name: "id", type: DataTypes.bigint() },
 *     { name: "name", type: DataTypes.string(), comment: "display name" },
 *   ],
 *   { primaryKeys: ["id"] },
 * );
 * schema.getColumnTypes(); // ["bigint NOT NULL", "string"]
 */
export class Schema {
  /** The columns, in table order. */
  readonly columns: readonly Column[];
  /** Primary-key column names, or `undefined` for a log table. */
  readonly primaryKey: readonly string[] | undefined;
  /** Auto-increment column names (at most one). */
  readonly autoIncrementColumnNames: readonly string[];
  /** Highest column/field id ever assigned in this table's schema history. */
  readonly highestFieldId: number;
  readonly #rowType: RowType;

  constructor(fields: readonly ColumnSpec[], options: SchemaOptions = {}) {
    if (!Array.isArray(fields)) throw FlussError.client("Schema columns must be an array of {name, type} objects.");
    const primaryKeys = checkNameList(options.primaryKeys, "Primary keys");
    const autoIncrement = checkNameList(options.autoIncrementColumns, "Auto-increment columns");
    fields.forEach((f, i) => {
      if (typeof f !== "object" || f === null || typeof f.name !== "string") {
        throw FlussError.client(`Schema column #${i} must be an object with a string 'name'.`);
      }
      if (f.name.trim() === "") throw FlussError.client(`Schema column #${i} has an empty name.`);
      if (!isDataType(f.type)) {
        throw FlussError.client(`Column '${f.name}' must have a Fluss DataType as 'type'.`);
      }
      if (f.comment !== undefined && typeof f.comment !== "string") {
        throw FlussError.client(`Comment of column '${f.name}' must be a string.`);
      }
    });

    const resolved = resolveIds(fields, options.highestFieldId);
    let columns = resolved.columns;

    const names = columns.map((c) => c.name);
    const dupColumns = duplicates(names);
    if (dupColumns.length > 0) throw FlussError.client(`Duplicate column names in schema: ${dupColumns.join(", ")}.`);

    if (primaryKeys.length > 0) {
      const dupPk = duplicates(primaryKeys);
      if (dupPk.length > 0) throw FlussError.client(`Duplicate primary key columns: ${dupPk.join(", ")}.`);
      const unknown = primaryKeys.filter((pk) => !names.includes(pk));
      if (unknown.length > 0) {
        throw FlussError.client(
          `Primary key column(s) ${unknown.join(", ")} not found in schema columns ${names.join(", ")}.`,
        );
      }
      for (const c of columns) {
        if (c.aggFunction !== undefined && primaryKeys.includes(c.name)) {
          throw FlussError.client(`Cannot set aggregation function for primary key column '${c.name}'.`);
        }
      }
      // Primary-key columns are always NOT NULL (Java's Schema normalizes them the same way).
      columns = columns.map((c) =>
        primaryKeys.includes(c.name) && c.type.isNullable
          ? new Column(c.name, c.type.notNull(), c.comment, c.id, c.aggFunction)
          : c,
      );
    }
    if (autoIncrement.length > 0) {
      if (autoIncrement.length > 1) throw FlussError.client("Multiple auto increment columns are not supported.");
      const name = autoIncrement[0] as string;
      const col = columns.find((c) => c.name === name);
      if (primaryKeys.length === 0) {
        throw FlussError.client("Auto increment column can only be used in primary-key table.");
      }
      if (col === undefined) throw FlussError.client(`Auto increment column ${name} does not exist in table columns.`);
      if (primaryKeys.includes(name)) {
        throw FlussError.client(`Auto increment column ${name} can not be used as the primary key.`);
      }
      if (col.type.typeRoot !== "INTEGER" && col.type.typeRoot !== "BIGINT") {
        throw FlussError.client(`Auto increment column ${name} must be INT or BIGINT, got ${col.type.toString()}.`);
      }
    }

    this.columns = Object.freeze(columns);
    this.primaryKey = primaryKeys.length > 0 ? Object.freeze(primaryKeys) : undefined;
    this.autoIncrementColumnNames = Object.freeze(autoIncrement);
    this.highestFieldId = resolved.highestFieldId;
    this.#rowType = new RowType(columns.map((c) => new DataField(c.name, c.type, undefined, c.id)));
  }

  /**
   * A schema from an apache-arrow schema, mapped as pyfluss does
   * (bool, int8–64, float32/64, utf8/large utf8, binary/large binary,
   * fixed-size binary, date32, time32/64, timestamp with/without zone,
   * decimal128, list, map, struct). Arrow nullability is kept, the `comment`
   * field metadata becomes the column comment, and unsupported types throw a
   * CLIENT_ERROR naming the field.
   */
  static fromArrow(arrowSchema: ArrowSchema, options: Pick<SchemaOptions, "primaryKeys"> = {}): Schema {
    if (!ArrowSchema.isSchema(arrowSchema)) throw FlussError.client("Schema.fromArrow expects an apache-arrow Schema.");
    const specs = arrowSchema.fields.map((f: Field) => ({
      name: f.name,
      type: fromArrowField(f),
      comment: comment(f),
    }));
    return new Schema(specs, options);
  }

  /** Reads a `schema_json` document (UTF-8 bytes or text). */
  static fromJsonBytes(bytes: Uint8Array | string): Schema {
    return Schema.fromJson(decodeJson(bytes, "schema_json"));
  }

  /** Reads a parsed `schema_json` object, as `SchemaJsonSerde.deserialize`. */
  static fromJson(json: unknown, path = "schema_json"): Schema {
    const node = asObject(json, path);
    const columns = getArray(node, "columns", path).map((item, i) => {
      const p = `${path}.columns[${i}]`;
      const col = asObject(item, p);
      return new Column(
        getString(col, "name", p),
        dataTypeFromJson(col["data_type"], `${p}.data_type`),
        optString(col, "comment", p),
        optInt(col, "id", p) ?? UNKNOWN_COLUMN_ID,
        readAggFunction(col["agg_function"], `${p}.agg_function`),
      );
    });
    const highest = optInt(node, "highest_field_id", path);
    const options: SchemaOptions = {
      primaryKeys: optStringArray(node, "primary_key", path) ?? [],
      autoIncrementColumns: optStringArray(node, "auto_increment_column", path) ?? [],
    };
    if (columns.every((c) => c.id === UNKNOWN_COLUMN_ID)) {
      // Schemas written before column ids existed: ids are assigned by position.
      const specs = columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment, aggFunction: c.aggFunction }));
      return new Schema(specs, options);
    }
    return new Schema(columns, highest === undefined ? options : { ...options, highestFieldId: highest });
  }

  /** The schema as `SchemaJsonSerde.serialize` writes it (same keys, same order). */
  toJson(): SchemaJson {
    // Spreads keep Java's key order: optional keys sit between required ones.
    const columns = this.columns.map(
      (c): ColumnJson => ({
        name: c.name,
        data_type: dataTypeToJson(c.type),
        ...(c.comment === undefined ? {} : { comment: c.comment }),
        ...(c.aggFunction === undefined
          ? {}
          : {
              agg_function:
                c.aggFunction.parameters === undefined
                  ? { type: c.aggFunction.type }
                  : { type: c.aggFunction.type, parameters: { ...c.aggFunction.parameters } },
            }),
        id: c.id,
      }),
    );
    return {
      version: 1,
      columns,
      ...(this.primaryKey === undefined ? {} : { primary_key: [...this.primaryKey] }),
      ...(this.autoIncrementColumnNames.length === 0
        ? {}
        : { auto_increment_column: [...this.autoIncrementColumnNames] }),
      highest_field_id: this.highestFieldId,
    };
  }

  /** UTF-8 `schema_json` bytes. */
  toJsonBytes(): Uint8Array {
    return encodeJson(this.toJson());
  }

  /**
   * The Arrow schema of this table's log record batches, as Fluss builds it
   * (`ArrowUtils.toArrowSchema`, protocol.md §7). TIMESTAMP_LTZ gets no
   * time zone unless `options.timestampLtzTimeZone` is set.
   */
  toArrow(options: ToArrowOptions = {}): ArrowSchema {
    return new ArrowSchema(this.columns.map((c) => toArrowField(c.name, c.type, options)));
  }

  /** The columns as a ROW type (field ids = column ids), like Java's `getRowType()`. */
  getRowType(): RowType {
    return this.#rowType;
  }

  /** Column names in order. */
  getColumnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** Column type strings as pyfluss prints them, e.g. `"int NOT NULL"`, `"decimal(10,2)"`, `"timestamp"`. */
  getColumnTypes(): string[] {
    return this.columns.map((c) => formatPyflussType(c.type));
  }

  /** `[name, typeString]` pairs, as pyfluss's `get_columns()`. */
  getColumns(): [string, string][] {
    return this.columns.map((c) => [c.name, formatPyflussType(c.type)]);
  }

  /** Primary-key column names; empty for a log table. */
  getPrimaryKeys(): string[] {
    return this.primaryKey === undefined ? [] : [...this.primaryKey];
  }

  /** Positions of the primary-key columns; empty for a log table. */
  getPrimaryKeyIndexes(): number[] {
    return this.getPrimaryKeys().map((pk) => this.getColumnIndex(pk));
  }

  /** The column with that name; throws a CLIENT_ERROR when there is none. */
  getColumn(name: string): Column {
    const col = this.columns.find((c) => c.name === name);
    if (col === undefined) throw FlussError.client(`Column ${name} does not exist in schema.`);
    return col;
  }

  /** Position of the named column, or −1. */
  getColumnIndex(name: string): number {
    return this.columns.findIndex((c) => c.name === name);
  }

  /** Equality on columns (incl. ids and comments), primary key, auto-increment columns and highest field id. */
  equals(other: Schema): boolean {
    const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
      (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === (b ?? [])[i]);
    return (
      other.highestFieldId === this.highestFieldId &&
      same(other.primaryKey, this.primaryKey) &&
      same(other.autoIncrementColumnNames, this.autoIncrementColumnNames) &&
      other.columns.length === this.columns.length &&
      this.columns.every((c, i) => {
        const o = other.columns[i] as Column;
        return o.name === c.name && o.id === c.id && o.comment === c.comment && o.type.equals(c.type);
      })
    );
  }

  /** Like pyfluss: `Schema: columns=[(name, type), …]`. */
  toString(): string {
    return `Schema: columns=[${this.getColumns().map(([n, t]) => `('${n}', '${t}')`).join(", ")}]`;
  }
}
