/**
 * SchemaMapping: a batch written with one schema of a table, read as a batch
 * of another (the integration suite runs it against tables changed with
 * alterTable on the real cluster).
 */
import { describe, expect, it } from "vitest";
import { SchemaMapping } from "../../../src/client/scan/schema-evolution.js";
import { Column, DataTypes, Schema, type DataType } from "../../../src/metadata/index.js";
import { rowsToRecordBatch } from "../../../src/row/index.js";
import { clientError } from "../metadata/helpers.js";

/** A schema whose columns carry the given ids, as schemas from the server do. */
function schemaOf(columns: readonly [name: string, type: DataType, id: number][]): Schema {
  return new Schema(columns.map(([name, type, id]) => new Column(name, type, undefined, id)));
}

const written = schemaOf([
  ["id", DataTypes.int(), 0],
  ["name", DataTypes.string(), 1],
]);
const ROWS = [
  { id: 1, name: "a" },
  { id: 2, name: null },
  { id: 3, name: "c" },
];

function map(source: Schema, target: Schema, rows: readonly Record<string, unknown>[] = ROWS) {
  const batch = rowsToRecordBatch(source, rows as never);
  return new SchemaMapping(source, target, target.toArrow()).apply(batch);
}

describe("SchemaMapping", () => {
  it("reads a column the batch lacks as nulls, with every buffer its type needs", () => {
    const added: [string, DataType][] = [
      ["score", DataTypes.bigint()],
      ["label", DataTypes.string()],
      ["amount", DataTypes.decimal(20, 4)],
      ["at", DataTypes.timestamp(9)],
      ["tags", DataTypes.array(DataTypes.string())],
      ["attrs", DataTypes.map(DataTypes.string(), DataTypes.int())],
      ["point", DataTypes.row([DataTypes.field("x", DataTypes.double()), DataTypes.field("y", DataTypes.double())])],
      ["flag", DataTypes.boolean()],
    ];
    // Fresh ids, as Fluss gives them: 0 and 1 for the written columns, then the added ones (and their nested fields).
    const target = new Schema([...written.columns.map(({ name, type }) => ({ name, type })), ...added.map(([name, type]) => ({ name, type }))]);
    expect(target.columns.slice(0, 2).map((c) => c.id)).toEqual([0, 1]);
    const batch = map(written, target);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(target.getColumnNames());
    expect(batch.numRows).toBe(3);
    expect(batch.getChild("id")!.toArray()).toEqual(Int32Array.of(1, 2, 3));
    expect([...batch.getChild("name")!]).toEqual(["a", null, "c"]);
    for (const [name] of added) {
      const column = batch.getChild(name)!;
      expect(column.length, name).toBe(3);
      expect(column.nullCount, name).toBe(3);
      expect([...column], name).toEqual([null, null, null]);
    }
    // A reader of the values array finds a slot for every row (arrow-js builders fill nulls' slots).
    expect(batch.getChild("score")!.data[0]!.values.length).toBeGreaterThanOrEqual(3);
    expect(batch.getChild("score")!.toArray()).toHaveLength(3);
  });

  it("matches columns by id, not by name or position", () => {
    // The reader's schema names column 1 differently and puts a new column first.
    const target = schemaOf([
      ["extra", DataTypes.int(), 5],
      ["title", DataTypes.string(), 1],
      ["id", DataTypes.int(), 0],
    ]);
    expect(map(written, target).toArray().map((row) => row.toJSON())).toEqual([
      { extra: null, title: "a", id: 1 },
      { extra: null, title: null, id: 2 },
      { extra: null, title: "c", id: 3 },
    ]);
  });

  it("leaves out a column the reader does not know (added after its handle was made)", () => {
    const newer = schemaOf([
      ["id", DataTypes.int(), 0],
      ["name", DataTypes.string(), 1],
      ["score", DataTypes.bigint(), 2],
    ]);
    const batch = map(newer, written, [{ id: 7, name: "x", score: 70n }]);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(["id", "name"]);
    expect(batch.toArray().map((row) => row.toJSON())).toEqual([{ id: 7, name: "x" }]);
  });

  it("shares its all-null columns between batches of the same length, and copies no value", () => {
    const target = schemaOf([
      ["id", DataTypes.int(), 0],
      ["name", DataTypes.string(), 1],
      ["score", DataTypes.bigint(), 2],
    ]);
    const mapping = new SchemaMapping(written, target, target.toArrow());
    const source = rowsToRecordBatch(written, ROWS as never);
    const one = mapping.apply(source);
    const two = mapping.apply(rowsToRecordBatch(written, ROWS as never));
    expect(one.data.children[2]).toBe(two.data.children[2]);
    expect(one.data.children[0]).toBe(source.data.children[0]);
  });

  it("refuses a column whose type changed (Fluss 0.9.1 never changes one), naming it", () => {
    const target = schemaOf([
      ["id", DataTypes.bigint(), 0],
      ["name", DataTypes.string(), 1],
    ]);
    clientError(() => new SchemaMapping(written, target, target.toArrow()), "'id'", "INT", "BIGINT", "getTable");
  });

  it("ignores nullability: a column written NOT NULL reads as the nullable one the reader has", () => {
    const strict = schemaOf([
      ["id", DataTypes.int().notNull(), 0],
      ["name", DataTypes.string(), 1],
    ]);
    expect(map(strict, written).toArray().map((row) => row.toJSON())).toEqual(ROWS);
  });
});
