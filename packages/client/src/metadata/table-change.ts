import { FlussError } from "../errors/index.js";
import { isDataType, type DataType } from "./data-types.js";

/** Sets a table property. */
export interface SetOption {
  readonly kind: "set";
  readonly key: string;
  readonly value: string;
}

/** Resets a table property to its default. */
export interface ResetOption {
  readonly kind: "reset";
  readonly key: string;
}

/**
 * Adds a column after the last one. Fluss 0.9.1 knows no other position (the
 * Java client's `ColumnPosition.first()` and `after(…)` have no value on its
 * wire) and requires the column to be nullable.
 */
export interface AddColumn {
  readonly kind: "addColumn";
  readonly name: string;
  readonly dataType: DataType;
  readonly comment: string | undefined;
}

/** Drops a column (refused by Fluss 0.9.1). */
export interface DropColumn {
  readonly kind: "dropColumn";
  readonly name: string;
}

/** Renames a column (refused by Fluss 0.9.1). */
export interface RenameColumn {
  readonly kind: "renameColumn";
  readonly oldName: string;
  readonly newName: string;
}

/** Changes a column's type or comment (refused by Fluss 0.9.1). */
export interface ModifyColumn {
  readonly kind: "modifyColumn";
  readonly name: string;
  readonly dataType: DataType;
  readonly comment: string | undefined;
}

/**
 * One change of {@link FlussAdmin.alterTable}, made by the functions of the
 * same name, after the Java client's `TableChange`:
 *
 * @example
 * await admin.alterTable(path, [
 *   TableChange.addColumn("region", DataTypes.string(), { comment: "added later" }),
 *   TableChange.set("table.log.ttl", "7d"),
 * ]);
 */
export type TableChange = SetOption | ResetOption | AddColumn | DropColumn | RenameColumn | ModifyColumn;

export const TableChange = {
  set(key: string, value: string): SetOption {
    return { kind: "set", key: nonEmpty(key, "property key"), value: text(value, `value of property '${key}'`) };
  },
  reset(key: string): ResetOption {
    return { kind: "reset", key: nonEmpty(key, "property key") };
  },
  addColumn(name: string, dataType: DataType, options: { comment?: string } = {}): AddColumn {
    return { kind: "addColumn", ...typedColumn(name, dataType, options) };
  },
  dropColumn(name: string): DropColumn {
    return { kind: "dropColumn", name: nonEmpty(name, "column name") };
  },
  renameColumn(oldName: string, newName: string): RenameColumn {
    return { kind: "renameColumn", oldName: nonEmpty(oldName, "column name"), newName: nonEmpty(newName, "new column name") };
  },
  modifyColumn(name: string, dataType: DataType, options: { comment?: string } = {}): ModifyColumn {
    return { kind: "modifyColumn", ...typedColumn(name, dataType, options) };
  },
} as const;

/** The checked fields an added and a modified column share. */
function typedColumn(name: string, dataType: DataType, options: { comment?: string }): { name: string; dataType: DataType; comment: string | undefined } {
  return {
    name: nonEmpty(name, "column name"),
    dataType: typeOf(dataType, name),
    comment: optionalText(options?.comment, `comment of column '${name}'`),
  };
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw FlussError.client(`${what} must be a string, got ${typeof value}`);
  return value;
}

function nonEmpty(value: unknown, what: string): string {
  if (text(value, what).length === 0) throw FlussError.client(`${what} must not be empty`);
  return value as string;
}

function optionalText(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : text(value, what);
}

function typeOf(dataType: unknown, column: string): DataType {
  if (!isDataType(dataType)) throw FlussError.client(`the type of column '${column}' must be a DataType (see DataTypes)`);
  return dataType;
}
