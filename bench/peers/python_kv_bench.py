#!/usr/bin/env python3
"""Primary-key table driver for pyfluss (PyPI ``pyfluss``, import ``fluss``), run by
bench/kv-throughput.ts next to fluss-edge and the Java client on the same cluster.

    PY=$(bash scripts/setup-python.sh)
    $PY bench/peers/python_kv_bench.py --bootstrap 127.0.0.1:9123 --database db --table t \
        --rows 200000 --phase upsert|lookup|latency [--lookups 20000] [--chunk 1000]

The table is the one of bench/kv-bench-schema.ts (the orchestrator creates it), holding rows
0..rows-1 for the lookup phases; rows and lookup keys follow that file's formulas. Each phase is
timed from its first client call to its last (connecting, opening the table and creating the
writer or lookupers are not):

  upsert   row i as a Python list built in the loop (int, str, float, datetime, int),
           UpsertWriter.upsert(list) per row, then one flush().
  lookup   --lookups keys in chunks of --chunk: asyncio.gather over the chunk's lookups, each on a
           Lookuper of its own (see LOOKUP_API), then the next chunk.
  latency  --lookups keys one after the other on one Lookuper, each timed.

Every lookup's row is checked (found, with its key's name). Prints ONE JSON line on stdout: the
KvPhaseResult of bench/kv-bench-schema.ts. Exit 1 with {"error": "..."} on failure.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time

# The log driver's clock (wall + process CPU), options and JSON-line runner, shared by the Python drivers.
from python_log_bench import EPOCH_UTC, PhaseClock, driver_parser, run_driver

LOOKUP_KEY_STRIDE = 7919  # bench/kv-bench-schema.ts

# pyfluss 1.0.0 serves one Lookuper's lookups one at a time, each waiting out the lookup batch
# timeout (about 100 ms; asyncio.gather on one Lookuper does not overlap them), while separate
# Lookupers share the connection's lookup client, whose batches then carry their keys together.
# So lookups in flight need a Lookuper each: the chunk's lookups use one each (created off the
# clock, as a service would keep a pool), which is what its API allows.
LOOKUP_API = "asyncio.gather over chunks of {chunk} Lookuper.lookup([id]), one Lookuper per lookup in flight"
LATENCY_API = "await Lookuper.lookup([id]) one after the other (one Lookuper)"
UPSERT_API = "UpsertWriter.upsert(list) per row + one flush()"


def name_of(i: int) -> str:
    return f"name-{i:012d}"


def lookup_key(j: int, rows: int) -> int:
    return (j * LOOKUP_KEY_STRIDE) % rows


def check(row, key: int) -> None:
    """A lookup's row must be there and be its key's: a benchmark that finds nothing must not look fast."""
    if row is None:
        raise RuntimeError(f"lookup of key {key} found no row")
    if row["name"] != name_of(key):
        raise RuntimeError(f"lookup of key {key} found name {row['name']!r}, expected {name_of(key)!r}")


async def upsert(table, rows: int) -> tuple[float, int, dict]:
    writer = table.new_upsert().create_writer()
    clock = PhaseClock()
    for i in range(rows):
        writer.upsert([i, name_of(i), i * 0.5, EPOCH_UTC + dt.timedelta(milliseconds=1_700_000_000_000 + i),
                       (i * 7) % 1_000_003])
    await writer.flush()
    return (*clock.stop(), {})


async def lookups(table, rows: int, n: int, chunk: int) -> tuple[float, int, dict]:
    lookup = table.new_lookup()
    lookupers = [lookup.create_lookuper() for _ in range(min(chunk, n))]
    clock = PhaseClock()
    for start in range(0, n, chunk):
        keys = [lookup_key(j, rows) for j in range(start, min(n, start + chunk))]
        found = await asyncio.gather(*(lookupers[k].lookup([key]) for k, key in enumerate(keys)))
        for row, key in zip(found, keys):
            check(row, key)
    return (*clock.stop(), {"checked": n})


async def latency(table, rows: int, n: int) -> tuple[float, int, dict]:
    lookuper = table.new_lookup().create_lookuper()
    latencies = []
    clock = PhaseClock()
    for j in range(n):
        key = lookup_key(j, rows)
        t0 = time.perf_counter()
        row = await lookuper.lookup([key])
        latencies.append(round((time.perf_counter() - t0) * 1000, 3))
        check(row, key)
    return (*clock.stop(), {"checked": n, "latenciesMs": latencies})


async def main_async(a) -> dict:
    import fluss

    conn = await fluss.FlussConnection.create(fluss.Config({"bootstrap.servers": a.bootstrap}))
    table = await conn.get_table(fluss.TablePath(a.database, a.table))
    if list(table.get_table_info().get_primary_keys()) != ["id"]:
        raise RuntimeError(f"table {a.database}.{a.table} is not the KV bench table")
    if a.phase == "upsert":
        operations, api = a.rows, UPSERT_API
        seconds, cpu_ms, extra = await upsert(table, a.rows)
    elif a.phase == "lookup":
        operations, api = a.lookups, LOOKUP_API.format(chunk=a.chunk)
        seconds, cpu_ms, extra = await lookups(table, a.rows, a.lookups, a.chunk)
    else:
        operations, api = a.lookups, LATENCY_API
        seconds, cpu_ms, extra = await latency(table, a.rows, a.lookups)
    # The connection is not closed: the process ends with os._exit (see the end of this file).
    return {"operations": operations, "seconds": round(seconds, 4), "cpuMs": cpu_ms,
            "perSec": round(operations / seconds, 1), "api": api, "client": "pyfluss",
            "version": fluss.__version__, **extra}


def main() -> int:
    p = driver_parser(__doc__)
    p.add_argument("--phase", choices=["upsert", "lookup", "latency"], required=True)
    p.add_argument("--lookups", type=int, default=0)
    p.add_argument("--chunk", type=int, default=1000)
    return run_driver(main_async(p.parse_args()))


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # As in python_log_bench.py: pyfluss 1.0.0 can abort while the interpreter finalises.
    os._exit(exit_code)
