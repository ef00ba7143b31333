"""Row values for the pyfluss probe's ``append-rows`` / ``scan-rows`` (see probe.py).

The JSON row convention is the Java probe's (tests/interop/java/FlussProbe.java and
packages/client/test/fixtures/probe-json.ts), by column type:

  BOOLEAN true/false; TINYINT/SMALLINT/INT and DATE (days since epoch) numbers; BIGINT a decimal
  string; FLOAT/DOUBLE a number or "NaN", "Infinity", "-Infinity"; DECIMAL a plain decimal string
  with the column scale; CHAR/STRING a string; BINARY/BYTES a hex string; TIME nanoseconds of day
  (Fluss keeps milliseconds); TIMESTAMP/TIMESTAMP_LTZ {"millis": epoch ms, "nanos": nano of
  millisecond}; ARRAY an array; MAP an array of [key, value]; ROW an array in field order; null.

Every conversion is driven by the table's Arrow schema (``FlussTable.arrow_schema``), which carries
all a Fluss type says (timestamp unit and zone, decimal scale, fixed binary width, nested fields).

Two ways through pyfluss, because they reach different code:

* ``api: "rows"`` (default): ``AppendWriter.append(list)`` and ``LogScanner.poll()`` – pyfluss's own
  Python <-> Fluss value conversion (Rust ``python_value_to_datum`` / ``datum_to_python_value``).
* ``api: "arrow"``: ``AppendWriter.write_arrow_batch(pa.RecordBatch)`` and
  ``poll_record_batch()`` – pyarrow arrays straight to/from the Arrow log format.

What pyfluss cannot do on each path is raised as :class:`PyflussCannot` (probe exit 3,
``{"unsupported": [...]}``) before anything is sent, so tests can tell "pyfluss has no way to say
this" from a wrong value. See :data:`LIMITS`.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from typing import Any, Dict, List, Optional

import pyarrow as pa

# Documented limits (also in the probe's header); each is checked where it applies.
LIMITS = {
    "rows-read-timestamp-range": (
        "pyfluss poll() converts TIMESTAMP/TIMESTAMP_LTZ through jiff::Timestamp, whose range ends at "
        "9999-12-30T22:00:00Z and starts at -9999-01-02T01:59:59Z; a record outside fails the whole poll"
    ),
    "rows-read-timestamp-nanos": (
        "pyfluss poll() returns datetime.datetime, which has microseconds: TIMESTAMP(7-9) / "
        "TIMESTAMP_LTZ(7-9) lose their last three digits (silently: the probe cannot tell, so this "
        "one is never raised)"
    ),
    "rows-write-timestamp-nanos": (
        "pyfluss append() reads every timestamp (pandas.Timestamp included: it is a datetime "
        "subclass, so the datetime branch wins) through datetime's microsecond field: nanoseconds "
        "are silently dropped, so the probe refuses them"
    ),
    "rows-write-timestamp-range": "pyfluss append() takes timestamps as datetime.datetime: years 1-9999",
    "rows-write-pre-epoch": (
        "pyfluss append() fails on a TIMESTAMP (no zone) before 1970 with a sub-millisecond part: "
        "it takes jiff's subsec_nanosecond, negative before the epoch, % 10^6 without flooring "
        "('nanoOfMillisecond must be in range [0, 999999], got: -1000'); TIMESTAMP_LTZ is fine"
    ),
    "rows-date-range": "pyfluss converts DATE through datetime.date: years 1-9999 only",
}

_EPOCH_DATE = _dt.date(1970, 1, 1)
_EPOCH_NAIVE = _dt.datetime(1970, 1, 1)
_EPOCH_UTC = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_NS_PER_UNIT = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}


class PyflussCannot(Exception):
    """A value that pyfluss has no way to write or read on the chosen path."""

    def __init__(self, where: str, limit: str) -> None:
        super().__init__(f"{where}: {LIMITS[limit]}")
        self.where = where
        self.limit = limit


class BadRow(ValueError):
    """Malformed JSON input (wrong shape or type); the probe reports it as a usage error."""


# ---------------------------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------------------------


def _float_json(v: float) -> Any:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _float_in(v: Any, where: str) -> float:
    if isinstance(v, str):
        if v not in ("NaN", "Infinity", "-Infinity"):
            raise BadRow(f"{where}: expected a number or NaN/Infinity/-Infinity, got {v!r}")
        return float(v.replace("Infinity", "inf"))
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise BadRow(f"{where}: expected a number, got {v!r}")
    return float(v)


def _int_in(v: Any, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise BadRow(f"{where}: expected an integer, got {v!r}")
    return v


def _decimal_text(d: decimal.Decimal, scale: int) -> str:
    """Plain text with exactly `scale` fraction digits, as Java's BigDecimal#toPlainString."""
    with decimal.localcontext() as ctx:
        ctx.prec = 80  # the default 28 digits cannot hold DECIMAL(38, s)
        q = d.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)
    return format(q, "f")


def _decimal_in(v: Any, scale: int, where: str) -> decimal.Decimal:
    if not isinstance(v, str):
        raise BadRow(f"{where}: DECIMAL values are strings, got {v!r}")
    try:
        d = decimal.Decimal(v)
    except decimal.InvalidOperation:
        raise BadRow(f"{where}: not a decimal: {v!r}") from None
    # Java's Decimal.fromBigDecimal rounds HALF_UP to the column scale.
    with decimal.localcontext() as ctx:
        ctx.prec = 80  # the default 28 digits cannot hold DECIMAL(38, s)
        return d.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)


def _hex_in(v: Any, where: str) -> bytes:
    if not isinstance(v, str):
        raise BadRow(f"{where}: BINARY/BYTES values are hex strings, got {v!r}")
    try:
        return bytes.fromhex(v)
    except ValueError:
        raise BadRow(f"{where}: not a hex string: {v!r}") from None


def _ts_in(v: Any, where: str):
    if not isinstance(v, dict) or not isinstance(v.get("millis"), int) or not isinstance(v.get("nanos", 0), int):
        raise BadRow(f'{where}: timestamps are {{"millis": int, "nanos": int}}, got {v!r}')
    nanos = v.get("nanos", 0)
    if not 0 <= nanos <= 999_999:
        raise BadRow(f"{where}: nanos must be 0..999999, got {nanos}")
    return v["millis"], nanos


def _ts_json(epoch_nanos: int) -> Dict[str, int]:
    millis, nanos = divmod(epoch_nanos, 1_000_000)  # floor: nanos of millisecond is never negative
    return {"millis": millis, "nanos": nanos}


def _time_millis_in(v: Any, where: str) -> int:
    ns = _int_in(v, where)
    if not 0 <= ns < 86_400 * 1_000_000_000:
        raise BadRow(f"{where}: TIME is nanoseconds of day, got {ns}")
    # Fluss TIME keeps milliseconds; the Java probe truncates the same way.
    return ns // 1_000_000


def _fields(t: pa.DataType) -> List[pa.Field]:
    return [t.field(i) for i in range(t.num_fields)]


# ---------------------------------------------------------------------------------------------
# JSON -> pyfluss append() values  (api "rows")
# ---------------------------------------------------------------------------------------------


def json_to_python(v: Any, t: pa.DataType, where: str) -> Any:
    """A JSON value as the Python value pyfluss's append() takes for a column of Arrow type t."""
    if v is None:
        return None
    if pa.types.is_boolean(t):
        if not isinstance(v, bool):
            raise BadRow(f"{where}: expected true/false, got {v!r}")
        return v
    if pa.types.is_int64(t):
        if isinstance(v, str):
            try:
                return int(v)
            except ValueError:
                raise BadRow(f"{where}: not an integer: {v!r}") from None
        return _int_in(v, where)
    if pa.types.is_integer(t):
        return _int_in(v, where)
    if pa.types.is_floating(t):
        return _float_in(v, where)
    if pa.types.is_decimal(t):
        return _decimal_in(v, t.scale, where)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        if not isinstance(v, str):
            raise BadRow(f"{where}: expected a string, got {v!r}")
        return v
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_large_binary(t):
        return _hex_in(v, where)
    if pa.types.is_date(t):
        days = _int_in(v, where)
        try:
            return _EPOCH_DATE + _dt.timedelta(days=days)
        except OverflowError:
            raise PyflussCannot(where, "rows-date-range") from None
    if pa.types.is_time(t):
        ms = _time_millis_in(v, where)
        return _dt.time(ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000 * 1000)
    if pa.types.is_timestamp(t):
        millis, nanos = _ts_in(v, where)
        aware = t.tz is not None
        if nanos % 1000 != 0:
            raise PyflussCannot(where, "rows-write-timestamp-nanos")
        if not aware and millis < 0 and nanos != 0:
            raise PyflussCannot(where, "rows-write-pre-epoch")
        try:
            base = _EPOCH_UTC if aware else _EPOCH_NAIVE
            return base + _dt.timedelta(milliseconds=millis, microseconds=nanos // 1000)
        except OverflowError:
            raise PyflussCannot(where, "rows-write-timestamp-range") from None
    if pa.types.is_map(t):
        if not isinstance(v, list):
            raise BadRow(f"{where}: MAP values are arrays of [key, value], got {v!r}")
        out = []
        for i, e in enumerate(v):
            if not isinstance(e, list) or len(e) != 2:
                raise BadRow(f"{where}[{i}]: expected [key, value], got {e!r}")
            out.append((json_to_python(e[0], t.key_type, f"{where}[{i}].key"),
                        json_to_python(e[1], t.item_type, f"{where}[{i}].value")))
        return out
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        if not isinstance(v, list):
            raise BadRow(f"{where}: ARRAY values are arrays, got {v!r}")
        return [json_to_python(e, t.value_type, f"{where}[{i}]") for i, e in enumerate(v)]
    if pa.types.is_struct(t):
        fields = _fields(t)
        if not isinstance(v, list) or len(v) != len(fields):
            raise BadRow(f"{where}: ROW values are arrays of {len(fields)} fields, got {v!r}")
        return {f.name: json_to_python(e, f.type, f"{where}.{f.name}") for f, e in zip(fields, v)}
    raise BadRow(f"{where}: no conversion for Arrow type {t}")


# ---------------------------------------------------------------------------------------------
# pyfluss poll() values -> JSON  (api "rows")
# ---------------------------------------------------------------------------------------------


def _micros_since(dt: _dt.datetime, epoch: _dt.datetime) -> int:
    d = dt - epoch
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def python_to_json(v: Any, t: pa.DataType) -> Any:
    """A value from pyfluss's ScanRecord.row as JSON, for a column of Arrow type t."""
    if v is None:
        return None
    if pa.types.is_int64(t):
        return str(v)
    if pa.types.is_floating(t):
        return _float_json(v)
    if pa.types.is_decimal(t):
        return _decimal_text(v, t.scale)
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_large_binary(t):
        return bytes(v).hex()
    if pa.types.is_date(t):
        return (v - _EPOCH_DATE).days
    if pa.types.is_time(t):
        return ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000_000 + v.microsecond * 1000
    if pa.types.is_timestamp(t):
        if type(v).__name__ == "Timestamp" and hasattr(v, "value"):
            return _ts_json(int(v.value))  # pandas.Timestamp: nanoseconds since the epoch
        micros = _micros_since(v, _EPOCH_UTC if v.tzinfo is not None else _EPOCH_NAIVE)
        return _ts_json(micros * 1000)
    if pa.types.is_map(t):
        items = v.items() if isinstance(v, dict) else v
        return [[python_to_json(k, t.key_type), python_to_json(x, t.item_type)] for k, x in items]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [python_to_json(e, t.value_type) for e in v]
    if pa.types.is_struct(t):
        fields = _fields(t)
        if isinstance(v, dict):
            return [python_to_json(v.get(f.name), f.type) for f in fields]
        return [python_to_json(e, f.type) for f, e in zip(fields, v)]
    return v


# ---------------------------------------------------------------------------------------------
# JSON -> pyarrow arrays  (api "arrow")
# ---------------------------------------------------------------------------------------------


def _arrow_friendly(v: Any, t: pa.DataType, where: str) -> Any:
    """A JSON value as what pa.array(..., type=t) takes, with the Java client's rounding."""
    if v is None:
        return None
    if pa.types.is_timestamp(t):
        millis, nanos = _ts_in(v, where)
        # As Fluss's Java ArrowTimestamp*Writer: s = millis / 1000 (toward zero), ms = millis,
        # us = millis * 1000 + nanos / 1000, ns = millis * 10^6 + nanos.
        if t.unit == "s":
            return int(millis / 1000) if millis >= 0 else -((-millis) // 1000)
        if t.unit == "ms":
            return millis
        if t.unit == "us":
            return millis * 1000 + nanos // 1000
        return millis * 1_000_000 + nanos
    if pa.types.is_time(t):
        ms = _time_millis_in(v, where)
        return {"s": ms // 1000, "ms": ms, "us": ms * 1000, "ns": ms * 1_000_000}[t.unit]
    if pa.types.is_date(t):
        return _int_in(v, where)
    if pa.types.is_map(t):
        if not isinstance(v, list):
            raise BadRow(f"{where}: MAP values are arrays of [key, value], got {v!r}")
        return [(_arrow_friendly(e[0], t.key_type, f"{where}[{i}].key"),
                 _arrow_friendly(e[1], t.item_type, f"{where}[{i}].value")) for i, e in enumerate(v)]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        if not isinstance(v, list):
            raise BadRow(f"{where}: ARRAY values are arrays, got {v!r}")
        return [_arrow_friendly(e, t.value_type, f"{where}[{i}]") for i, e in enumerate(v)]
    if pa.types.is_struct(t):
        fields = _fields(t)
        if not isinstance(v, list) or len(v) != len(fields):
            raise BadRow(f"{where}: ROW values are arrays of {len(fields)} fields, got {v!r}")
        return {f.name: _arrow_friendly(e, f.type, f"{where}.{f.name}") for f, e in zip(fields, v)}
    return json_to_python(v, t, where)


def json_rows_to_batch(rows: List[Any], schema: pa.Schema) -> pa.RecordBatch:
    """The rows ([v, ...] in column order) as one RecordBatch of the table's Arrow schema."""
    columns: List[List[Any]] = [[] for _ in schema]
    for r, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(schema):
            raise BadRow(f"rows[{r}] must be an array of {len(schema)} column values")
        for c, (f, v) in enumerate(zip(schema, row)):
            columns[c].append(_arrow_friendly(v, f.type, f"rows[{r}][{c}]"))
    arrays = [pa.array(col, type=f.type) for f, col in zip(schema, columns)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


# ---------------------------------------------------------------------------------------------
# pyarrow arrays -> JSON  (api "arrow"), exact: integers are read, never datetime objects
# ---------------------------------------------------------------------------------------------


def _valid(arr: pa.Array) -> List[bool]:
    return arr.is_valid().to_pylist()


def arrow_to_json(arr: pa.Array) -> List[Any]:
    """Every value of an Arrow array in the JSON convention (None for nulls)."""
    t = arr.type
    if pa.types.is_timestamp(t):
        scale = _NS_PER_UNIT[t.unit]
        return [None if x is None else _ts_json(x * scale) for x in arr.cast(pa.int64()).to_pylist()]
    if pa.types.is_time(t):
        scale = _NS_PER_UNIT[t.unit]
        ints = arr.cast(pa.int32() if pa.types.is_time32(t) else pa.int64()).to_pylist()
        return [None if x is None else x * scale for x in ints]
    if pa.types.is_date32(t):
        return arr.cast(pa.int32()).to_pylist()
    if pa.types.is_int64(t):
        return [None if x is None else str(x) for x in arr.to_pylist()]
    if pa.types.is_floating(t):
        return [None if x is None else _float_json(x) for x in arr.to_pylist()]
    if pa.types.is_decimal(t):
        return [None if x is None else _decimal_text(x, t.scale) for x in arr.to_pylist()]
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_large_binary(t):
        return [None if x is None else x.hex() for x in arr.to_pylist()]
    if pa.types.is_map(t):
        # offsets index into the (unsliced) entries struct, as for lists.
        entries = arr.values
        keys, items = arrow_to_json(entries.field(0)), arrow_to_json(entries.field(1))
        offs = arr.offsets.to_pylist()
        return [[[keys[j], items[j]] for j in range(offs[i], offs[i + 1])] if ok else None
                for i, ok in enumerate(_valid(arr))]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        values = arrow_to_json(arr.values)
        offs = arr.offsets.to_pylist()
        return [values[offs[i]:offs[i + 1]] if ok else None for i, ok in enumerate(_valid(arr))]
    if pa.types.is_struct(t):
        children = []
        for i in range(t.num_fields):
            child = arr.field(i)
            if len(child) != len(arr):
                child = child.slice(arr.offset, len(arr))
            children.append(arrow_to_json(child))
        return [[c[k] for c in children] if ok else None for k, ok in enumerate(_valid(arr))]
    return arr.to_pylist()


def batch_to_json_rows(batch: pa.RecordBatch) -> List[List[Any]]:
    cols = [arrow_to_json(batch.column(i)) for i in range(batch.num_columns)]
    return [[c[r] for c in cols] for r in range(batch.num_rows)]


def classify_poll_error(e: Exception) -> Optional[PyflussCannot]:
    """Maps pyfluss's poll() failure on an out-of-range timestamp to the documented limit."""
    text = str(e)
    if "Invalid timestamp" in text and "Unix timestamp microseconds" in text:
        return PyflussCannot("scan-rows", "rows-read-timestamp-range")
    return None
