/**
 * Interop peers: the official Apache Fluss clients driven as command-line probes.
 *
 * - Python: `pyfluss` (PyPI, import `fluss`) in <repo>/.venv, probe tests/interop/python/probe.py
 * - Java:   `org.apache.fluss:fluss-client` from Maven Central, probe tests/interop/java/FlussProbe.java
 *
 * Both probes share one CLI (`--bootstrap host:port [--conf k=v]... <command> [json-arg]`) and print
 * ONE JSON document on stdout. See the header of either probe for the commands and their arguments.
 *
 * Typical use in a test:
 *
 *   beforeAll(() => ensurePeersReady(), 300_000);
 *   await runJavaProbe("create-table", { database, table, columns: [{ name: "a", type: "INT" }] });
 *   const py = await runPythonProbe<TableDescription>("describe-table", { database, table });
 *   expect(normaliseDescription(py)).toEqual(normaliseDescription(java));
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ProbeJson } from "../../packages/client/test/fixtures/probe-json.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PYTHON_PROBE = fileURLToPath(new URL("./python/probe.py", import.meta.url));

/** Default timeout of one probe call (a JVM start plus one admin round trip is ~1-2 s). */
export const PROBE_TIMEOUT_MS = 90_000;

export type Peer = "python" | "java";

/** One column as printed by `describe-table` / `create-table`. */
export interface ProbeColumn {
  name: string;
  /** The peer's own type string: Java `DataType#toString()`, pyfluss `Schema.get_columns()`. */
  type: string;
  /** Java only, when the column has a comment. */
  comment?: string;
}

/** Output of the `describe-table` command (same shape for both peers). */
export interface TableDescription {
  tableId: number;
  schemaId: number;
  numBuckets: number;
  columns: ProbeColumn[];
  primaryKeys: string[];
  partitionKeys: string[];
  bucketKeys: string[];
  properties: Record<string, string>;
  customProperties: Record<string, string>;
  comment: string | null;
  partitions: { partitionId: number; partitionName: string }[];
  createdTime: number;
  modifiedTime: number;
}

/** Output of the `describe-database` command. */
export interface DatabaseDescription {
  name: string;
  comment: string | null;
  customProperties: Record<string, string>;
  createdTime: number;
  modifiedTime: number;
}

/** One record as both probes' `scan-rows` print it. */
export interface ProbeRecord {
  bucket: number;
  offset: number;
  changeType: string;
  row: ProbeJson[];
}

/** Python only (exit code 3): `create-table` asked for types pyfluss cannot express; nothing was sent. */
export interface UnsupportedResult {
  unsupported: { column?: string; type?: string; reason: string }[];
}

export function isUnsupported(value: unknown): value is UnsupportedResult {
  return typeof value === "object" && value !== null && Array.isArray((value as UnsupportedResult).unsupported);
}

/** A probe that printed `{"error": {...}}` (or crashed / timed out: code -2). */
export class PeerProbeError extends Error {
  override readonly name = "PeerProbeError";
  constructor(
    readonly peer: Peer,
    readonly command: string,
    /** Fluss error code (e.g. 7 TABLE_NOT_EXIST), or -2 for client-side failures. */
    readonly code: number,
    readonly detail: string,
    readonly exception: string | undefined,
    readonly stderr: string,
  ) {
    super(`${peer} probe ${command} failed (code ${code}${exception ? `, ${exception}` : ""}): ${detail}`);
  }
}

export interface ProbeOptions {
  /** Default: process.env.FLUSS_BOOTSTRAP_SERVERS, else 127.0.0.1:9123. */
  bootstrap?: string;
  /** Extra client config (`--conf k=v`), in the peer's own key syntax (Java keys carry `client.`). */
  conf?: Record<string, string>;
  timeoutMs?: number;
}

export interface PeerSetup {
  /** Path of the venv's python, from scripts/setup-python.sh. */
  python: string;
  /** Classpath of the compiled Java probe plus the client jars, from scripts/build-java-probe.sh. */
  javaClasspath: string;
}

// --------------------------------------------------------------------------------------------
// setup
// --------------------------------------------------------------------------------------------

interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; -1 when the process was killed by a signal. */
  exitCode: number;
  signal: string | undefined;
  timedOut: boolean;
}

function exec(file: string, args: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: REPO_ROOT, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code === "string") {
          // spawn failure (ENOENT, ...), not a non-zero exit
          reject(new Error(`cannot run ${file}: ${error.message}`));
          return;
        }
        const timedOut = Boolean(error?.killed);
        const exitCode = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ stdout, stderr, exitCode, signal: error?.signal ?? undefined, timedOut });
      },
    );
  });
}

async function runScript(script: string, timeoutMs: number): Promise<string> {
  const r = await exec("bash", [`${REPO_ROOT}/scripts/${script}`], timeoutMs);
  const out = r.stdout.trim().split("\n").pop() ?? "";
  if (r.exitCode !== 0 || !out) {
    throw new Error(
      `scripts/${script} failed (exit ${r.exitCode}${r.timedOut ? ", timed out" : ""}):\n${r.stderr.slice(-4000)}`,
    );
  }
  return out;
}

let setupPromise: Promise<PeerSetup> | undefined;

/**
 * Prepares both peers once per module instance (the scripts are idempotent and take ~0.1 s when
 * nothing changed): the Python venv (scripts/setup-python.sh) and the compiled Java probe
 * (scripts/build-java-probe.sh). The first run needs PyPI / Maven Central (~15 s).
 * Env overrides: FLUSS_EDGE_PYTHON, FLUSS_EDGE_JAVA_PROBE_CP skip the respective script.
 */
export function ensurePeersReady(): Promise<PeerSetup> {
  setupPromise ??= (async () => {
    const [python, javaClasspath] = await Promise.all([
      process.env.FLUSS_EDGE_PYTHON || runScript("setup-python.sh", 600_000),
      process.env.FLUSS_EDGE_JAVA_PROBE_CP || runScript("build-java-probe.sh", 600_000),
    ]);
    return { python, javaClasspath };
  })();
  // A failed setup is not cached, so a later call can retry.
  setupPromise.catch(() => {
    setupPromise = undefined;
  });
  return setupPromise;
}

// --------------------------------------------------------------------------------------------
// probes
// --------------------------------------------------------------------------------------------

/** JVM flags for the short-lived Java probe: Arrow needs java.nio open; C1-only JIT and the serial GC start faster. */
export const JAVA_PROBE_JVM_ARGS = [
  "-XX:+IgnoreUnrecognizedVMOptions",
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "-XX:TieredStopAtLevel=1",
  "-XX:+UseSerialGC",
  "-Xss1m",
  "-Xmx512m",
];

function probeArgs(command: string, arg: object | undefined, opts: ProbeOptions): string[] {
  const bootstrap = opts.bootstrap ?? process.env.FLUSS_BOOTSTRAP_SERVERS ?? "127.0.0.1:9123";
  const args = ["--bootstrap", bootstrap];
  for (const [k, v] of Object.entries(opts.conf ?? {})) args.push("--conf", `${k}=${v}`);
  args.push(command);
  if (arg !== undefined) args.push(JSON.stringify(arg));
  return args;
}

async function runProbe<T>(
  peer: Peer,
  file: string,
  args: string[],
  command: string,
  timeoutMs: number,
): Promise<T> {
  const r = await exec(file, args, timeoutMs);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    const why = r.timedOut
      ? `timed out after ${timeoutMs} ms`
      : `${r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode}`}, no JSON on stdout`;
    throw new PeerProbeError(peer, command, -2, `${why}: ${r.stdout.slice(-500)}`, undefined, r.stderr);
  }
  if (r.exitCode === 0 || (r.exitCode === 3 && isUnsupported(doc))) return doc as T;
  const err = (doc as { error?: { code?: number; message?: string; exception?: string } }).error;
  const how = r.signal ? `killed by ${r.signal}${r.timedOut ? ` (timeout ${timeoutMs} ms)` : ""}` : `exit ${r.exitCode}`;
  throw new PeerProbeError(
    peer,
    command,
    typeof err?.code === "number" ? err.code : -2,
    err?.message ?? `${how} after printing: ${line}`,
    err?.exception,
    r.stderr,
  );
}

/**
 * Runs one command of the pyfluss probe. Resolves with the parsed JSON (for `create-table`, possibly
 * an {@link UnsupportedResult}); rejects with {@link PeerProbeError} on `{"error": ...}`.
 */
export async function runPythonProbe<T = unknown>(command: string, arg?: object, opts: ProbeOptions = {}): Promise<T> {
  const { python } = await ensurePeersReady();
  return runProbe<T>("python", python, [PYTHON_PROBE, ...probeArgs(command, arg, opts)], command, opts.timeoutMs ?? PROBE_TIMEOUT_MS);
}

/** Runs one command of the Java fluss-client probe (one JVM per call). Rejects with {@link PeerProbeError} on error. */
export async function runJavaProbe<T = unknown>(command: string, arg?: object, opts: ProbeOptions = {}): Promise<T> {
  const { javaClasspath } = await ensurePeersReady();
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : "java";
  return runProbe<T>(
    "java",
    java,
    [...JAVA_PROBE_JVM_ARGS, "-cp", javaClasspath, "FlussProbe", ...probeArgs(command, arg, opts)],
    command,
    opts.timeoutMs ?? PROBE_TIMEOUT_MS,
  );
}

/** Runs a probe of either peer. */
export function runProbeOf<T = unknown>(peer: Peer, command: string, arg?: object, opts?: ProbeOptions): Promise<T> {
  return peer === "python" ? runPythonProbe<T>(command, arg, opts) : runJavaProbe<T>(command, arg, opts);
}

// --------------------------------------------------------------------------------------------
// type strings
// --------------------------------------------------------------------------------------------

/**
 * Maps any Fluss type string onto one canonical form: Java's `DataType#asSummaryString()`
 * with every default made explicit.
 *
 * Accepted inputs: the Java client's output (`DECIMAL(10, 2)`, `TIMESTAMP_LTZ(3)`,
 * `MAP<STRING, INT> NOT NULL`, ``ROW<`a` INT, `b` STRING>``), the SQL/DataTypeParser forms
 * (`INTEGER`, `NUMERIC`, `DOUBLE PRECISION`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`, `ROW(a INT)`,
 * bare `TIMESTAMP`, `DECIMAL`, `CHAR`, ...), and pyfluss's output (`int NOT NULL`, `decimal(10,2)`,
 * `timestamp` = TIMESTAMP(6), `time` = TIME(0), `timestamp_ltz(3)`, `map<string,int>`,
 * `row<a: int, b: string>`).
 *
 * Output examples: `INT NOT NULL`, `DECIMAL(10, 2)`, `TIMESTAMP(6)`, `TIMESTAMP_LTZ(3)`, `TIME(0)`,
 * `CHAR(3)`, `BINARY(4)`, `ARRAY<STRING>`, `MAP<STRING NOT NULL, INT>`, ``ROW<`a` INT, `b` STRING>``.
 * Map keys always come out NOT NULL (Fluss forces that: `MAP<STRING, INT>` is stored as
 * `MAP<STRING NOT NULL, INT>`).
 * Row field descriptions are dropped (pyfluss has none; Java's summary prints them as '...').
 */
export function normaliseType(type: string): string {
  return new TypeNormaliser(type).parse();
}

/** {@link normaliseType} applied to every column of a description (nothing else changes). */
export function normaliseDescription<T extends { columns: ProbeColumn[] }>(desc: T): T {
  return { ...desc, columns: desc.columns.map((c) => ({ ...c, type: normaliseType(c.type) })) };
}

type Tok = { kind: "id" | "qid" | "int" | "sym" | "str"; text: string };

class TypeNormaliser {
  private readonly toks: Tok[] = [];
  private i = 0;

  constructor(private readonly source: string) {
    const re = /\s*(?:(`(?:[^`]|``)*`)|('(?:[^']|'')*')|(\d+)|([A-Za-z_][A-Za-z0-9_]*)|([<>(),:]))/y;
    const text = source.trimEnd();
    let pos = 0;
    while (pos < text.length) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m || re.lastIndex === pos) throw this.fail(`cannot tokenize at offset ${pos}`);
      pos = re.lastIndex;
      if (m[1] !== undefined) this.toks.push({ kind: "qid", text: m[1].slice(1, -1).replaceAll("``", "`") });
      else if (m[2] !== undefined) this.toks.push({ kind: "str", text: m[2] });
      else if (m[3] !== undefined) this.toks.push({ kind: "int", text: m[3] });
      else if (m[4] !== undefined) this.toks.push({ kind: "id", text: m[4] });
      else this.toks.push({ kind: "sym", text: m[5] ?? "" });
    }
  }

  parse(): string {
    const t = this.typeWithNullability();
    if (this.i < this.toks.length) throw this.fail(`trailing tokens from '${this.toks[this.i]?.text}'`);
    return t;
  }

  private fail(why: string): Error {
    return new Error(`normaliseType(${JSON.stringify(this.source)}): ${why}`);
  }

  private peek(k = 0): Tok | undefined {
    return this.toks[this.i + k];
  }

  private isSym(s: string): boolean {
    const t = this.peek();
    return t?.kind === "sym" && t.text === s;
  }

  private isKw(kw: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === "id" && t.text.toUpperCase() === kw;
  }

  private take(): Tok {
    const t = this.peek();
    if (!t) throw this.fail("unexpected end");
    this.i++;
    return t;
  }

  private expectSym(s: string): void {
    const t = this.take();
    if (t.kind !== "sym" || t.text !== s) throw this.fail(`expected '${s}' but got '${t.text}'`);
  }

  private expectKw(...kws: string[]): void {
    for (const kw of kws) {
      const t = this.take();
      if (t.kind !== "id" || t.text.toUpperCase() !== kw) throw this.fail(`expected ${kw} but got '${t.text}'`);
    }
  }

  private params(): number[] {
    const out: number[] = [];
    if (!this.isSym("(")) return out;
    this.take();
    for (;;) {
      const t = this.take();
      if (t.kind !== "int") throw this.fail(`expected an integer parameter, got '${t.text}'`);
      out.push(Number(t.text));
      if (this.isSym(",")) {
        this.take();
        continue;
      }
      this.expectSym(")");
      return out;
    }
  }

  private typeWithNullability(): string {
    const base = this.typeByKeyword();
    if (this.isKw("NOT") && this.isKw("NULL", 1)) {
      this.i += 2;
      return `${base} NOT NULL`;
    }
    if (this.isKw("NULL")) this.i++;
    return base;
  }

  private typeByKeyword(): string {
    const t = this.take();
    if (t.kind !== "id") throw this.fail(`expected a type name, got '${t.text}'`);
    const kw = t.text.toUpperCase();
    switch (kw) {
      case "BOOLEAN":
      case "TINYINT":
      case "SMALLINT":
      case "BIGINT":
      case "FLOAT":
      case "STRING":
      case "BYTES":
      case "DATE":
        return kw;
      case "INT":
      case "INTEGER":
        return "INT";
      case "DOUBLE":
        if (this.isKw("PRECISION")) this.take();
        return "DOUBLE";
      case "CHAR":
      case "BINARY": {
        const p = this.params();
        return `${kw}(${p[0] ?? 1})`;
      }
      case "DECIMAL":
      case "NUMERIC":
      case "DEC": {
        const p = this.params();
        return `DECIMAL(${p[0] ?? 10}, ${p[1] ?? 0})`;
      }
      case "TIME": {
        const p = this.params();
        if (this.isKw("WITHOUT")) {
          this.take();
          this.expectKw("TIME", "ZONE");
        }
        return `TIME(${p[0] ?? 0})`;
      }
      case "TIMESTAMP": {
        const precision = this.params()[0] ?? 6;
        if (this.isKw("WITHOUT")) {
          this.take();
          this.expectKw("TIME", "ZONE");
        } else if (this.isKw("WITH")) {
          this.take();
          this.expectKw("LOCAL", "TIME", "ZONE");
          return `TIMESTAMP_LTZ(${precision})`;
        }
        return `TIMESTAMP(${precision})`;
      }
      case "TIMESTAMP_LTZ":
        return `TIMESTAMP_LTZ(${this.params()[0] ?? 6})`;
      case "ARRAY": {
        this.expectSym("<");
        const elem = this.typeWithNullability();
        this.expectSym(">");
        return `ARRAY<${elem}>`;
      }
      case "MAP": {
        this.expectSym("<");
        const k = this.typeWithNullability();
        this.expectSym(",");
        const v = this.typeWithNullability();
        this.expectSym(">");
        // Fluss map keys are always NOT NULL: Java's MapType constructor forces it (and pyarrow's too).
        return `MAP<${k.endsWith(" NOT NULL") ? k : `${k} NOT NULL`}, ${v}>`;
      }
      case "ROW": {
        const close = this.isSym("(") ? ")" : ">";
        this.expectSym(close === ")" ? "(" : "<");
        const fields: string[] = [];
        while (!this.isSym(close)) {
          if (fields.length > 0) this.expectSym(",");
          const name = this.take();
          if (name.kind !== "id" && name.kind !== "qid") throw this.fail(`expected a field name, got '${name.text}'`);
          if (this.isSym(":")) this.take(); // pyfluss: row<a: int>
          const type = this.typeWithNullability();
          if (this.peek()?.kind === "str") this.take(); // field description
          fields.push(`\`${name.text.replaceAll("`", "``")}\` ${type}`);
        }
        this.expectSym(close);
        return `ROW<${fields.join(", ")}>`;
      }
      default:
        throw this.fail(`unknown type '${t.text}'`);
    }
  }
}
