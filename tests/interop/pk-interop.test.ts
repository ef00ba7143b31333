/**
 * Primary-key tables across clients, over the real cluster: what fluss-edge upserts, deletes and
 * partially updates is what the Java client's and pyfluss's lookups find, and what each of them
 * upserts and deletes is what fluss-edge's Lookuper finds — every type of the all-types fixture as
 * a non-key column (the fixture's NOT NULL `c_int` is the key), under both `table.kv.format`s, and
 * keys of several types (INT, BIGINT, STRING, INT + STRING, INT + STRING bucketed by the STRING
 * alone, and a key of fifteen scalar types) over several buckets: a lookup finds a row only in the
 * bucket the writer put it in and only under the exact key bytes, so one client finding the rows
 * of another proves both. The changelogs the server derives (every +I, -U/+U, -D in its bucket and
 * at its offset) are compared too: with the model of the writes for the one-bucket tables, and
 * between the fluss-edge-written and the Java-written table for the others.
 *
 * What the peers can carry (found on this cluster, Fluss 0.9.1 / Java client 0.9.1 / pyfluss 1.0.0):
 * - The Java client: every value of ALL_TYPES_ROWS both ways, in both kv formats, but two in
 *   INDEXED tables, where a CHAR(n) or BINARY(n) value takes n bytes. Its INDEXED writer fails on
 *   the CHAR(5) value 'héllo' (6 bytes of UTF-8: ArrayIndexOutOfBoundsException, before sending).
 *   And the server cannot hold a BINARY(n) value ending in a zero byte, whoever writes it: it reads
 *   the value back shortened (`IndexedRow#getBinary`) and fails the whole PutKv batch while writing
 *   the changelog (IndexOutOfBoundsException in ArrowBinaryWriter). fluss-edge refuses both before
 *   sending. Asserted below; the other INDEXED tests use 'héll' and end such BINARY values in 0x01.
 *   The changelog of an INDEXED table carries each CHAR(n) value padded with NUL characters to n
 *   bytes of UTF-8 ('abc' reads as 'abc\0\0'), whoever wrote the row: the server writes the
 *   fixed-width INDEXED field into the Arrow changelog as it is (the Java client's and pyfluss's log
 *   scanners read the same padded strings there); lookups return the value unpadded.
 * - pyfluss: COMPACTED only. On an INDEXED table `new_upsert().create_writer()` fails with
 *   "Unknown KvFormat: `INDEXED`" and `lookup()` with "INDEXED format is not yet supported"
 *   (asserted below). Its row API (what upsert() and lookup() use) carries the COMMON rows of the
 *   log tests (timestamps in microseconds, none past 9999-12-30T22:00Z, no pre-1970 TIMESTAMP with
 *   a sub-millisecond part). Its bucketing hashes the key's tail bytes zero-extended
 *   (./pyfluss-bucketing.ts), so a key whose tail holds a byte ≥ 0x80 usually lands in another
 *   bucket than the Java client (and fluss-edge) put and look it up in: such rows are invisible
 *   across clients, whoever wrote them. The key tables assert exactly which keys.
 * Key encoding does not depend on `table.kv.format` (Fluss's KeyEncoder.ofPrimaryKeyEncoder picks
 * the encoder from the kv format version and lake format only), so the key tables use the default.
 */
import {
  type Column,
  type ColumnSpec,
  DataTypes,
  type FlussAdmin,
  FlussConnection,
  type FlussTable,
  type RowInput,
  Schema,
  TableDescriptor,
  TablePath,
} from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyBucketer } from "../../packages/client/src/bucketing/index.js";
import { ALL_TYPES_ROWS, ALL_TYPES_SCHEMA } from "../../packages/client/test/fixtures/all-types.js";
import { rowFromProbeJson, rowToProbeJson, type ProbeJson } from "../../packages/client/test/fixtures/probe-json.js";
import { uniqueName } from "../integration/targets.js";
import { createTableReady } from "../support/table-ready.js";
import { commonRows, KEY_INTS, KEY_STRINGS, readWithEdge } from "./edge-side.js";
import { ensurePeersReady, PeerProbeError, type ProbeRecord, runJavaProbe, runPythonProbe } from "./peers.js";
import { hasHighTailByte, zeroExtendingBucket } from "./pyfluss-bucketing.js";

const DB = uniqueName("pk_interop");

// ------------------------------------------------------------------------------------------
// writes and what they must leave behind
// ------------------------------------------------------------------------------------------

/** One writer's work, as both probes' `upsert-rows` take it: upserts, then deletes, then flush. */
interface KvStep {
  /** Whole rows in column order (null in the columns a partial update leaves out). */
  rows?: ProbeJson[][];
  /** Column names of a partial update. */
  partialUpdate?: string[];
  /** Primary-key values in key order. */
  deleteKeys?: ProbeJson[][];
}

type Columns = readonly Column[];

/** A change the server logs for a write, in the probes' record shape without bucket and offset. */
interface Change {
  changeType: string;
  row: ProbeJson[];
}

/** The table a sequence of steps leaves, and the changelog it makes, computed from the steps alone. */
class KvModel {
  /** Rows by their key (JSON of the primary-key values). */
  readonly rows = new Map<string, ProbeJson[]>();
  readonly changes: Change[] = [];
  readonly #keyIndexes: number[];

  constructor(
    readonly columns: Columns,
    readonly primaryKeys: readonly string[],
    steps: readonly KvStep[],
  ) {
    this.#keyIndexes = primaryKeys.map((k) => columns.findIndex((c) => c.name === k));
    for (const step of steps) this.#apply(step);
  }

  keyOf(row: readonly ProbeJson[]): ProbeJson[] {
    return this.#keyIndexes.map((i) => row[i]!);
  }

  /** The row stored under the key, or null. */
  lookup(key: readonly ProbeJson[]): ProbeJson[] | null {
    return this.rows.get(JSON.stringify(key)) ?? null;
  }

  #apply(step: KvStep): void {
    const targeted = step.partialUpdate && new Set(step.partialUpdate.map((name) => this.columns.findIndex((c) => c.name === name)));
    for (const row of step.rows ?? []) {
      const id = JSON.stringify(this.keyOf(row));
      const before = this.rows.get(id);
      // A partial update keeps the stored values of the other columns (null for a new row).
      const after = targeted ? row.map((v, i) => (targeted.has(i) ? v : (before?.[i] ?? null))) : [...row];
      if (before) this.changes.push({ changeType: "-U", row: before }, { changeType: "+U", row: after });
      else this.changes.push({ changeType: "+I", row: after });
      this.rows.set(id, after);
    }
    for (const key of step.deleteKeys ?? []) {
      const id = JSON.stringify(key);
      const before = this.rows.get(id);
      // Deleting a key that holds no row changes nothing and logs nothing.
      if (before) this.changes.push({ changeType: "-D", row: before });
      this.rows.delete(id);
    }
  }
}

// ------------------------------------------------------------------------------------------
// fluss-edge's side
// ------------------------------------------------------------------------------------------

let conn: FlussConnection;
let admin: FlussAdmin;

async function createPkTable(name: string, schema: Schema, options: { bucketCount: number; bucketKeys?: string[]; kvFormat?: "COMPACTED" | "INDEXED" }): Promise<FlussTable> {
  const path = new TablePath(DB, name);
  await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: options.bucketCount, bucketKeys: options.bucketKeys, kvFormat: options.kvFormat }));
  return conn.getTable(path);
}

function keyColumns(columns: Columns, primaryKeys: readonly string[]): Column[] {
  return primaryKeys.map((k) => columns.find((c) => c.name === k)!);
}

/** The steps through fluss-edge's UpsertWriter: one writer per step, closed (flushed) before the next. */
async function writeWithEdge(table: FlussTable, steps: readonly KvStep[], columns: Columns, primaryKeys: readonly string[]): Promise<void> {
  const keys = keyColumns(columns, primaryKeys);
  for (const step of steps) {
    const upsert = step.partialUpdate ? table.newUpsert().partialUpdateByName(step.partialUpdate) : table.newUpsert();
    const writer = upsert.createWriter();
    for (const row of step.rows ?? []) writer.upsert(rowFromProbeJson(row, columns) as RowInput);
    for (const key of step.deleteKeys ?? []) writer.delete(rowFromProbeJson(key, keys) as RowInput);
    await writer.close();
  }
}

/** fluss-edge's Lookuper on every key at once (they share requests), rows in the probes' shape. */
async function lookupWithEdge(table: FlussTable, keys: readonly ProbeJson[][], columns: Columns, primaryKeys: readonly string[]): Promise<(ProbeJson[] | null)[]> {
  const lookuper = table.newLookup().createLookuper();
  const keyCols = keyColumns(columns, primaryKeys);
  const rows = await Promise.all(keys.map((key) => lookuper.lookup(rowFromProbeJson(key, keyCols) as RowInput)));
  return rows.map((row) => (row === null ? null : rowToProbeJson(row, columns)));
}

/** What a one-bucket table's changelog must read as. */
function asBucketZero(changes: readonly Change[]): ProbeRecord[] {
  return changes.map((c, offset) => ({ bucket: 0, offset, changeType: c.changeType, row: c.row }));
}

/** What both probes' `upsert-rows` answer once every write of the steps is acknowledged. */
function probeDone(steps: readonly KvStep[]): { ok: true; upserted: number; deleted: number } {
  const count = (pick: (step: KvStep) => unknown[] | undefined) => steps.reduce((n, step) => n + (pick(step)?.length ?? 0), 0);
  return { ok: true, upserted: count((step) => step.rows), deleted: count((step) => step.deleteKeys) };
}

function tableArg(table: FlussTable): { database: string; table: string } {
  return { database: DB, table: table.getTablePath().tableName };
}

beforeAll(async () => {
  await ensurePeersReady();
  conn = await FlussConnection.create({ "bootstrap.servers": process.env.FLUSS_BOOTSTRAP_SERVERS! });
  admin = conn.getAdmin();
  await admin.createDatabase(DB);
}, 300_000);

afterAll(async () => {
  await admin?.dropDatabase(DB, { ignoreIfNotExists: true, cascade: true });
  await conn?.close();
});

// ------------------------------------------------------------------------------------------
// every type as a value, both kv formats
// ------------------------------------------------------------------------------------------

const ALL_TYPES_KEY = ["c_int"];
const PARTIAL_COLUMNS = ["c_int", "c_bigint", "c_string", "c_ts9", "c_map"];
const ABSENT_INT_KEY = 123_456_789;
const NEW_INT_KEY = 987_654_321;

/**
 * The same writes for every writer of an all-types table (`rows` are the fixture's, whose c_int
 * values are all different):
 * 1. upsert every row;
 * 2. replace rows 1 and 20-29 by other rows' values under their own keys; delete rows 2 and 5-14
 *    and a key that was never written;
 * 3. a partial update of c_bigint, c_string, c_ts9 and c_map: rows 0 (all null so far) and 30-39,
 *    deleted row 5 (comes back with nulls elsewhere) and a new key.
 */
function allTypesSteps(rows: readonly ProbeJson[][], columns: Columns): KvStep[] {
  const keyAt = columns.findIndex((c) => c.name === "c_int");
  const withKeyOf = (values: readonly ProbeJson[], keyRow: readonly ProbeJson[]) => values.map((v, i) => (i === keyAt ? keyRow[keyAt]! : v));
  const replaced = [1, ...range(20, 30)];
  const replacements = [3, ...range(120, 130)];
  const deleted = [2, ...range(5, 15)];
  const partialTargets = [...[0, ...range(30, 40), 5].map((i) => rows[i]![keyAt]!), NEW_INT_KEY];
  const partial = new Set(PARTIAL_COLUMNS.map((name) => columns.findIndex((c) => c.name === name)));
  return [
    { rows: [...rows] },
    {
      rows: replaced.map((r, j) => withKeyOf(rows[replacements[j]!]!, rows[r]!)),
      deleteKeys: [...deleted.map((r) => [rows[r]![keyAt]!]), [ABSENT_INT_KEY]],
    },
    {
      partialUpdate: PARTIAL_COLUMNS,
      // The values of the fixture's hand-written rows 1-4 in turn (the generated ones hold few).
      rows: partialTargets.map((key, j) => rows[1 + (j % 4)]!.map((v, i) => (i === keyAt ? key : partial.has(i) ? v : null))),
    },
  ];
}

/**
 * The row as an INDEXED table can hold it (see the header): each CHAR(n) value cut to n bytes of
 * UTF-8, each BINARY value that ends in a zero byte ending in 0x01 instead.
 */
function indexedSafe(row: readonly ProbeJson[], columns: Columns): ProbeJson[] {
  const utf8 = new TextEncoder();
  return row.map((value, i) => {
    const type = columns[i]!.type;
    if (typeof value !== "string") return value;
    if (type.typeRoot === "BINARY" && value.endsWith("00")) return `${value.slice(0, -2)}01`;
    if (type.typeRoot === "CHAR") {
      const length = (type as { length: number }).length;
      let chars = [...value];
      while (utf8.encode(chars.join("")).length > length) chars = chars.slice(0, -1);
      return chars.join("");
    }
    return value;
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe.each(["COMPACTED", "INDEXED"] as const)("every type as a value column (table.kv.format %s)", (kvFormat) => {
  const tag = kvFormat.toLowerCase();
  const columns = ALL_TYPES_SCHEMA.columns;
  const full = kvFormat === "INDEXED" ? ALL_TYPES_ROWS.map((row) => indexedSafe(row, columns)) : ALL_TYPES_ROWS;
  const common = commonRows(full, columns);
  const schema = new Schema(
    columns.map((c) => ({ name: c.name, type: c.type })),
    { primaryKeys: ALL_TYPES_KEY },
  );
  const fullModel = new KvModel(columns, ALL_TYPES_KEY, allTypesSteps(full, columns));
  const commonModel = new KvModel(columns, ALL_TYPES_KEY, allTypesSteps(common, columns));
  const keyAt = columns.findIndex((c) => c.name === "c_int");
  // Every key the writes name, and one never written.
  const keys = [...full.map((row) => [row[keyAt]!]), [ABSENT_INT_KEY], [NEW_INT_KEY], [555]];

  function expectedRows(model: KvModel): (ProbeJson[] | null)[] {
    return keys.map((key) => model.lookup(key));
  }

  /** The changelog records the model's changes must read as (CHAR values NUL-padded in INDEXED tables, see the header). */
  function expectedChangelog(model: KvModel): ProbeRecord[] {
    const records = asBucketZero(model.changes);
    if (kvFormat !== "INDEXED") return records;
    const utf8 = new TextEncoder();
    const pad = (value: ProbeJson, i: number): ProbeJson => {
      const type = columns[i]!.type;
      if (type.typeRoot !== "CHAR" || typeof value !== "string") return value;
      return value + "\0".repeat((type as { length: number }).length - utf8.encode(value).length);
    };
    return records.map((r) => ({ ...r, row: r.row.map(pad) }));
  }

  it("fluss-edge upserts, deletes and partial updates → the Java client's lookups find every row exactly; the changelog is the model's", async () => {
    const table = await createPkTable(`edge_full_${tag}`, schema, { bucketCount: 1, kvFormat });
    await writeWithEdge(table, allTypesSteps(full, columns), columns, ALL_TYPES_KEY);
    const java = await runJavaProbe<(ProbeJson[] | null)[]>("lookup-rows", { ...tableArg(table), keys });
    expect(java).toEqual(expectedRows(fullModel));
    expect(java.filter((row) => row !== null)).toHaveLength(fullModel.rows.size); // no vacuous all-null match
    expect(await lookupWithEdge(table, keys, columns, ALL_TYPES_KEY)).toEqual(expectedRows(fullModel));
    expect(await readWithEdge(table, fullModel.changes.length, columns)).toEqual(expectedChangelog(fullModel));
  });

  it("the Java client's UpsertWriter (upserts, deletes, partial updates) → fluss-edge's Lookuper finds every row exactly; the changelog is the model's", async () => {
    const table = await createPkTable(`java_full_${tag}`, schema, { bucketCount: 1, kvFormat });
    const steps = allTypesSteps(full, columns);
    expect(await runJavaProbe("upsert-rows", { ...tableArg(table), steps })).toEqual(probeDone(steps));
    expect(await lookupWithEdge(table, keys, columns, ALL_TYPES_KEY)).toEqual(expectedRows(fullModel));
    expect(await readWithEdge(table, fullModel.changes.length, columns)).toEqual(expectedChangelog(fullModel));
  });

  if (kvFormat === "COMPACTED") {
    it("fluss-edge upserts, deletes and partial updates → pyfluss's lookups find every row", async () => {
      const table = await createPkTable(`edge_common_${tag}`, schema, { bucketCount: 1, kvFormat });
      await writeWithEdge(table, allTypesSteps(common, columns), columns, ALL_TYPES_KEY);
      const py = await runPythonProbe<(ProbeJson[] | null)[]>("lookup-rows", { ...tableArg(table), keys });
      expect(py).toEqual(expectedRows(commonModel));
      expect(py.filter((row) => row !== null)).toHaveLength(commonModel.rows.size);
    });

    it("pyfluss's UpsertWriter (upserts, deletes, partial updates) → fluss-edge's Lookuper finds every row; the changelog is the model's", async () => {
      const table = await createPkTable(`py_common_${tag}`, schema, { bucketCount: 1, kvFormat });
      const steps = allTypesSteps(common, columns);
      // An {"unsupported": ...} answer (a value pyfluss cannot carry) would fail here, not later.
      expect(await runPythonProbe("upsert-rows", { ...tableArg(table), steps })).toEqual(probeDone(steps));
      expect(await lookupWithEdge(table, keys, columns, ALL_TYPES_KEY)).toEqual(expectedRows(commonModel));
      expect(await readWithEdge(table, commonModel.changes.length, columns)).toEqual(expectedChangelog(commonModel));
    });
  } else {
    it("what an INDEXED table cannot hold: the Java client fails on a 6-byte CHAR(5) value and the server on its batch with a BINARY(n) value ending in a zero byte; fluss-edge refuses both rows before sending", async () => {
      const table = await createPkTable(`refused_${tag}`, schema, { bucketCount: 1, kvFormat });
      const longChar = ALL_TYPES_ROWS[3]!; // c_char = 'héllo'
      const zeroEnded = ALL_TYPES_ROWS[2]!; // c_binary = 00000000
      const fine = full[1]!;
      // The CHAR failure is the Java writer's own, before anything is sent (alone: a row queued before it might go out).
      const javaChar = runJavaProbe("upsert-rows", { ...tableArg(table), rows: [longChar] });
      await expect(javaChar).rejects.toBeInstanceOf(PeerProbeError);
      await expect(javaChar).rejects.toThrow("ArrayIndexOutOfBoundsException");
      const javaBinary = runJavaProbe("upsert-rows", { ...tableArg(table), rows: [fine, zeroEnded] });
      await expect(javaBinary).rejects.toBeInstanceOf(PeerProbeError);
      await expect(javaBinary).rejects.toThrow(/UnknownServerException.*IndexOutOfBoundsException: Not enough space/s);
      const writer = table.newUpsert().createWriter();
      expect(() => writer.upsert(rowFromProbeJson(longChar, columns) as RowInput)).toThrow("its value takes 6 UTF-8 bytes");
      expect(() => writer.upsert(rowFromProbeJson(zeroEnded, columns) as RowInput)).toThrow("cannot hold a value ending in a zero byte");
      await writer.close();
      // Nothing of the Java batch (the row that fits included) nor of fluss-edge's reached the table.
      const keysTried = [fine, longChar, zeroEnded].map((row) => [row[keyAt]!]);
      expect(await lookupWithEdge(table, keysTried, columns, ALL_TYPES_KEY)).toEqual([null, null, null]);
    });

    it("pyfluss cannot write or look up an INDEXED table: both fail before anything is sent", async () => {
      const table = await createPkTable(`py_refused_${tag}`, schema, { bucketCount: 1, kvFormat });
      await writeWithEdge(table, [{ rows: common.slice(0, 5) }], columns, ALL_TYPES_KEY);
      const write = runPythonProbe("upsert-rows", { ...tableArg(table), rows: common.slice(5, 10) });
      await expect(write).rejects.toBeInstanceOf(PeerProbeError);
      await expect(write).rejects.toThrow("Unknown KvFormat: `INDEXED`");
      const read = runPythonProbe("lookup-rows", { ...tableArg(table), keys: [[common[1]![keyAt]!]] });
      await expect(read).rejects.toThrow("INDEXED format is not yet supported");
      // The refused write reached nothing: the table still holds fluss-edge's five rows alone.
      const lookups = await lookupWithEdge(table, common.slice(0, 10).map((row) => [row[keyAt]!]), columns, ALL_TYPES_KEY);
      expect(lookups).toEqual([...common.slice(0, 5), ...Array<null>(5).fill(null)]);
    });
  }
});

// ------------------------------------------------------------------------------------------
// key types: encoding and bucket placement
// ------------------------------------------------------------------------------------------

const KEY_BUCKETS = 4;
const KEY_BIGINTS = ["0", "1", "-1", "127", "128", "16383", "16384", "2147483647", "2147483648", "-2147483649", "9007199254740993", "-9007199254740993", "9223372036854775807", "-9223372036854775808"];

const ts = (millis: number, nanos = 0): ProbeJson => ({ millis, nanos });

/**
 * Sixteen key columns: every type a key can have but the INT, BIGINT and STRING above, with the
 * compact and the long forms of DECIMAL (precision ≤ 18 or not) and of the timestamps (precision ≤ 3
 * or not), which keys encode differently. Every column varies from row to row.
 */
const MANY_KEY_COLUMNS: ColumnSpec[] = [
  { name: "k_bool", type: DataTypes.boolean() },
  { name: "k_tinyint", type: DataTypes.tinyint() },
  { name: "k_smallint", type: DataTypes.smallint() },
  { name: "k_float", type: DataTypes.float() },
  { name: "k_double", type: DataTypes.double() },
  { name: "k_dec", type: DataTypes.decimal(10, 2) },
  { name: "k_dec_big", type: DataTypes.decimal(28, 4) },
  { name: "k_date", type: DataTypes.date() },
  { name: "k_time", type: DataTypes.time(3) },
  { name: "k_ts", type: DataTypes.timestamp(3) },
  { name: "k_ts6", type: DataTypes.timestamp(6) },
  { name: "k_ltz3", type: DataTypes.timestampLtz(3) },
  { name: "k_ltz", type: DataTypes.timestampLtz(6) },
  { name: "k_char", type: DataTypes.char(3) },
  { name: "k_binary", type: DataTypes.binary(2) },
  { name: "k_bytes", type: DataTypes.bytes() },
];
const CHARS = ["", "a", "ab", "abc", "é", "中", "ÿÿ", "z"];

function manyKey(i: number): ProbeJson[] {
  const sign = i % 2 === 0 ? "" : "-";
  const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, "0");
  // Timestamps pyfluss's row API carries: microseconds at most, no pre-1970 sub-millisecond part.
  const millis = (i - 12) * 123_456_789_012;
  return [
    i % 2 === 0,
    ((i * 37) % 256) - 128,
    i * 1000 - 12_000,
    i * 0.5 - 3,
    i / 3 - 4,
    `${sign}${i * 7}.${String(i % 100).padStart(2, "0")}`,
    `${sign}${"123456789012345678901234".slice(0, i)}${i === 0 ? "0" : ""}.${String(i * 13).padStart(4, "0").slice(-4)}`,
    -719_162 + i * 150_000,
    ((i * 3_599_999) % 86_400_000) * 1_000_000,
    ts(millis + (i % 1000)),
    ts(millis, millis < 0 ? 0 : (i * 7000) % 1_000_000),
    ts(millis - 7 * i),
    ts(millis + 1, (i * 1000) % 1_000_000),
    CHARS[i % CHARS.length]!,
    hex2(i * 41) + hex2(255 - i * 11),
    Array.from({ length: i % 7 }, (_, j) => hex2(i * 31 + j * 97)).join(""),
  ];
}

interface KeyTable {
  name: string;
  keyColumns: ColumnSpec[];
  /** Bucket keys when not the whole primary key. */
  bucketKeys?: string[];
  keys: ProbeJson[][];
  /** A key of the same shape that no writer writes. */
  absentKey: ProbeJson[];
  /**
   * How many keys pyfluss puts in another bucket than the Java client (found on this cluster; the
   * keys are fixed, so the counts are too), and how many of the keys have a tail byte ≥ 0x80.
   */
  pyflussMoved: number;
  highTail: number;
}

const KEY_TABLES: KeyTable[] = [
  { name: "int", keyColumns: [{ name: "k_int", type: DataTypes.int() }], keys: KEY_INTS.map((k) => [k]), absentKey: [12_345], pyflussMoved: 5, highTail: 6 },
  { name: "bigint", keyColumns: [{ name: "k_bigint", type: DataTypes.bigint() }], keys: KEY_BIGINTS.map((k) => [k]), absentKey: ["12345"], pyflussMoved: 7, highTail: 7 },
  { name: "string", keyColumns: [{ name: "k_str", type: DataTypes.string() }], keys: KEY_STRINGS.map((k) => [k]), absentKey: ["absent"], pyflussMoved: 1, highTail: 8 },
  {
    name: "int_string",
    keyColumns: [
      { name: "k_int", type: DataTypes.int() },
      { name: "k_str", type: DataTypes.string() },
    ],
    keys: KEY_INTS.flatMap((k) => KEY_STRINGS.map((s) => [k, s])),
    absentKey: [12_345, "absent"],
    pyflussMoved: 44,
    highTail: 60,
  },
  {
    name: "int_string_by_string",
    keyColumns: [
      { name: "k_int", type: DataTypes.int() },
      { name: "k_str", type: DataTypes.string() },
    ],
    // The bucket key is a part of the primary key: the key bytes and the bucket-key bytes differ.
    bucketKeys: ["k_str"],
    keys: KEY_INTS.flatMap((k) => KEY_STRINGS.map((s) => [k, s])),
    absentKey: [12_345, "absent"],
    pyflussMoved: 14,
    highTail: 112,
  },
  { name: "many_types", keyColumns: MANY_KEY_COLUMNS, keys: range(0, 24).map(manyKey), absentKey: manyKey(24), pyflussMoved: 8, highTail: 10 },
];

/** Upsert every key (v = "row i", n = i); then replace every fifth row, delete every seventh key and one never written. */
function keySteps(t: KeyTable): KvStep[] {
  const rowOf = (key: ProbeJson[], v: string, n: number) => [...key, v, String(n)];
  return [
    { rows: t.keys.map((key, i) => rowOf(key, `row ${i}`, i)) },
    {
      rows: t.keys.flatMap((key, i) => (i % 5 === 2 ? [rowOf(key, `updated ${i}`, -i)] : [])),
      deleteKeys: [...t.keys.filter((_, i) => i % 7 === 3), t.absentKey],
    },
  ];
}

describe.each(KEY_TABLES)(`primary key $name (${KEY_BUCKETS} buckets)`, (t) => {
  const primaryKeys = t.keyColumns.map((c) => c.name);
  const schema = new Schema([...t.keyColumns, { name: "v", type: DataTypes.string() }, { name: "n", type: DataTypes.bigint() }], { primaryKeys });
  const columns = schema.columns;
  const model = new KvModel(columns, primaryKeys, keySteps(t));
  const lookupKeys = [...t.keys, t.absentKey];
  const expected = lookupKeys.map((key) => model.lookup(key));
  let viaEdge: FlussTable;
  let viaJava: FlussTable;
  let viaPython: FlussTable;
  /** The keys pyfluss writes to and looks up in another bucket than the Java client. */
  let movedByPyfluss: Set<string>;
  let bucketer: KeyBucketer;

  beforeAll(async () => {
    const options = { bucketCount: KEY_BUCKETS, bucketKeys: t.bucketKeys };
    const create = (writer: string) => createPkTable(`key_${t.name}_${writer}`, schema, options);
    [viaEdge, viaJava, viaPython] = await Promise.all([create("edge"), create("java"), create("py")]);
    const steps = keySteps(t);
    const [, java, python] = await Promise.all([
      writeWithEdge(viaEdge, steps, columns, primaryKeys),
      runJavaProbe("upsert-rows", { ...tableArg(viaJava), steps }),
      runPythonProbe("upsert-rows", { ...tableArg(viaPython), steps }),
    ]);
    expect({ java, python }).toEqual({ java: probeDone(steps), python: probeDone(steps) });
    bucketer = new KeyBucketer(viaEdge.getTableInfo());
    movedByPyfluss = new Set(
      lookupKeys
        .filter((key) => {
          const bytes = bucketer.bucketKey(rowFromProbeJson([...key, null, null], columns) as RowInput).slice();
          return zeroExtendingBucket(bytes, KEY_BUCKETS) !== bucketer.bucketOf(rowFromProbeJson([...key, null, null], columns) as RowInput);
        })
        .map((key) => JSON.stringify(key)),
    );
  }, 300_000);

  it("the Java client's lookups find exactly the rows fluss-edge wrote, and fluss-edge's Lookuper the rows the Java client wrote", async () => {
    const java = await runJavaProbe<(ProbeJson[] | null)[]>("lookup-rows", { ...tableArg(viaEdge), keys: lookupKeys });
    expect(java).toEqual(expected);
    expect(await lookupWithEdge(viaJava, lookupKeys, columns, primaryKeys)).toEqual(expected);
    expect(await lookupWithEdge(viaEdge, lookupKeys, columns, primaryKeys)).toEqual(expected);
    // Every row the table holds was among the keys looked up.
    expect(expected.filter((row) => row !== null)).toHaveLength(model.rows.size);
  });

  it("both changelogs hold the same records in the same buckets at the same offsets, each key in the bucket fluss-edge's KeyBucketer computes", async () => {
    const [edgeLog, javaLog] = await Promise.all([readWithEdge(viaEdge, model.changes.length, columns), readWithEdge(viaJava, model.changes.length, columns)]);
    expect(edgeLog).toEqual(javaLog);
    expect(edgeLog).toHaveLength(model.changes.length);
    // More than one bucket holds rows, so placement was really tested.
    expect(new Set(edgeLog.map((r) => r.bucket)).size).toBeGreaterThan(1);
    for (const r of edgeLog) expect(r.bucket).toBe(bucketer.bucketOf(rowFromProbeJson(r.row, columns) as RowInput));
  });

  it("pyfluss: its lookups find fluss-edge's rows and fluss-edge finds its rows, but for the keys its zero-extending hash puts in another bucket", async () => {
    const py = await runPythonProbe<(ProbeJson[] | null)[]>("lookup-rows", { ...tableArg(viaEdge), keys: lookupKeys });
    const seenAcross = lookupKeys.map((key, i) => (movedByPyfluss.has(JSON.stringify(key)) ? null : expected[i]!));
    expect(py).toEqual(seenAcross);
    expect(await lookupWithEdge(viaPython, lookupKeys, columns, primaryKeys)).toEqual(seenAcross);
    // Where pyfluss put each of its changes: the zero-extending model's bucket, every one.
    const pyLog = await readWithEdge(viaPython, model.changes.length, columns);
    expect(pyLog).toHaveLength(model.changes.length);
    for (const r of pyLog) {
      const bytes = bucketer.bucketKey(rowFromProbeJson(r.row, columns) as RowInput).slice();
      expect(r.bucket, JSON.stringify(r.row)).toBe(zeroExtendingBucket(bytes, KEY_BUCKETS));
    }
    const highTail = t.keys.filter((key) => hasHighTailByte(bucketer.bucketKey(rowFromProbeJson([...key, null, null], columns) as RowInput))).length;
    expect({ highTail, moved: t.keys.filter((key) => movedByPyfluss.has(JSON.stringify(key))).length }).toEqual({ highTail: t.highTail, moved: t.pyflussMoved });
  });
});
