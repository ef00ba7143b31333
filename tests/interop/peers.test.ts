/**
 * Peer-to-peer sanity of the interop harness: the official Java client (fluss-client 0.9.1) and the
 * official Python client (pyfluss 1.0.0) create metadata through one and read it back through the
 * other, and the two descriptions agree once type strings are normalised (peers.ts#normaliseType).
 *
 * This proves the probes themselves before fluss-edge is compared against them.
 * Runs in the `integration` project (tests/setup/cluster.ts provides FLUSS_BOOTSTRAP_SERVERS).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DatabaseDescription,
  type Peer,
  PeerProbeError,
  type TableDescription,
  type UnsupportedResult,
  ensurePeersReady,
  isUnsupported,
  normaliseDescription,
  normaliseType,
  runJavaProbe,
  runProbeOf,
  runPythonProbe,
} from "./peers.js";

const RUN = `${Date.now()}`;
const DB = `interop_peers_${RUN}`;

/** Every Fluss data type, with NOT NULL variants and nesting. All of it is expressible in Java. */
const ALL_TYPES: { name: string; type: string }[] = [
  { name: "c_boolean", type: "BOOLEAN" },
  { name: "c_boolean_nn", type: "BOOLEAN NOT NULL" },
  { name: "c_tinyint", type: "TINYINT" },
  { name: "c_smallint", type: "SMALLINT" },
  { name: "c_int", type: "INT" },
  { name: "c_int_nn", type: "INT NOT NULL" },
  { name: "c_bigint", type: "BIGINT NOT NULL" },
  { name: "c_float", type: "FLOAT" },
  { name: "c_double", type: "DOUBLE" },
  { name: "c_decimal_10_2", type: "DECIMAL(10, 2)" },
  { name: "c_decimal_18_4", type: "DECIMAL(18, 4)" },
  { name: "c_decimal_19_0", type: "DECIMAL(19, 0) NOT NULL" },
  { name: "c_decimal_38_10", type: "DECIMAL(38, 10)" },
  { name: "c_char_3", type: "CHAR(3)" },
  { name: "c_char_1_nn", type: "CHAR(1) NOT NULL" },
  { name: "c_string", type: "STRING" },
  { name: "c_string_nn", type: "STRING NOT NULL" },
  { name: "c_binary_4", type: "BINARY(4)" },
  { name: "c_bytes", type: "BYTES" },
  { name: "c_date", type: "DATE" },
  { name: "c_time", type: "TIME" },
  { name: "c_time_3", type: "TIME(3)" },
  { name: "c_time_2", type: "TIME(2)" },
  { name: "c_time_9", type: "TIME(9)" },
  { name: "c_timestamp_0", type: "TIMESTAMP(0)" },
  { name: "c_timestamp_3", type: "TIMESTAMP(3)" },
  { name: "c_timestamp_6", type: "TIMESTAMP(6)" },
  { name: "c_timestamp_9", type: "TIMESTAMP(9) NOT NULL" },
  { name: "c_timestamp_2", type: "TIMESTAMP(2)" },
  { name: "c_ltz_0", type: "TIMESTAMP_LTZ(0)" },
  { name: "c_ltz_3", type: "TIMESTAMP_LTZ(3)" },
  { name: "c_ltz_6", type: "TIMESTAMP_LTZ(6) NOT NULL" },
  { name: "c_ltz_9", type: "TIMESTAMP_LTZ(9)" },
  { name: "c_ltz_5", type: "TIMESTAMP_LTZ(5)" },
  { name: "c_array", type: "ARRAY<STRING>" },
  { name: "c_array_nn", type: "ARRAY<INT NOT NULL> NOT NULL" },
  { name: "c_map", type: "MAP<STRING, INT>" },
  { name: "c_map_nn_key", type: "MAP<STRING NOT NULL, BIGINT NOT NULL>" },
  { name: "c_row", type: "ROW<a INT, b STRING>" },
  { name: "c_row_nested", type: "ROW<x ARRAY<ROW<y DECIMAL(20, 3) NOT NULL>>, z MAP<INT NOT NULL, TIMESTAMP_LTZ(3)>> NOT NULL" },
];

/** The subset pyfluss can create (see probe.py: no CHAR, TIME/TIMESTAMP(_LTZ) precisions 0/3/6/9 only). */
const PYFLUSS_UNSUPPORTED = new Set(["c_char_3", "c_char_1_nn", "c_time_2", "c_timestamp_2", "c_ltz_5"]);
const PYFLUSS_TYPES = ALL_TYPES.filter((c) => !PYFLUSS_UNSUPPORTED.has(c.name));

const describeWith = (peer: Peer, table: string) =>
  runProbeOf<TableDescription>(peer, "describe-table", { database: DB, table });

/** Describes a table with both peers and checks they agree; returns the (normalised) description. */
async function expectPeersAgree(table: string): Promise<TableDescription> {
  const [java, python] = await Promise.all([describeWith("java", table), describeWith("python", table)]);
  const nj = normaliseDescription(java);
  expect(normaliseDescription(python)).toEqual(nj);
  return nj;
}

async function expectProbeError(p: Promise<unknown>, code: number): Promise<PeerProbeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PeerProbeError);
  expect((err as PeerProbeError).code).toBe(code);
  return err as PeerProbeError;
}

beforeAll(async () => {
  await ensurePeersReady();
}, 600_000);

afterAll(async () => {
  await runJavaProbe("drop-database", { name: DB, ignoreIfNotExists: true, cascade: true }).catch(() => undefined);
}, 120_000);

describe("normaliseType", () => {
  it("maps the Java, SQL and pyfluss spellings onto one form", () => {
    const cases: [string[], string][] = [
      [["INT NOT NULL", "int NOT NULL", "INTEGER NOT NULL"], "INT NOT NULL"],
      [["DECIMAL(10, 2)", "decimal(10,2)", "NUMERIC(10, 2)"], "DECIMAL(10, 2)"],
      [["DECIMAL", "decimal(10,0)"], "DECIMAL(10, 0)"],
      [["TIMESTAMP(6)", "timestamp", "TIMESTAMP WITHOUT TIME ZONE"], "TIMESTAMP(6)"],
      [["TIMESTAMP_LTZ(3)", "timestamp_ltz(3)", "TIMESTAMP(3) WITH LOCAL TIME ZONE"], "TIMESTAMP_LTZ(3)"],
      [["TIMESTAMP_LTZ(6)", "timestamp_ltz"], "TIMESTAMP_LTZ(6)"],
      [["TIME(0)", "time", "TIME"], "TIME(0)"],
      [["CHAR(1)", "CHAR", "char(1)"], "CHAR(1)"],
      [["DOUBLE PRECISION", "double"], "DOUBLE"],
      [["MAP<STRING, INT>", "map<string,int>", "MAP<STRING NOT NULL, INT>", "map<string NOT NULL,int>"], "MAP<STRING NOT NULL, INT>"],
      [["ARRAY<INT NOT NULL> NOT NULL", "array<int NOT NULL> NOT NULL"], "ARRAY<INT NOT NULL> NOT NULL"],
      [
        ["ROW<`a` INT NOT NULL, `b` STRING>", "row<a: int NOT NULL, b: string>", "ROW<a INT NOT NULL, b STRING 'desc'>"],
        "ROW<`a` INT NOT NULL, `b` STRING>",
      ],
    ];
    for (const [inputs, expected] of cases) {
      for (const input of inputs) expect(normaliseType(input), input).toBe(expected);
    }
    expect(() => normaliseType("VARCHAR(3)")).toThrow(/unknown type/);
  });
});

describe("Java creates, Python describes", () => {
  it("database with comment and custom properties", async () => {
    await runJavaProbe("create-database", {
      name: DB,
      comment: "interop peers run " + RUN,
      customProperties: { owner: "fluss-edge", "k.with.dots": "v" },
    });
    const java = await runJavaProbe<DatabaseDescription>("describe-database", { name: DB });
    const python = await runPythonProbe<DatabaseDescription>("describe-database", { name: DB });
    expect(python).toEqual(java);
    expect(java).toMatchObject({ name: DB, comment: "interop peers run " + RUN, customProperties: { owner: "fluss-edge", "k.with.dots": "v" } });
    for (const peer of ["java", "python"] as const) {
      expect(await runProbeOf<string[]>(peer, "list-databases")).toContain(DB);
    }
  });

  it("log table of every Fluss type", async () => {
    const created = await runJavaProbe<{ ok: true; columns: { name: string; type: string }[] }>("create-table", {
      database: DB,
      table: "java_all_types",
      columns: ALL_TYPES,
      comment: "every type",
    });
    // What Java parsed is what we asked for.
    expect(created.columns.map((c) => normaliseType(c.type))).toEqual(ALL_TYPES.map((c) => normaliseType(c.type)));
    const desc = await expectPeersAgree("java_all_types");
    expect(desc.columns).toEqual(ALL_TYPES.map((c) => ({ name: c.name, type: normaliseType(c.type) })));
    expect(desc).toMatchObject({ primaryKeys: [], partitionKeys: [], comment: "every type", partitions: [] });
  });

  it("partitioned primary-key table with partitions created by both peers", async () => {
    await runJavaProbe("create-table", {
      database: DB,
      table: "java_partitioned",
      columns: [
        { name: "id", type: "BIGINT NOT NULL" },
        { name: "region", type: "STRING NOT NULL" },
        { name: "payload", type: "BYTES" },
      ],
      primaryKeys: ["id", "region"],
      partitionKeys: ["region"],
      bucketCount: 2,
    });
    await runJavaProbe("create-partition", { database: DB, table: "java_partitioned", spec: { region: "US" } });
    await runPythonProbe("create-partition", { database: DB, table: "java_partitioned", spec: { region: "EU" } });
    const desc = await expectPeersAgree("java_partitioned");
    expect(desc).toMatchObject({ primaryKeys: ["id", "region"], partitionKeys: ["region"], bucketKeys: ["id"], numBuckets: 2 });
    expect(desc.partitions.map((p) => p.partitionName)).toEqual(["EU", "US"]);
    const listed = await runPythonProbe("list-partitions", { database: DB, table: "java_partitioned" });
    expect(listed).toEqual(desc.partitions);
  });

  it("log table with bucket keys, properties, custom properties and a comment", async () => {
    await runJavaProbe("create-table", {
      database: DB,
      table: "java_bucketed",
      columns: [
        { name: "k1", type: "INT" },
        { name: "k2", type: "STRING" },
        { name: "v", type: "DOUBLE" },
      ],
      bucketCount: 3,
      bucketKeys: ["k1", "k2"],
      properties: { "table.log.ttl": "2d", "table.replication.factor": "1" },
      customProperties: { "custom.a": "1", "custom.b": "two" },
      comment: "bucketed",
    });
    const desc = await expectPeersAgree("java_bucketed");
    expect(desc).toMatchObject({
      numBuckets: 3,
      bucketKeys: ["k1", "k2"],
      customProperties: { "custom.a": "1", "custom.b": "two" },
      comment: "bucketed",
    });
    expect(desc.properties).toMatchObject({ "table.log.ttl": "2d", "table.replication.factor": "1" });
  });

  it("primary-key table", async () => {
    await runJavaProbe("create-table", {
      database: DB,
      table: "java_pk",
      columns: [
        { name: "id", type: "INT NOT NULL" },
        { name: "name", type: "STRING" },
        { name: "amount", type: "DECIMAL(12, 2)" },
        { name: "updated", type: "TIMESTAMP_LTZ(3)" },
      ],
      primaryKeys: ["id"],
      bucketCount: 4,
      properties: { "table.changelog.image": "WAL" },
    });
    const desc = await expectPeersAgree("java_pk");
    expect(desc).toMatchObject({ primaryKeys: ["id"], bucketKeys: ["id"], numBuckets: 4 });
    expect(desc.properties["table.changelog.image"]).toBe("WAL");
  });
});

describe("Python creates, Java describes", () => {
  it("refuses types pyfluss cannot express, without touching the cluster", async () => {
    const res = await runPythonProbe<UnsupportedResult>("create-table", {
      database: DB,
      table: "python_unsupported",
      columns: ALL_TYPES,
    });
    expect(isUnsupported(res)).toBe(true);
    expect(new Set(res.unsupported.map((u) => u.column))).toEqual(PYFLUSS_UNSUPPORTED);
    expect(await runJavaProbe<string[]>("list-tables", { database: DB })).not.toContain("python_unsupported");
  });

  it("log table of every type pyfluss can express", async () => {
    const created = await runPythonProbe<{ ok: true; columns: { name: string; type: string }[] }>("create-table", {
      database: DB,
      table: "python_all_types",
      columns: PYFLUSS_TYPES,
      comment: "pyfluss types",
    });
    expect(isUnsupported(created)).toBe(false);
    expect(created.columns.map((c) => normaliseType(c.type))).toEqual(PYFLUSS_TYPES.map((c) => normaliseType(c.type)));
    const desc = await expectPeersAgree("python_all_types");
    expect(desc.columns).toEqual(PYFLUSS_TYPES.map((c) => ({ name: c.name, type: normaliseType(c.type) })));
    expect(desc.comment).toBe("pyfluss types");
  });

  it("partitioned primary-key table with bucket keys, properties and custom properties", async () => {
    await runPythonProbe("create-table", {
      database: DB,
      table: "python_partitioned_pk",
      columns: [
        { name: "dt", type: "STRING NOT NULL" },
        { name: "user_id", type: "BIGINT NOT NULL" },
        { name: "item", type: "INT NOT NULL" },
        { name: "score", type: "FLOAT" },
      ],
      primaryKeys: ["dt", "user_id", "item"],
      partitionKeys: ["dt"],
      bucketCount: 2,
      bucketKeys: ["user_id"],
      properties: { "table.replication.factor": "1" },
      customProperties: { origin: "pyfluss" },
      comment: "from python",
    });
    await runPythonProbe("create-partition", { database: DB, table: "python_partitioned_pk", spec: { dt: "2026-11-26" } });
    await runJavaProbe("create-partition", { database: DB, table: "python_partitioned_pk", spec: { dt: "2026-11-27" } });
    const desc = await expectPeersAgree("python_partitioned_pk");
    expect(desc).toMatchObject({
      primaryKeys: ["dt", "user_id", "item"],
      partitionKeys: ["dt"],
      bucketKeys: ["user_id"],
      numBuckets: 2,
      customProperties: { origin: "pyfluss" },
      comment: "from python",
    });
    expect(desc.partitions.map((p) => p.partitionName)).toEqual(["2026-11-26", "2026-11-27"]);
  });

  it("database and table listings agree; drops are seen by the other peer", async () => {
    await runPythonProbe("create-table", {
      database: DB,
      table: "python_to_drop",
      columns: [{ name: "x", type: "INT" }],
    });
    const [java, python] = await Promise.all([
      runJavaProbe<string[]>("list-tables", { database: DB }),
      runPythonProbe<string[]>("list-tables", { database: DB }),
    ]);
    expect(python).toEqual(java);
    expect(java).toContain("python_to_drop");
    await runPythonProbe("drop-table", { database: DB, table: "python_to_drop" });
    expect(await runJavaProbe<string[]>("list-tables", { database: DB })).not.toContain("python_to_drop");
  });
});

describe("errors carry the same Fluss error codes from both peers", () => {
  for (const peer of ["java", "python"] as const) {
    it(`${peer}`, async () => {
      // 7 TABLE_NOT_EXIST
      await expectProbeError(describeWith(peer, "no_such_table"), 7);
      // 6 DATABASE_ALREADY_EXIST
      await expectProbeError(runProbeOf(peer, "create-database", { name: DB }), 6);
      // 4 DATABASE_NOT_EXIST
      await expectProbeError(runProbeOf(peer, "list-tables", { database: `${DB}_missing` }), 4);
      // 8 TABLE_ALREADY_EXIST
      await expectProbeError(
        runProbeOf(peer, "create-table", { database: DB, table: "java_pk", columns: [{ name: "x", type: "INT" }] }),
        8,
      );
    });
  }
});

// The integration globalSetup always provides the SASL listener (tests/setup/cluster.ts).
describe("SASL/PLAIN through --conf", () => {
  const bootstrap = process.env.FLUSS_SASL_BOOTSTRAP_SERVERS ?? "";
  const conf = (peer: Peer, password: string): Record<string, string> =>
    peer === "java"
      ? {
          "client.security.protocol": "SASL",
          "client.security.sasl.mechanism": "PLAIN",
          "client.security.sasl.username": "admin",
          "client.security.sasl.password": password,
        }
      : { "security.protocol": "sasl", "security.sasl.username": "admin", "security.sasl.password": password };

  for (const peer of ["java", "python"] as const) {
    it(`${peer}: valid credentials list the run's database; a wrong password is AUTHENTICATE_EXCEPTION (46)`, async () => {
      expect(await runProbeOf<string[]>(peer, "list-databases", undefined, { bootstrap, conf: conf(peer, "admin-secret") })).toContain(DB);
      await expectProbeError(runProbeOf(peer, "list-databases", undefined, { bootstrap, conf: conf(peer, "wrong") }), 46);
    });
  }
});
