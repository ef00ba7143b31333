/**
 * TableChange (what alterTable takes) and the AlterTableRequest lists it
 * becomes; the integration suite sends them to the real cluster.
 */
import { describe, expect, it } from "vitest";
import { alterTableChanges } from "../../../src/api/alter-table.js";
import { DataTypes, TableChange, dataTypeToJson } from "../../../src/metadata/index.js";
import { clientError } from "./helpers.js";

const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

describe("TableChange", () => {
  it("describes each change as plain data", () => {
    expect(TableChange.set("k", "v")).toEqual({ kind: "set", key: "k", value: "v" });
    expect(TableChange.reset("k")).toEqual({ kind: "reset", key: "k" });
    expect(TableChange.addColumn("c", DataTypes.int(), { comment: "why" })).toEqual({
      kind: "addColumn",
      name: "c",
      dataType: DataTypes.int(),
      comment: "why",
    });
    expect(TableChange.dropColumn("c")).toEqual({ kind: "dropColumn", name: "c" });
    expect(TableChange.renameColumn("a", "b")).toEqual({ kind: "renameColumn", oldName: "a", newName: "b" });
    expect(TableChange.modifyColumn("c", DataTypes.string())).toEqual({ kind: "modifyColumn", name: "c", dataType: DataTypes.string(), comment: undefined });
  });

  it("refuses bad arguments before anything is sent, naming them", () => {
    clientError(() => TableChange.set("", "v"), "property key", "empty");
    clientError(() => TableChange.set("k", 3 as never), "value of property 'k'", "string");
    clientError(() => TableChange.addColumn("", DataTypes.int()), "column name");
    clientError(() => TableChange.addColumn("c", "INT" as never), "type of column 'c'", "DataTypes");
    clientError(() => TableChange.addColumn("c", DataTypes.int(), { comment: 1 as never }), "comment of column 'c'");
    clientError(() => TableChange.renameColumn("a", ""), "new column name");
  });
});

describe("alterTableChanges", () => {
  it("groups the changes by kind, in the request's fields", () => {
    const lists = alterTableChanges([
      TableChange.set("owner", "me"),
      TableChange.addColumn("score", DataTypes.bigint(), { comment: "later" }),
      TableChange.reset("old"),
      TableChange.addColumn("tags", DataTypes.array(DataTypes.string())),
      TableChange.dropColumn("d"),
      TableChange.renameColumn("a", "b"),
      TableChange.modifyColumn("m", DataTypes.string(), { comment: "c" }),
    ]);
    expect(lists.configChanges).toEqual([
      { configKey: "owner", configValue: "me", opType: 0 },
      { configKey: "old", opType: 1 },
    ]);
    expect(lists.addColumns.map((c) => ({ ...c, dataTypeJson: json(c.dataTypeJson) }))).toEqual([
      { columnName: "score", dataTypeJson: dataTypeToJson(DataTypes.bigint()), comment: "later", columnPositionType: 0 },
      { columnName: "tags", dataTypeJson: dataTypeToJson(DataTypes.array(DataTypes.string())), columnPositionType: 0 },
    ]);
    expect(lists.dropColumns).toEqual([{ columnName: "d" }]);
    expect(lists.renameColumns).toEqual([{ oldColumnName: "a", newColumnName: "b" }]);
    expect(lists.modifyColumns.map((c) => ({ ...c, dataTypeJson: json(c.dataTypeJson) }))).toEqual([
      { columnName: "m", dataTypeJson: dataTypeToJson(DataTypes.string()), comment: "c" },
    ]);
  });

  it("refuses what TableChange did not make", () => {
    clientError(() => alterTableChanges([{ kind: "truncate" } as never]), "not a TableChange", "truncate");
    clientError(() => alterTableChanges([null as never]), "not a TableChange");
    clientError(() => alterTableChanges("addColumn" as never), "array of TableChange");
  });
});
