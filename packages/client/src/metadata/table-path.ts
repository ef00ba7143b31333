import { FlussError } from "../errors/index.js";

/** Fluss caps database and table names at 200 characters (they become folder names on the servers). */
const MAX_NAME_LENGTH = 200;
/** Names starting with this are reserved for Fluss's internal databases, tables and partitions. */
const INTERNAL_NAME_PREFIX = "__";
const VALID_NAME = /^[a-zA-Z0-9_-]+$/;

/**
 * Why `identifier` can never name a Fluss database or table, or `undefined`
 * when it can (Java's `TablePath.detectInvalidName`: not empty, not `.`/`..`,
 * at most 200 characters, only ASCII letters, digits, `_` and `-`).
 */
export function detectInvalidName(identifier: unknown): string | undefined {
  if (typeof identifier !== "string") return "null string is not allowed";
  if (identifier === "") return "the empty string is not allowed";
  if (identifier === "." || identifier === "..") return `'${identifier}' is not allowed`;
  if (identifier.length > MAX_NAME_LENGTH) {
    return `the length of '${identifier}' is longer than the max allowed length ${MAX_NAME_LENGTH}`;
  }
  if (!VALID_NAME.test(identifier)) {
    return `'${identifier}' contains one or more characters other than ASCII alphanumerics, '_' and '-'`;
  }
  return undefined;
}

function prefixError(identifier: string): string | undefined {
  return identifier.startsWith(INTERNAL_NAME_PREFIX)
    ? `'${INTERNAL_NAME_PREFIX}' is not allowed as prefix, since it is reserved for internal databases/internal tables/internal partitions in Fluss server`
    : undefined;
}

/**
 * A table's database and name, e.g. `fluss.orders`.
 *
 * The constructor rejects names that no Fluss table can have (Java's
 * `detectInvalidName`). The `__` prefix is accepted here so that internal
 * tables can be addressed; {@link validate} (used before creating a table)
 * rejects it too, as Java's `TablePath.validate()` does.
 *
 * @example
 * const path = new TablePath("fluss", "orders");
 * String(path); // "fluss.orders"
 */
export class TablePath {
  readonly databaseName: string;
  readonly tableName: string;

  constructor(databaseName: string, tableName: string) {
    const dbError = detectInvalidName(databaseName);
    if (dbError !== undefined) throw FlussError.client(`Database name ${String(databaseName)} is invalid: ${dbError}`);
    const tableError = detectInvalidName(tableName);
    if (tableError !== undefined) throw FlussError.client(`Table name ${String(tableName)} is invalid: ${tableError}`);
    this.databaseName = databaseName;
    this.tableName = tableName;
  }

  /** Same as the constructor. */
  static of(databaseName: string, tableName: string): TablePath {
    return new TablePath(databaseName, tableName);
  }

  /** Throws a CLIENT_ERROR when `databaseName` may not be used for a new database (incl. the `__` prefix). */
  static validateDatabaseName(databaseName: string): void {
    const error = detectInvalidName(databaseName) ?? prefixError(databaseName);
    if (error !== undefined) throw FlussError.client(`Database name ${String(databaseName)} is invalid: ${error}`);
  }

  /** Throws a CLIENT_ERROR when `tableName` may not be used for a new table (incl. the `__` prefix). */
  static validateTableName(tableName: string): void {
    const error = detectInvalidName(tableName) ?? prefixError(tableName);
    if (error !== undefined) throw FlussError.client(`Table name ${String(tableName)} is invalid: ${error}`);
  }

  /** Checks both names as for creating a table (Java's `TablePath.validate()`). */
  validate(): void {
    TablePath.validateDatabaseName(this.databaseName);
    TablePath.validateTableName(this.tableName);
  }

  /** `db.table`, as pyfluss's `table_path_str()`. */
  tablePathStr(): string {
    return `${this.databaseName}.${this.tableName}`;
  }

  /** `db.table`; unique per table since names cannot contain dots, so usable as a Map key. */
  toString(): string {
    return this.tablePathStr();
  }

  /** Same database and table name. */
  equals(other: unknown): boolean {
    return other instanceof TablePath && other.databaseName === this.databaseName && other.tableName === this.tableName;
  }
}
