/**
 * What the log and primary-key interop tests share on fluss-edge's side: reading a table's
 * records in the probes' shape, the rows pyfluss's row API can carry, and the key values that
 * exercise bucketing (tail bytes ≥ 0x80 among them).
 */
import { type DataType, EARLIEST_OFFSET, type FlussTable } from "@fluss-edge/client";
import { rowToProbeJson, type ProbeJson } from "../../packages/client/test/fixtures/probe-json.js";
import type { ProbeRecord } from "./peers.js";

type Columns = readonly { name: string; type: DataType }[];

/** Every record of buckets 0..n-1 read by fluss-edge, in the probes' shape, sorted by bucket then offset. */
export async function readWithEdge(table: FlussTable, expected: number, columns: Columns): Promise<ProbeRecord[]> {
  const scanner = table.newScan().createLogScanner();
  for (let b = 0; b < table.getTableInfo().numBuckets; b++) scanner.subscribe(b, EARLIEST_OFFSET);
  const out: ProbeRecord[] = [];
  const deadline = Date.now() + 30_000;
  while (out.length < expected && Date.now() < deadline) {
    const records = await scanner.poll(500);
    for (const bucket of records.buckets()) {
      for (const r of records.records(bucket)) {
        out.push({ bucket: bucket.bucketId, offset: r.offset, changeType: r.changeType, row: rowToProbeJson(r.row, columns) });
      }
    }
  }
  scanner.close();
  return out.sort((a, b) => a.bucket - b.bucket || a.offset - b.offset);
}

/** 9999-12-30T21:59:59Z: the last whole second pyfluss's poll() can turn into a datetime (jiff's range ends at 22:00). */
export const PYFLUSS_MAX_MILLIS = 253_402_207_199_000;

/**
 * The rows with every timestamp made carriable by all peers and paths:
 * - before 1970, no sub-millisecond part: the Java client's Arrow reader fails on those
 *   (TIMESTAMP(4-9)), and pyfluss's append() on a naive datetime there (sign of jiff's
 *   subsec_nanosecond);
 * - microseconds at most: pyfluss's row API goes through datetime.datetime;
 * - at most {@link PYFLUSS_MAX_MILLIS}.
 */
export function commonRows(rows: readonly ProbeJson[][], columns: Columns): ProbeJson[][] {
  const isTimestamp = columns.map((c) => c.type.typeRoot.startsWith("TIMESTAMP"));
  return rows.map((row) =>
    row.map((value, i) => {
      if (!isTimestamp[i] || value === null) return value;
      const ts = value as { millis: number; nanos: number };
      const millis = Math.min(ts.millis, PYFLUSS_MAX_MILLIS);
      return { millis, nanos: millis < 0 ? 0 : ts.nanos - (ts.nanos % 1000) };
    }),
  );
}

/** INT keys: edges, and values whose compacted tail holds a byte ≥ 0x80 (e.g. 200 is `c8 01`). */
export const KEY_INTS = [0, 1, -1, 7, 127, 128, 200, 255, 256, 1000, 65_535, -200, 2_147_483_647, -2_147_483_648];
/** STRING keys: empty, ASCII of lengths 1–4, and non-ASCII text of every UTF-8 length. */
export const KEY_STRINGS = ["", "a", "ab", "abc", "abcd", "é", "Zürich", "naïve", "ß", "中文", "日本語テキスト", "😀", "a😀", "façade-ÿ"];
