#!/usr/bin/env python3
"""Native libzstd (pyarrow's Codec("zstd")) on the buffers bench/zstd-codecs.ts captured: compresses
every buffer of DIR/raw.bin at LEVEL and decompresses every frame of DIR/frames.bin (both files:
uint32-LE length-prefixed records, the frames in the same order as the buffers), best of ROUNDS.

    python bench/peers/python_zstd_bench.py DIR LEVEL ROUNDS

Prints one JSON line: {"version", "compressMs", "decompressMs"}. Exits 1 if a frame does not
decode to its buffer.
"""

import json
import struct
import sys
import time
from pathlib import Path


def records(path: Path) -> list[bytes]:
    data = path.read_bytes()
    out, pos = [], 0
    while pos < len(data):
        (n,) = struct.unpack_from("<I", data, pos)
        out.append(data[pos + 4 : pos + 4 + n])
        pos += 4 + n
    return out


def best(rounds: int, run) -> float:
    fastest = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        run()
        fastest = min(fastest, time.perf_counter() - t0)
    return fastest * 1000


def main() -> None:
    import pyarrow as pa

    directory, level, rounds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    raw, frames = records(directory / "raw.bin"), records(directory / "frames.bin")
    codec = pa.Codec("zstd", compression_level=level)
    for buffer, frame in zip(raw, frames):
        if codec.decompress(frame, decompressed_size=len(buffer)).to_pybytes() != buffer:
            print(json.dumps({"error": "a frame does not decode to its buffer"}))
            sys.exit(1)
    compress_ms = best(rounds, lambda: [codec.compress(b) for b in raw])
    decompress_ms = best(rounds, lambda: [codec.decompress(f, decompressed_size=len(b)) for b, f in zip(raw, frames)])
    print(json.dumps({"version": pa.__version__, "compressMs": compress_ms, "decompressMs": decompress_ms}))


if __name__ == "__main__":
    main()
