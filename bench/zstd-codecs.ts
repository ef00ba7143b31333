/**
 * ZSTD codec speed: fluss-edge's codecs against native libzstd (pyarrow's,
 * the library behind pyfluss's Arrow path), on the very buffers fluss-edge's
 * writer compresses for the log benchmark's table (bench/log-schema.json):
 * its rows cut into batches of about the writer's 2 MiB, each column buffer
 * as the Arrow body writer lays it out, ZSTD level 3 (the table default).
 * No cluster is involved: this isolates the codec from the client.
 *
 *   bash scripts/bench.sh zstd
 *
 * Env: BENCH_ROWS (default 1 000 000), BENCH_ROUNDS (3, best of).
 * Timed per codec: compressing every buffer, and decompressing every frame
 * (the frames the WebAssembly encoder wrote, which every decoder reads back
 * byte for byte). Writes bench/results/zstd-codecs.json and .md.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as zlib from "node:zlib";
import { rowsToRecordBatch } from "@fluss-edge/client";
// The codec internals, by path: they are not part of the package's public entries.
import { createCodec } from "../packages/client/dist/wire/records/compression/zstd-codec.js";
import { ZSTD_WASM_VERSION } from "../packages/client/dist/gen-data/zstd-wasm.js";
import { createNativeZstdCodec } from "../packages/client/dist/node/native-zstd-codec.js";
import { encodeArrowRecordBatchSync } from "../packages/client/dist/wire/records/arrow-batch.js";
import type { BufferCodec } from "../packages/client/dist/wire/records/compression/codec.js";
import { BENCH_SCHEMA, benchRow } from "./log-bench-schema.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Rows per batch: about the writer's default 2 MiB (`writer.batch-size`) of this table. */
const BATCH_ROWS = 18_000;
const LEVEL = 3;
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

interface Timing {
  codec: string;
  compressMs?: number;
  decompressMs: number;
}

/** The buffers the writer compresses, captured through a codec that records what it is given. */
function writerBuffers(wasm: BufferCodec): Uint8Array[] {
  const captured: Uint8Array[] = [];
  const recording: BufferCodec = {
    name: "ZSTD",
    compress: (data, level) => {
      captured.push(data.slice());
      return wasm.compress(data, level);
    },
    decompress: (data, n) => wasm.decompress(data, n),
  };
  for (let start = 0; start < ROWS; start += BATCH_ROWS) {
    const rows = [];
    for (let i = start; i < Math.min(ROWS, start + BATCH_ROWS); i++) rows.push(benchRow(i));
    encodeArrowRecordBatchSync(rowsToRecordBatch(BENCH_SCHEMA, rows), { compression: { codec: "ZSTD", level: LEVEL } }, recording);
  }
  return captured;
}

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Length-prefixed (uint32 LE) records, the exchange format with the Python driver. */
function packed(buffers: Uint8Array[]): Uint8Array {
  const out = Buffer.alloc(buffers.reduce((n, b) => n + 4 + b.length, 0));
  let at = 0;
  for (const b of buffers) {
    out.writeUInt32LE(b.length, at);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

function python(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", [join(repoRoot, "scripts/setup-python.sh")], { cwd: repoRoot }, (setupError, py) => {
      if (setupError) return reject(setupError);
      execFile(py.trim(), args, { cwd: repoRoot, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
  });
}

async function main(): Promise<void> {
  const wasm = await createCodec();
  const buffers = writerBuffers(wasm);
  const rawBytes = buffers.reduce((n, b) => n + b.length, 0);
  const frames = buffers.map((b) => wasm.compress(b, LEVEL)!);
  const frameBytes = frames.reduce((n, f) => n + f.length, 0);
  const decoded = frames.map((f, i) => wasm.decompress(f, buffers[i]!.length));
  if (!decoded.every((d, i) => sameBytes(d, buffers[i]!))) throw new Error("the WebAssembly codec does not round-trip");

  const timings: Timing[] = [];
  timings.push({
    codec: `fluss-edge WebAssembly (its own build of zstd ${ZSTD_WASM_VERSION}, src/gen-data/zstd-wasm.ts)`,
    compressMs: best(() => frames.forEach((_, i) => wasm.compress(buffers[i]!, LEVEL))),
    decompressMs: best(() => frames.forEach((f, i) => wasm.decompress(f, buffers[i]!.length))),
  });
  const native = createNativeZstdCodec();
  if (native) {
    timings.push({
      codec: `fluss-edge native node:zlib (Node ${process.version}, decode only)`,
      decompressMs: best(() => frames.forEach((f, i) => native.decompress(f, buffers[i]!.length))),
    });
  }

  const dir = mkdtempSync(join(tmpdir(), "zstd-bench-"));
  try {
    writeFileSync(join(dir, "raw.bin"), packed(buffers));
    writeFileSync(join(dir, "frames.bin"), packed(frames));
    const out = JSON.parse(await python(["bench/peers/python_zstd_bench.py", dir, String(LEVEL), String(ROUNDS)])) as {
      version: string;
      compressMs: number;
      decompressMs: number;
    };
    timings.push({ codec: `native libzstd (pyarrow ${out.version} Codec("zstd"))`, compressMs: out.compressMs, decompressMs: out.decompressMs });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const mbps = (ms: number | undefined) => (ms === undefined ? undefined : rawBytes / 1e6 / (ms / 1000));
  const reference = timings[timings.length - 1]!;
  const rows = timings.map((t) => ({
    ...t,
    compressMBps: mbps(t.compressMs),
    decompressMBps: mbps(t.decompressMs),
    compressVsNative: t.compressMs === undefined ? undefined : reference.compressMs! / t.compressMs,
    decompressVsNative: reference.decompressMs / t.decompressMs,
  }));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    rows: ROWS,
    buffers: buffers.length,
    rawBytes,
    frameBytes,
    level: LEVEL,
    rounds: ROUNDS,
    codecs: rows,
  };
  mkdirSync(join(repoRoot, "bench/results"), { recursive: true });
  writeFileSync(join(repoRoot, "bench/results/zstd-codecs.json"), JSON.stringify(result, null, 2) + "\n");
  const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "—" : n.toFixed(digits));
  const md = [
    `# ZSTD codecs: fluss-edge against native libzstd (${result.date})`,
    "",
    `The ${buffers.length} column buffers fluss-edge's writer compresses for ${ROWS.toLocaleString("en-US")} rows of ` +
      `bench/log-schema.json (batches of ${BATCH_ROWS.toLocaleString("en-US")} rows, about the writer's 2 MiB): ` +
      `${(rawBytes / 1e6).toFixed(1)} MB, ${(frameBytes / 1e6).toFixed(1)} MB at ZSTD level ${LEVEL}; best of ${ROUNDS}; ` +
      `one thread each; Node ${process.version}. Every decoder reads the same frames (written by the WebAssembly encoder).`,
    "",
    "| codec | compress MB/s | decompress MB/s | compress ÷ native | decompress ÷ native |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) => `| ${r.codec} | ${fmt(r.compressMBps)} | ${fmt(r.decompressMBps)} | ${fmt(r.compressVsNative, 2)} | ${fmt(r.decompressVsNative, 2)} |`,
    ),
    "",
  ].join("\n");
  writeFileSync(join(repoRoot, "bench/results/zstd-codecs.md"), md);
  process.stdout.write(md);
}

await main();
