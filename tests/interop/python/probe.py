#!/usr/bin/env python3
"""Interop peer: a command-line probe around the official Apache Fluss Python client
(PyPI ``pyfluss``, import name ``fluss``). Tests in tests/interop drive it to check that
fluss-edge and the official clients agree on what the cluster holds.

Setup:  PY=$(bash scripts/setup-python.sh)
Run:    $PY tests/interop/python/probe.py --bootstrap 127.0.0.1:9123 [--conf key=value]... \
            <command> [json-arg]

Prints exactly ONE JSON document on stdout; logs go to stderr.
  exit 0  success
  exit 1  {"error": {"code": <Fluss error code, or -2 for client-side errors>, "message", "exception"}}
  exit 2  usage error (also printed as {"error": {"code": -2, ...}})
  exit 3  {"unsupported": [{"column", "type", "reason"}], ...}: create-table was asked for a type
          that pyfluss cannot express; nothing was sent to the cluster.

Commands (same CLI as tests/interop/java/FlussProbe.java):
  list-databases
  create-database   {"name", "comment"?, "customProperties"?, "ignoreIfExists"?}
  describe-database {"name"}
  drop-database     {"name", "ignoreIfNotExists"?, "cascade"?}
  list-tables       {"database"}
  create-table      {"database", "table", "columns": [{"name", "type"}], "primaryKeys"?,
                     "partitionKeys"?, "bucketCount"?, "bucketKeys"?, "properties"?,
                     "customProperties"?, "comment"?, "logFormat"?, "kvFormat"?, "ignoreIfExists"?}
  describe-table    {"database", "table"}
  drop-table        {"database", "table", "ignoreIfNotExists"?}
  create-partition  {"database", "table", "spec": {k: v}, "ignoreIfExists"?}
  drop-partition    {"database", "table", "spec": {k: v}, "ignoreIfNotExists"?}
  list-partitions   {"database", "table"}
  append-rows       {"database", "table", "rows": [[v, ...], ...], "api"?} → {"ok", "appended"}
                    (log tables; one AppendWriter, flushed once; the table's log compression
                    applies). {"argFile": path} may hold the whole JSON argument (large inputs).
  scan-rows         {"database", "table", "expected": n, "timeoutMs"?, "api"?} → [{"bucket",
                    "offset", "changeType", "row": [v, ...]}, ...] once n rows arrived (all buckets
                    of a non-partitioned table, from the beginning), sorted by bucket then offset
  upsert-rows       {"database", "table", "rows"?: [[v, ...], ...], "partialUpdate"?: [name, ...],
                    "deleteKeys"?: [[k, ...], ...]} → {"ok", "upserted", "deleted"} (primary-key
                    tables; one UpsertWriter, partial_update_by_name(names) when given, that upserts
                    the rows (whole rows in column order, null for the columns a partial update
                    leaves out), then deletes the keys (primary-key values in key order), flushed
                    once). {"steps": [{"rows"?, "partialUpdate"?, "deleteKeys"?}, ...]} runs several
                    such writers one after another, each flushed before the next starts.
  delete-keys       {"database", "table", "keys": [[k, ...], ...]} → {"ok", "deleted"}
  lookup-rows       {"database", "table", "keys": [[k, ...], ...]} → [[v, ...] or null, ...]: all
                    keys looked up concurrently, rows in column order (null: no row).
                    Values go through pyfluss's row API (as "rows" below), with its limits.

Row values use the Java probe's JSON convention (see probe_rows.py). "api" picks pyfluss's path:
  "rows" (default)  AppendWriter.append([v, ...]) / LogScanner.poll(): pyfluss's own conversion of
                    Python values (int, float, Decimal, str, bytes, date, time, datetime, list,
                    list of (k, v), dict) to and from Fluss rows.
  "arrow"           AppendWriter.write_arrow_batch(pa.RecordBatch) / poll_record_batch(): pyarrow
                    arrays of the table's arrow_schema, read back as integers (exact).
What pyfluss cannot carry on a path is reported as {"unsupported": [{"where", "limit", "reason"}]}
(exit 3) before anything is written (limit names in probe_rows.LIMITS). Found with pyfluss 1.0.0
on the real cluster (tests/interop/log-interop.test.ts):
  - rows, read: a TIMESTAMP/TIMESTAMP_LTZ at or after 9999-12-30T22:00:00Z (the end of jiff's
    Timestamp range) fails the whole poll() (rows-read-timestamp-range); TIMESTAMP(7-9) come back
    as datetime, silently cut to microseconds (not detectable, not raised).
  - rows, write: every timestamp goes through datetime's microsecond field, pandas.Timestamp too
    (a datetime subclass), so nanoseconds would be dropped silently: refused
    (rows-write-timestamp-nanos); a naive datetime before 1970 with a sub-millisecond part fails in
    pyfluss ("nanoOfMillisecond ... got: -1000": it takes jiff's negative subsec_nanosecond % 10^6)
    (rows-write-pre-epoch); dates/timestamps outside years 1-9999 have no Python form.
  - arrow: every type and value of the all-types fixture goes both ways exactly; TIME and
    timestamps finer than the column are cut as the Java client's Arrow writers cut them.

pyfluss builds schemas from pyarrow only, so create-table parses the Fluss type strings
(Java's DataTypeParser syntax, also pyfluss's own lower-case output such as
"row<a: int, b: string>") into pyarrow types. Types pyfluss cannot express are reported as
{"unsupported": ...}: CHAR(n); TIME(p) / TIMESTAMP(p) / TIMESTAMP_LTZ(p) with p not in
{0, 3, 6, 9} (Arrow time units); column comments. (MAP keys are always NOT NULL in Fluss, as in
Arrow: Java's MapType forces it too, so "MAP<STRING, INT>" is created as MAP<STRING NOT NULL, INT>.)

describe-table prints types exactly as pyfluss's Schema.get_columns() does (e.g. "int NOT NULL",
"decimal(10,2)", "timestamp" for TIMESTAMP(6), "timestamp_ltz(3)", "map<string,int>",
"row<a: int, b: string>"); tests/interop/peers.ts#normaliseType maps both peers' forms onto one.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

CLIENT_ERROR = -2
TIMEOUT_SECONDS = 60.0


class UsageError(Exception):
    pass


class Unsupported(Exception):
    """A Fluss type that pyfluss (via pyarrow) cannot express."""


def log(msg: str) -> None:
    print(f"[probe.py] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Fluss type strings -> pyarrow
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<q>`(?:[^`]|``)*`)|(?P<int>\d+)|(?P<id>[A-Za-z_][A-Za-z0-9_]*)|(?P<sym>[<>(),:]))"
)


@dataclass
class TypeNode:
    kind: str  # upper-case Fluss type root, e.g. INT, DECIMAL, ROW
    params: List[int] = field(default_factory=list)
    children: List["TypeNode"] = field(default_factory=list)
    field_names: List[str] = field(default_factory=list)  # ROW only
    nullable: bool = True


class _TypeParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: List[tuple] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise UsageError(f"cannot tokenize type {self.text!r} at offset {pos}")
            pos = m.end()
            if m.group("q") is not None:
                self.tokens.append(("qid", m.group("q")[1:-1].replace("``", "`")))
            elif m.group("int") is not None:
                self.tokens.append(("int", int(m.group("int"))))
            elif m.group("id") is not None:
                self.tokens.append(("id", m.group("id")))
            else:
                self.tokens.append(("sym", m.group("sym")))
        self.i = 0

    def fail(self, why: str) -> UsageError:
        return UsageError(f"cannot parse type {self.text!r}: {why}")

    def peek(self, k: int = 0) -> Optional[tuple]:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def is_sym(self, s: str) -> bool:
        t = self.peek()
        return t is not None and t[0] == "sym" and t[1] == s

    def is_kw(self, kw: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t[0] == "id" and t[1].upper() == kw

    def take(self) -> tuple:
        t = self.peek()
        if t is None:
            raise self.fail("unexpected end")
        self.i += 1
        return t

    def expect_sym(self, s: str) -> None:
        t = self.take()
        if t != ("sym", s):
            raise self.fail(f"expected {s!r} but got {t[1]!r}")

    def expect_kw(self, kw: str) -> None:
        t = self.take()
        if t[0] != "id" or t[1].upper() != kw:
            raise self.fail(f"expected {kw} but got {t[1]!r}")

    def parse(self) -> TypeNode:
        node = self.type_with_nullability()
        if self.peek() is not None:
            raise self.fail(f"trailing tokens from {self.peek()[1]!r}")
        return node

    def type_with_nullability(self) -> TypeNode:
        node = self.type_by_keyword()
        if self.is_kw("NOT") and self.is_kw("NULL", 1):
            self.i += 2
            node.nullable = False
        elif self.is_kw("NULL"):
            self.i += 1
        return node

    def opt_params(self) -> List[int]:
        params: List[int] = []
        if self.is_sym("("):
            self.take()
            while True:
                t = self.take()
                if t[0] != "int":
                    raise self.fail(f"expected an integer parameter, got {t[1]!r}")
                params.append(t[1])
                if self.is_sym(","):
                    self.take()
                    continue
                self.expect_sym(")")
                break
        return params

    def type_by_keyword(self) -> TypeNode:
        t = self.take()
        if t[0] != "id":
            raise self.fail(f"expected a type name, got {t[1]!r}")
        kw = t[1].upper()
        simple = {
            "BOOLEAN": "BOOLEAN", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT", "INT": "INT",
            "INTEGER": "INT", "BIGINT": "BIGINT", "FLOAT": "FLOAT", "STRING": "STRING",
            "BYTES": "BYTES", "DATE": "DATE",
        }
        if kw in simple:
            return TypeNode(simple[kw])
        if kw == "DOUBLE":
            if self.is_kw("PRECISION"):
                self.take()
            return TypeNode("DOUBLE")
        if kw in ("CHAR", "BINARY"):
            p = self.opt_params()
            return TypeNode(kw, [p[0] if p else 1])
        if kw in ("DECIMAL", "NUMERIC", "DEC"):
            p = self.opt_params()
            return TypeNode("DECIMAL", [p[0] if p else 10, p[1] if len(p) > 1 else 0])
        if kw == "TIME":
            p = self.opt_params()
            if self.is_kw("WITHOUT"):
                self.take(); self.expect_kw("TIME"); self.expect_kw("ZONE")
            return TypeNode("TIME", [p[0] if p else 0])
        if kw == "TIMESTAMP":
            p = self.opt_params()
            precision = p[0] if p else 6
            if self.is_kw("WITHOUT"):
                self.take(); self.expect_kw("TIME"); self.expect_kw("ZONE")
            elif self.is_kw("WITH"):
                self.take(); self.expect_kw("LOCAL"); self.expect_kw("TIME"); self.expect_kw("ZONE")
                return TypeNode("TIMESTAMP_LTZ", [precision])
            return TypeNode("TIMESTAMP", [precision])
        if kw == "TIMESTAMP_LTZ":
            p = self.opt_params()
            return TypeNode("TIMESTAMP_LTZ", [p[0] if p else 6])
        if kw == "ARRAY":
            self.expect_sym("<")
            elem = self.type_with_nullability()
            self.expect_sym(">")
            return TypeNode("ARRAY", children=[elem])
        if kw == "MAP":
            self.expect_sym("<")
            k = self.type_with_nullability()
            self.expect_sym(",")
            v = self.type_with_nullability()
            self.expect_sym(">")
            return TypeNode("MAP", children=[k, v])
        if kw == "ROW":
            close = ")" if self.is_sym("(") else ">"
            self.expect_sym("(" if close == ")" else "<")
            node = TypeNode("ROW")
            while not self.is_sym(close):
                if node.children:
                    self.expect_sym(",")
                name_tok = self.take()
                if name_tok[0] not in ("id", "qid"):
                    raise self.fail(f"expected a field name, got {name_tok[1]!r}")
                if self.is_sym(":"):  # pyfluss's own "row<a: int>" form
                    self.take()
                node.field_names.append(name_tok[1])
                node.children.append(self.type_with_nullability())
            self.expect_sym(close)
            return node
        raise self.fail(f"unsupported type keyword {t[1]!r}")


def parse_type(text: str) -> TypeNode:
    return _TypeParser(text).parse()


_UNITS = {0: "s", 3: "ms", 6: "us", 9: "ns"}


def to_arrow(node: TypeNode):
    """Return the pyarrow DataType for a node (nullability is applied by the caller's field)."""
    import pyarrow as pa

    k = node.kind
    if k == "BOOLEAN":
        return pa.bool_()
    if k == "TINYINT":
        return pa.int8()
    if k == "SMALLINT":
        return pa.int16()
    if k == "INT":
        return pa.int32()
    if k == "BIGINT":
        return pa.int64()
    if k == "FLOAT":
        return pa.float32()
    if k == "DOUBLE":
        return pa.float64()
    if k == "STRING":
        return pa.string()
    if k == "BYTES":
        return pa.binary()
    if k == "BINARY":
        return pa.binary(node.params[0])
    if k == "CHAR":
        raise Unsupported(
            "pyfluss has no CHAR(n): Schema() maps Arrow utf8 to STRING and no Arrow type maps to CHAR"
        )
    if k == "DECIMAL":
        p, s = node.params
        return pa.decimal128(p, s)
    if k == "DATE":
        return pa.date32()
    if k in ("TIME", "TIMESTAMP", "TIMESTAMP_LTZ"):
        p = node.params[0]
        unit = _UNITS.get(p)
        if unit is None:
            raise Unsupported(
                f"pyfluss derives {k} precision from the Arrow time unit, so only precisions 0, 3, 6, 9 "
                f"can be expressed (got {p})"
            )
        if k == "TIME":
            return pa.time32(unit) if p <= 3 else pa.time64(unit)
        return pa.timestamp(unit, tz="UTC" if k == "TIMESTAMP_LTZ" else None)
    if k == "ARRAY":
        elem = node.children[0]
        return pa.list_(pa.field("element", to_arrow(elem), nullable=elem.nullable))
    if k == "MAP":
        key, value = node.children
        # Fluss map keys are always NOT NULL (Java's MapType constructor forces it), and so are
        # Arrow's, so a nullable key in the input is not a loss.
        return pa.map_(
            pa.field("key", to_arrow(key), nullable=False),
            pa.field("value", to_arrow(value), nullable=value.nullable),
        )
    if k == "ROW":
        return pa.struct(
            [
                pa.field(name, to_arrow(child), nullable=child.nullable)
                for name, child in zip(node.field_names, node.children)
            ]
        )
    raise Unsupported(f"no pyarrow mapping for {k}")


# ---------------------------------------------------------------------------------------------
# argument helpers
# ---------------------------------------------------------------------------------------------


def _get(arg: Dict[str, Any], key: str, kind: type, default: Any = None, required: bool = False) -> Any:
    v = arg.get(key)
    if v is None:
        if required:
            raise UsageError(f'"{key}" is required')
        return default
    if kind is int and isinstance(v, bool):
        raise UsageError(f'"{key}" must be an integer')
    if not isinstance(v, kind):
        raise UsageError(f'"{key}" must be a {kind.__name__}')
    return v


def _str(arg: Dict[str, Any], key: str) -> str:
    return _get(arg, key, str, required=True)


def _str_list(arg: Dict[str, Any], key: str) -> List[str]:
    v = _get(arg, key, list, default=[])
    if not all(isinstance(x, str) for x in v):
        raise UsageError(f'"{key}" must be an array of strings')
    return v


def _str_map(arg: Dict[str, Any], key: str) -> Dict[str, str]:
    v = _get(arg, key, dict, default={})
    # Fluss properties are strings; accept JSON numbers/booleans for convenience.
    return {k: (x if isinstance(x, str) else json.dumps(x)) for k, x in v.items()}


def _path(arg: Dict[str, Any]):
    import fluss

    return fluss.TablePath(_str(arg, "database"), _str(arg, "table"))


def _partitions(infos) -> List[Dict[str, Any]]:
    out = [{"partitionId": p.partition_id, "partitionName": p.partition_name} for p in infos]
    return sorted(out, key=lambda p: p["partitionName"])


# ---------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------


def build_schema(arg: Dict[str, Any]):
    """Returns (fluss.Schema, parsed columns) or raises Unsupported with a list of problems."""
    import fluss
    import pyarrow as pa

    columns = _get(arg, "columns", list, required=True)
    fields = []
    problems = []
    for c in columns:
        if not isinstance(c, dict):
            raise UsageError("each column must be an object")
        name, type_str = _str(c, "name"), _str(c, "type")
        if c.get("comment") is not None:
            problems.append({"column": name, "type": type_str,
                             "reason": "pyfluss cannot set column comments"})
        node = parse_type(type_str)
        try:
            fields.append(pa.field(name, to_arrow(node), nullable=node.nullable))
        except Unsupported as e:
            problems.append({"column": name, "type": type_str, "reason": str(e)})
    if problems:
        raise Unsupported(problems)
    pks = _str_list(arg, "primaryKeys")
    schema = fluss.Schema(pa.schema(fields), primary_keys=pks or None)
    return schema


async def create_table(admin, arg: Dict[str, Any]) -> Dict[str, Any]:
    import fluss

    path = _path(arg)
    schema = build_schema(arg)
    kwargs: Dict[str, Any] = {}
    if arg.get("partitionKeys"):
        kwargs["partition_keys"] = _str_list(arg, "partitionKeys")
    if arg.get("bucketCount") is not None:
        kwargs["bucket_count"] = _get(arg, "bucketCount", int)
    if arg.get("bucketKeys"):
        kwargs["bucket_keys"] = _str_list(arg, "bucketKeys")
    if arg.get("comment") is not None:
        kwargs["comment"] = _str(arg, "comment")
    if arg.get("logFormat") is not None:
        kwargs["log_format"] = _str(arg, "logFormat")
    if arg.get("kvFormat") is not None:
        kwargs["kv_format"] = _str(arg, "kvFormat")
    if arg.get("properties"):
        kwargs["properties"] = _str_map(arg, "properties")
    if arg.get("customProperties"):
        kwargs["custom_properties"] = _str_map(arg, "customProperties")
    descriptor = fluss.TableDescriptor(schema, **kwargs)
    await admin.create_table(path, descriptor, bool(_get(arg, "ignoreIfExists", bool, False)))
    return {"ok": True, "columns": [{"name": n, "type": t} for n, t in schema.get_columns()]}


async def describe_table(admin, arg: Dict[str, Any]) -> Dict[str, Any]:
    path = _path(arg)
    info = await admin.get_table_info(path)
    partitions = _partitions(await admin.list_partition_infos(path)) if info.is_partitioned() else []
    return {
        "tableId": info.table_id,
        "schemaId": info.schema_id,
        "numBuckets": info.num_buckets,
        "columns": [{"name": n, "type": t} for n, t in info.get_schema().get_columns()],
        "primaryKeys": list(info.get_primary_keys()),
        "partitionKeys": list(info.get_partition_keys()),
        "bucketKeys": list(info.get_bucket_keys()),
        "properties": dict(sorted(info.get_properties().items())),
        "customProperties": dict(sorted(info.get_custom_properties().items())),
        "comment": info.comment,
        "partitions": partitions,
        "createdTime": info.created_time,
        "modifiedTime": info.modified_time,
    }


def _rows_arg(arg: Dict[str, Any]) -> List[Any]:
    rows = _get(arg, "rows", list, required=True)
    return rows


def _api(arg: Dict[str, Any]) -> str:
    api = _get(arg, "api", str, default="rows")
    if api not in ("rows", "arrow"):
        raise UsageError(f'"api" must be "rows" or "arrow", got {api!r}')
    return api


def _cannot(e: "probe_rows.PyflussCannot") -> Unsupported:
    return Unsupported([{"where": e.where, "limit": e.limit, "reason": str(e)}])


async def append_rows(conn, arg: Dict[str, Any]) -> Dict[str, Any]:
    import probe_rows  # next to this file (the script's directory is on sys.path)

    api = _api(arg)
    rows = _rows_arg(arg)
    table = await conn.get_table(_path(arg))
    schema = table.arrow_schema
    # Convert everything first: a row pyfluss cannot express fails the command before any write.
    try:
        if api == "arrow":
            batch = probe_rows.json_rows_to_batch(rows, schema)
            values = None
        else:
            batch = None
            values = []
            for r, row in enumerate(rows):
                if not isinstance(row, list) or len(row) != len(schema):
                    raise UsageError(f"rows[{r}] must be an array of {len(schema)} column values")
                values.append([probe_rows.json_to_python(v, f.type, f"rows[{r}][{c}]")
                               for c, (f, v) in enumerate(zip(schema, row))])
    except probe_rows.BadRow as e:
        raise UsageError(str(e)) from None
    except probe_rows.PyflussCannot as e:
        raise _cannot(e) from None
    writer = table.new_append().create_writer()
    if batch is not None:
        if batch.num_rows > 0:
            writer.write_arrow_batch(batch)
    else:
        for row in values:
            writer.append(row)
    await writer.flush()
    return {"ok": True, "appended": len(rows)}


async def scan_rows(conn, arg: Dict[str, Any]) -> List[Dict[str, Any]]:
    import fluss
    import probe_rows

    api = _api(arg)
    expected = _get(arg, "expected", int, required=True)
    timeout_ms = _get(arg, "timeoutMs", int, default=30_000)
    table = await conn.get_table(_path(arg))
    info = table.get_table_info()
    if info.is_partitioned():
        raise UsageError("scan-rows reads non-partitioned tables only")
    schema = table.arrow_schema
    scan = table.new_scan()
    scanner = await (scan.create_record_batch_log_scanner() if api == "arrow" else scan.create_log_scanner())
    scanner.subscribe_buckets({b: fluss.EARLIEST_OFFSET for b in range(info.num_buckets)})
    out: List[Dict[str, Any]] = []
    deadline = time.monotonic() + timeout_ms / 1000
    while len(out) < expected and time.monotonic() < deadline:
        if api == "arrow":
            for rb in await scanner.poll_record_batch(200):
                for i, row in enumerate(probe_rows.batch_to_json_rows(rb.batch)):
                    # The Arrow path carries no per-record change type; a log table's is always +A.
                    out.append({"bucket": rb.bucket.bucket_id, "offset": rb.base_offset + i,
                                "changeType": "+A", "row": row})
            continue
        try:
            records = await scanner.poll(200)
        except Exception as e:  # noqa: BLE001 - re-raised unless it is a documented limit
            cannot = probe_rows.classify_poll_error(e)
            if cannot is None:
                raise
            raise _cannot(cannot) from None
        for bucket, recs in records.items():
            for rec in recs:
                row = rec.row
                out.append({
                    "bucket": bucket.bucket_id,
                    "offset": rec.offset,
                    "changeType": rec.change_type.short_string(),
                    "row": [probe_rows.python_to_json(row.get(f.name), f.type) for f in schema],
                })
    out.sort(key=lambda r: (r["bucket"], r["offset"]))
    return out


def _key_fields(table) -> List[Any]:
    """The Arrow fields of the primary-key columns, in key order."""
    schema = table.arrow_schema
    return [schema.field(name) for name in table.get_table_info().get_primary_keys()]


def _python_values(values: Any, fields: List[Any], where: str) -> List[Any]:
    import probe_rows

    if not isinstance(values, list) or len(values) != len(fields):
        raise UsageError(f"{where} must be an array of {len(fields)} values")
    return [probe_rows.json_to_python(v, f.type, f"{where}[{c}]") for c, (f, v) in enumerate(zip(fields, values))]


def _partial_row(row: List[Any], schema, partial: List[str], where: str) -> Dict[str, Any]:
    """A whole row as pyfluss's partial-update writer takes it: a dict of the targeted columns
    alone (it refuses any other key, and a list must hold exactly the targeted values)."""
    for f, v in zip(schema, row):
        if f.name not in partial and v is not None:
            raise UsageError(f"{where}: column {f.name} is not among partialUpdate {partial}; it must be null")
    return {f.name: v for f, v in zip(schema, row) if f.name in partial}


async def upsert_rows(conn, arg: Dict[str, Any]) -> Dict[str, Any]:
    import probe_rows

    table = await conn.get_table(_path(arg))
    schema = table.arrow_schema
    keys = _key_fields(table)
    steps = _get(arg, "steps", list, default=[arg])
    # Convert every step first: a value pyfluss cannot express fails the command before any write.
    plans = []
    try:
        for s, step in enumerate(steps):
            if not isinstance(step, dict):
                raise UsageError(f"steps[{s}] must be an object")
            partial = _str_list(step, "partialUpdate")
            rows = [_python_values(r, list(schema), f"rows[{i}]") for i, r in enumerate(_get(step, "rows", list, default=[]))]
            if partial:
                rows = [_partial_row(row, schema, partial, f"rows[{i}]") for i, row in enumerate(rows)]
            deletes = [_python_values(k, keys, f"deleteKeys[{i}]") for i, k in enumerate(_get(step, "deleteKeys", list, default=[]))]
            plans.append((partial, rows, deletes))
    except probe_rows.BadRow as e:
        raise UsageError(str(e)) from None
    except probe_rows.PyflussCannot as e:
        raise _cannot(e) from None
    upserted = deleted = 0
    for partial, rows, deletes in plans:
        upsert = table.new_upsert()
        if partial:
            upsert = upsert.partial_update_by_name(partial)
        writer = upsert.create_writer()
        handles = [writer.upsert(row) for row in rows] + [writer.delete(key) for key in deletes]
        await writer.flush()
        for handle in handles:
            await handle.wait()
        upserted += len(rows)
        deleted += len(deletes)
    return {"ok": True, "upserted": upserted, "deleted": deleted}


async def lookup_rows(conn, arg: Dict[str, Any]) -> List[Any]:
    import probe_rows

    table = await conn.get_table(_path(arg))
    schema = table.arrow_schema
    keys = _key_fields(table)
    try:
        values = [_python_values(k, keys, f"keys[{i}]") for i, k in enumerate(_get(arg, "keys", list, required=True))]
    except probe_rows.BadRow as e:
        raise UsageError(str(e)) from None
    except probe_rows.PyflussCannot as e:
        raise _cannot(e) from None
    # One Lookuper per key: pyfluss 1.0.0 runs one Lookuper's lookups one after another, each
    # waiting out the 100 ms lookup batch timeout (200 keys took 20 s); separate lookupers share the
    # connection's lookup client, whose batches then carry the keys together (200 keys in ~0.1 s).
    lookup = table.new_lookup()
    found = await asyncio.gather(*(lookup.create_lookuper().lookup(key) for key in values))
    return [None if row is None else [probe_rows.python_to_json(row.get(f.name), f.type) for f in schema]
            for row in found]


async def run(conn, admin, command: str, arg: Dict[str, Any]) -> Any:
    import fluss

    if command == "append-rows":
        return await append_rows(conn, arg)
    if command == "scan-rows":
        return await scan_rows(conn, arg)
    if command == "upsert-rows":
        return await upsert_rows(conn, arg)
    if command == "delete-keys":
        done = await upsert_rows(conn, {**arg, "steps": [{"deleteKeys": _get(arg, "keys", list, required=True)}]})
        return {"ok": True, "deleted": done["deleted"]}
    if command == "lookup-rows":
        return await lookup_rows(conn, arg)

    if command == "list-databases":
        return sorted(await admin.list_databases())
    if command == "create-database":
        descriptor = fluss.DatabaseDescriptor(
            comment=_get(arg, "comment", str), custom_properties=_str_map(arg, "customProperties") or None
        )
        await admin.create_database(_str(arg, "name"), descriptor, bool(_get(arg, "ignoreIfExists", bool, False)))
        return {"ok": True}
    if command == "describe-database":
        info = await admin.get_database_info(_str(arg, "name"))
        d = info.get_database_descriptor()
        return {
            "name": info.database_name,
            "comment": d.comment,
            "customProperties": dict(sorted(d.get_custom_properties().items())),
            "createdTime": info.created_time,
            "modifiedTime": info.modified_time,
        }
    if command == "drop-database":
        await admin.drop_database(
            _str(arg, "name"), bool(_get(arg, "ignoreIfNotExists", bool, False)), bool(_get(arg, "cascade", bool, True))
        )
        return {"ok": True}
    if command == "list-tables":
        return sorted(await admin.list_tables(_str(arg, "database")))
    if command == "create-table":
        return await create_table(admin, arg)
    if command == "describe-table":
        return await describe_table(admin, arg)
    if command == "drop-table":
        await admin.drop_table(_path(arg), bool(_get(arg, "ignoreIfNotExists", bool, False)))
        return {"ok": True}
    if command == "create-partition":
        spec = _str_map(arg, "spec")
        await admin.create_partition(_path(arg), spec, bool(_get(arg, "ignoreIfExists", bool, False)))
        return {"ok": True}
    if command == "drop-partition":
        spec = _str_map(arg, "spec")
        await admin.drop_partition(_path(arg), spec, bool(_get(arg, "ignoreIfNotExists", bool, False)))
        return {"ok": True}
    if command == "list-partitions":
        return _partitions(await admin.list_partition_infos(_path(arg)))
    raise UsageError(f"unknown command: {command}")


async def main_async(bootstrap: str, conf: Dict[str, str], command: str, arg: Dict[str, Any]) -> Any:
    import fluss

    if arg.get("argFile") is not None:
        # Large arguments (thousands of rows) exceed the OS limit of one command-line argument.
        with open(_str(arg, "argFile"), encoding="utf-8") as f:
            arg = json.load(f)
        if not isinstance(arg, dict):
            raise UsageError("argFile must hold a JSON object")
    if command == "create-table":
        # Validate types before connecting, so unsupported types never reach the cluster.
        build_schema(arg)
    # A scan may be asked to wait longer than the default budget.
    timeout = max(TIMEOUT_SECONDS, _get(arg, "timeoutMs", int, default=0) / 1000 + 30)
    props = {"bootstrap.servers": bootstrap, **conf}
    conn = await asyncio.wait_for(fluss.FlussConnection.create(fluss.Config(props)), TIMEOUT_SECONDS)
    try:
        admin = conn.get_admin()
        return await asyncio.wait_for(run(conn, admin, command, arg), timeout)
    finally:
        await conn.close()


def parse_argv(argv: List[str]):
    bootstrap = None
    conf: Dict[str, str] = {}
    rest: List[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--bootstrap", "--conf"):
            if i + 1 >= len(argv):
                raise UsageError(f"{a} requires a value")
            v = argv[i + 1]
            i += 2
            if a == "--bootstrap":
                bootstrap = v
            else:
                if "=" not in v or v.startswith("="):
                    raise UsageError(f"--conf expects key=value, got: {v}")
                k, _, val = v.partition("=")
                conf[k] = val
            continue
        rest.append(a)
        i += 1
    bootstrap = bootstrap or os.environ.get("FLUSS_BOOTSTRAP_SERVERS")
    if not bootstrap or not rest or len(rest) > 2:
        raise UsageError("usage: probe.py --bootstrap host:port [--conf k=v]... <command> [json-arg]")
    command = rest[0]
    arg: Dict[str, Any] = {}
    if len(rest) == 2 and rest[1].strip():
        try:
            arg = json.loads(rest[1])
        except json.JSONDecodeError as e:
            raise UsageError(f"invalid JSON argument: {e}") from None
        if not isinstance(arg, dict):
            raise UsageError("json-arg must be a JSON object")
    return bootstrap, conf, command, arg


def error_doc(code: int, message: str, exception: str) -> Dict[str, Any]:
    return {"error": {"code": code, "message": message, "exception": exception}}


def main(argv: List[str]) -> int:
    out = sys.stdout
    t0 = time.monotonic()
    command = "?"
    try:
        bootstrap, conf, command, arg = parse_argv(argv)
        result: Any = asyncio.run(main_async(bootstrap, conf, command, arg))
        code = 0
    except UsageError as e:
        result, code = error_doc(CLIENT_ERROR, str(e), "UsageError"), 2
    except Unsupported as e:
        problems = e.args[0] if e.args and isinstance(e.args[0], list) else [{"reason": str(e)}]
        result, code = {"unsupported": problems}, 3
    except Exception as e:  # noqa: BLE001 - every failure becomes one JSON document
        try:
            import fluss

            is_fluss = isinstance(e, fluss.FlussError)
        except Exception:  # pragma: no cover - import failure is itself reported below
            is_fluss = False
        if is_fluss:
            result = error_doc(int(e.error_code), str(e.message), "FlussError")
        elif isinstance(e, asyncio.TimeoutError):
            result = error_doc(CLIENT_ERROR, f"timed out after {TIMEOUT_SECONDS}s", "TimeoutError")
        else:
            result = error_doc(CLIENT_ERROR, str(e) or repr(e), type(e).__name__)
        code = 1
        log(f"{command} failed:")
        traceback.print_exc(file=sys.stderr)
    log(f"{command} took {int((time.monotonic() - t0) * 1000)} ms")
    out.write(json.dumps(result) + "\n")
    out.flush()
    return code


if __name__ == "__main__":
    exit_code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalisation: with pyfluss 1.0.0 on CPython 3.11, a tokio worker thread that
    # completes a future (pyo3-async-runtimes call_soon_threadsafe) while the interpreter finalises
    # tries to take the GIL, is pthread_exit()ed by CPython and aborts the process (SIGABRT, exit 134)
    # in roughly 1 run out of 5 - after the JSON was printed. os._exit() avoids that race.
    os._exit(exit_code)
