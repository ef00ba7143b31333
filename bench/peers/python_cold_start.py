"""Cold-start driver for pyfluss (run by bench/cold-start.ts, like bench/cold-start-edge.ts for
fluss-edge): in a fresh interpreter, the time of each step a short-lived client goes through
before its first rows, from importing the client on:

  importMs      import fluss
  connectMs     FlussConnection.create
  openMs        get_table
  firstRowsMs   a record-batch scanner from the earliest offsets until its first rows
  firstWriteMs  create_writer, one append, flush

Prints ONE JSON line: the steps in milliseconds, totalMs (their sum) and cpuMs (the process's CPU
time over all of them, every thread).
"""
import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from python_log_bench import python_row, run_driver  # noqa: E402  (the throughput driver's row formulas and output)


def cpu_ms() -> float:
    t = os.times()
    return (t.user + t.system) * 1000


async def run(a) -> dict:
    cpu0 = cpu_ms()
    steps = {}
    last = time.perf_counter()

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[name] = round((now - last) * 1000, 1)
        last = now

    import fluss

    step("importMs")
    conn = await fluss.FlussConnection.create(fluss.Config({"bootstrap.servers": a.bootstrap}))
    step("connectMs")
    table = await conn.get_table(fluss.TablePath(a.database, a.table))
    step("openMs")
    scanner = await table.new_scan().create_record_batch_log_scanner()
    buckets = table.get_table_info().num_buckets
    scanner.subscribe_buckets({b: fluss.EARLIEST_OFFSET for b in range(buckets)})
    rows = 0
    while rows == 0:
        for rb in await scanner.poll_record_batch(100):
            rows += rb.batch.num_rows
    for b in range(buckets):
        scanner.unsubscribe(b)
    step("firstRowsMs")
    writer = table.new_append().create_writer()
    writer.append(python_row(0))
    await writer.flush()
    step("firstWriteMs")
    return {
        "client": "pyfluss",
        "version": fluss.__version__,
        **steps,
        "totalMs": round(sum(steps.values()), 1),
        "cpuMs": round(cpu_ms() - cpu0),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--database", required=True)
    p.add_argument("--table", required=True)
    return run_driver(run(p.parse_args()))


if __name__ == "__main__":
    exit_code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)  # as python_log_bench.py: skip finalisation (pyfluss 1.0.0 can abort there)
