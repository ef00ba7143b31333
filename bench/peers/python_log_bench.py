#!/usr/bin/env python3
"""Log throughput driver for pyfluss (PyPI ``pyfluss``, import ``fluss``; the Rust core's Python
binding), run by bench/log-throughput.ts next to fluss-edge and the Java client on the same cluster.

    PY=$(bash scripts/setup-python.sh)
    $PY bench/peers/python_log_bench.py --bootstrap 127.0.0.1:9123 --database db --table t \
        --rows 1000000 [--phase append|scan|both] [--append-api arrow|rows] [--scan-api arrow|rows] \
        [--arrow-batch-rows 100000] [--conf k=v]...

The table must exist with the 10 columns of bench/log-schema.json (the orchestrator creates it).
Each phase is timed from its first client call to its last (connection setup excluded):

  append, api "arrow" (default: pyfluss's documented fast path for bulk loads): the rows as
      pyarrow RecordBatches of --arrow-batch-rows rows, built with numpy/pyarrow compute BEFORE the
      clock starts (a user bulk-loading holds Arrow data already), each handed to
      AppendWriter.write_arrow_batch(), then one flush().
  append, api "rows": row i as a Python list built in the loop (int, float, bool, str, datetime,
      Decimal), AppendWriter.append(list) per row, then one flush().
  scan, api "arrow" (default): create_record_batch_log_scanner(), subscribe every bucket from
      EARLIEST_OFFSET, poll_record_batch(100) until N rows; ids summed with pyarrow.compute.
  scan, api "rows": create_log_scanner(), poll(100) until N records; every record's row dict is
      built by pyfluss and its id summed.

Prints ONE JSON line on stdout: {"client": "pyfluss", "rows", "bytesPerRow", "append": {"rows",
"seconds", "cpuMs", "rowsPerSec", "mbPerSec", "api"}, "scan": {..., "idSum"}}; MB = rows × bytesPerRow /
10^6 (bench/log-schema.json). Exit 1 with {"error": "..."} on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import decimal
import json
import os
import resource
import sys
import time
from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "log-schema.json"
SCAN_TIMEOUT_S = 600.0
EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def arrow_batches(schema, rows: int, batch_rows: int):
    """Rows 0..rows-1 of bench/log-schema.json as RecordBatches of the table's Arrow schema."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def padded(prefix: str, ids, width: int):
        digits = pc.utf8_lpad(pc.cast(ids, pa.string()), width=width, padding="0")
        return pc.binary_join_element_wise(prefix, digits, "")

    out = []
    for start in range(0, rows, batch_rows):
        ids_np = np.arange(start, min(rows, start + batch_rows), dtype=np.int64)
        n = len(ids_np)
        ids = pa.array(ids_np)
        unscaled = np.zeros((n, 2), dtype=np.int64)  # DECIMAL128: little-endian low word, high word 0
        unscaled[:, 0] = ids_np % 10_000_000
        columns = [
            ids,
            pa.array(((ids_np * 7) % 1_000_003).astype(np.int32)),
            pa.array(ids_np * 1_000_003),
            pa.array(ids_np * 0.5),
            pa.array(((ids_np % 1000) * 0.25).astype(np.float32)),
            pa.array(ids_np % 3 == 0),
            padded("s16-", ids, 12),
            padded("payload-", ids, 24),
            pa.array(1_700_000_000_000 + ids_np, type=pa.timestamp("ms", tz="UTC")),
            pa.Array.from_buffers(pa.decimal128(10, 2), n, [None, pa.py_buffer(unscaled.tobytes())]),
        ]
        arrays = [c.cast(f.type) if c.type != f.type else c for c, f in zip(columns, schema)]
        out.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
    return out


def python_row(i: int) -> list:
    return [
        i,
        (i * 7) % 1_000_003,
        i * 1_000_003,
        i * 0.5,
        (i % 1000) * 0.25,
        i % 3 == 0,
        f"s16-{i:012d}",
        f"payload-{i:024d}",
        EPOCH_UTC + dt.timedelta(milliseconds=1_700_000_000_000 + i),
        decimal.Decimal(i % 10_000_000).scaleb(-2),
    ]


class PhaseClock:
    """A phase's wall time and the CPU time of this whole process (every thread: Python and the
    Rust core's runtime), as the other drivers report them."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.cpu0 = _process_cpu()

    def seconds(self) -> float:
        return time.perf_counter() - self.t0

    def stop(self) -> tuple[float, int]:
        seconds = self.seconds()
        return seconds, round((_process_cpu() - self.cpu0) * 1000)


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def append(table, rows: int, api: str, batch_rows: int) -> tuple[float, int]:
    writer = table.new_append().create_writer()
    if api == "arrow":
        batches = arrow_batches(table.arrow_schema, rows, batch_rows)  # input, prepared off the clock
        clock = PhaseClock()
        for batch in batches:
            writer.write_arrow_batch(batch)
        await writer.flush()
        return clock.stop()
    clock = PhaseClock()
    for i in range(rows):
        writer.append(python_row(i))
    await writer.flush()
    return clock.stop()


async def scan(table, rows: int, api: str):
    import fluss
    import pyarrow.compute as pc

    buckets = table.get_table_info().num_buckets
    clock = PhaseClock()
    scanner = await (table.new_scan().create_record_batch_log_scanner() if api == "arrow"
                     else table.new_scan().create_log_scanner())
    scanner.subscribe_buckets({b: fluss.EARLIEST_OFFSET for b in range(buckets)})
    seen = 0
    id_sum = 0
    while seen < rows:
        if clock.seconds() > SCAN_TIMEOUT_S:
            raise RuntimeError(f"scan timed out after {seen} of {rows} rows")
        if api == "arrow":
            for rb in await scanner.poll_record_batch(100):
                seen += rb.batch.num_rows
                id_sum += pc.sum(rb.batch.column(0)).as_py() or 0
        else:
            for rec in await scanner.poll(100):
                id_sum += rec.row["id"]
                seen += 1
    seconds, cpu_ms = clock.stop()
    # pyfluss scanners have no close(): unsubscribe, so that a finished scan fetches no more
    # (--scan-passes runs several scans in one process).
    for b in range(buckets):
        scanner.unsubscribe(b)
    if seen != rows:
        raise RuntimeError(f"scan read {seen} rows, expected {rows}")
    return seconds, cpu_ms, id_sum


def phase_json(rows: int, seconds: float, cpu_ms: int, bytes_per_row: float, api: str, id_sum=None) -> dict:
    out = {
        "rows": rows,
        "seconds": round(seconds, 4),
        "cpuMs": cpu_ms,
        "rowsPerSec": round(rows / seconds, 1),
        "mbPerSec": round(rows * bytes_per_row / 1e6 / seconds, 3),
        "api": api,
    }
    if id_sum is not None:
        out["idSum"] = str(id_sum)
    return out


APPEND_API = {
    "arrow": "AppendWriter.write_arrow_batch(pa.RecordBatch) per {n} rows (prepared beforehand) + one flush()",
    "rows": "AppendWriter.append(list) per row + one flush()",
}
SCAN_API = {
    "arrow": "record-batch LogScanner.poll_record_batch(100 ms) (Arrow)",
    "rows": "LogScanner.poll(100 ms) (row dicts)",
}


async def main_async(a) -> dict:
    import fluss

    bytes_per_row = float(json.loads(SCHEMA_FILE.read_text())["bytesPerRow"])
    props = {"bootstrap.servers": a.bootstrap, **dict(kv.split("=", 1) for kv in a.conf)}
    conn = await fluss.FlussConnection.create(fluss.Config(props))
    table = await conn.get_table(fluss.TablePath(a.database, a.table))
    if len(table.arrow_schema) != 10:
        raise RuntimeError(f"table {a.database}.{a.table} is not the 10-column bench table")
    result = {"client": "pyfluss", "version": fluss.__version__, "rows": a.rows, "bytesPerRow": bytes_per_row}
    # With --passes N each phase runs N times in this process (appends add N x rows); the last is reported.
    pass_note = f"; pass {a.passes} of one process" if a.passes > 1 else ""
    if a.phase in ("append", "both"):
        for _ in range(a.passes):
            seconds, cpu_ms = await append(table, a.rows, a.append_api, a.arrow_batch_rows)
        api = APPEND_API[a.append_api].format(n=a.arrow_batch_rows) + pass_note
        result["append"] = phase_json(a.rows, seconds, cpu_ms, bytes_per_row, api)
    if a.phase in ("scan", "both"):
        for _ in range(a.passes):
            seconds, cpu_ms, id_sum = await scan(table, a.rows, a.scan_api)
        result["scan"] = phase_json(a.rows, seconds, cpu_ms, bytes_per_row, SCAN_API[a.scan_api] + pass_note, id_sum)
    # The connection is not closed: the process ends with os._exit (see the end of this file).
    return result


def driver_parser(doc: str) -> argparse.ArgumentParser:
    """The options every Python driver takes (where the cluster is, which table, how many rows),
    with the first paragraph of the driver's docstring as its description."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--database", required=True)
    p.add_argument("--table", required=True)
    p.add_argument("--rows", type=int, required=True)
    return p


def main() -> int:
    p = driver_parser(__doc__)
    p.add_argument("--phase", choices=["append", "scan", "both"], default="both")
    p.add_argument("--append-api", choices=["arrow", "rows"], default="arrow")
    p.add_argument("--scan-api", choices=["arrow", "rows"], default="arrow")
    p.add_argument("--arrow-batch-rows", type=int, default=100_000)
    p.add_argument("--passes", type=int, default=1, help="runs of the phase in this process; the last is reported")
    p.add_argument("--conf", action="append", default=[], help="client config key=value")
    return run_driver(main_async(p.parse_args()))


def run_driver(coroutine) -> int:
    """Runs a driver's coroutine and prints its result (or {"error": ...}) as ONE JSON line."""
    try:
        result = asyncio.run(coroutine)
        code = 0
    except Exception as e:  # noqa: BLE001 - one JSON line either way
        import traceback

        traceback.print_exc(file=sys.stderr)
        result, code = {"error": f"{type(e).__name__}: {e}"}, 1
    sys.stdout.write(json.dumps(result) + "\n")
    return code


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # As in tests/interop/python/probe.py: pyfluss 1.0.0 can abort (SIGABRT) while the interpreter
    # finalises if a tokio worker completes a future then; skip finalisation.
    os._exit(exit_code)
