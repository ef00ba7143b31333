import { FlussError } from "../errors/index.js";
import { dataTypeToJson, TableChange, type AddColumn, type ModifyColumn } from "../metadata/index.js";

/** The op_type of a PbAlterConfig (Fluss's AlterConfigOpType). */
const CONFIG_OP = { set: 0, reset: 1 } as const;
/** The column_position_type of a PbAddColumn: LAST, the only one of Fluss 0.9.1's ColumnPositionType. */
const POSITION_LAST = 0;

const encoder = new TextEncoder();

/**
 * The change lists of an AlterTableRequest. The request groups changes by
 * kind, as the Java client sends them; a change of an unknown kind (not made
 * by {@link TableChange}) is a CLIENT_ERROR before anything is sent.
 */
export function alterTableChanges(changes: readonly TableChange[]) {
  if (!Array.isArray(changes)) throw FlussError.client("alterTable expects an array of TableChange");
  const out = {
    configChanges: [] as { configKey: string; configValue?: string; opType: number }[],
    addColumns: [] as { columnName: string; dataTypeJson: Uint8Array; comment?: string; columnPositionType: number }[],
    dropColumns: [] as { columnName: string }[],
    renameColumns: [] as { oldColumnName: string; newColumnName: string }[],
    modifyColumns: [] as { columnName: string; dataTypeJson: Uint8Array; comment?: string }[],
  };
  for (const change of changes as readonly unknown[]) {
    const c = change as TableChange;
    switch (c?.kind) {
      case "set":
        out.configChanges.push({ configKey: c.key, configValue: c.value, opType: CONFIG_OP.set });
        break;
      case "reset":
        out.configChanges.push({ configKey: c.key, opType: CONFIG_OP.reset });
        break;
      case "addColumn":
        out.addColumns.push({ ...typedColumn(c), columnPositionType: POSITION_LAST });
        break;
      case "dropColumn":
        out.dropColumns.push({ columnName: c.name });
        break;
      case "renameColumn":
        out.renameColumns.push({ oldColumnName: c.oldName, newColumnName: c.newName });
        break;
      case "modifyColumn":
        out.modifyColumns.push(typedColumn(c));
        break;
      default:
        throw FlussError.client(`not a TableChange: ${describe(change)} (make changes with TableChange.set, TableChange.addColumn, …)`);
    }
  }
  return out;
}

/** The column fields an added and a modified column share: name, type as Fluss's JSON, comment. */
function typedColumn(change: AddColumn | ModifyColumn): { columnName: string; dataTypeJson: Uint8Array; comment?: string } {
  return {
    columnName: change.name,
    dataTypeJson: encoder.encode(JSON.stringify(dataTypeToJson(change.dataType))),
    ...(change.comment === undefined ? {} : { comment: change.comment }),
  };
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
