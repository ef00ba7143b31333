/**
 * Page-side probes of the codec Web Workers: counts the workers the client
 * starts and the jobs it sends them (by wrapping the page's `Worker` before
 * the client first opens a ZSTD table), and a write-then-scan big enough for
 * its column buffers to go to the workers.
 */
import { Config, DataTypes, EARLIEST_OFFSET, FlussConnection, type FlussTable, Schema, TableDescriptor, TablePath } from "@fluss-edge/client";
import { createTableReady } from "../../support/table-ready.js";
import { connectionSettings } from "../scenarios.js";

export interface CodecWorkerStats {
  /** Workers the client constructed. */
  started: number;
  /** Workers that answered (came up and ran jobs). */
  answered: number;
  /** Compress / decompress jobs sent to the workers. */
  compressJobs: number;
  decompressJobs: number;
  /** Jobs whose input came through a shared inbox (no `input` of its own). */
  sharedInputJobs: number;
  crossOriginIsolated: boolean;
}

const stats: CodecWorkerStats = { started: 0, answered: 0, compressJobs: 0, decompressJobs: 0, sharedInputJobs: 0, crossOriginIsolated: globalThis.crossOriginIsolated };

interface JobShape {
  op?: string;
  input?: unknown;
}

/** Wraps `Worker` so that the probes see what the client does with it (call before any table opens). */
export function watchCodecWorkers(): void {
  const Original = globalThis.Worker;
  globalThis.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      stats.started++;
      let answered = false;
      this.addEventListener("message", () => {
        if (!answered) stats.answered++;
        answered = true;
      });
    }
    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      for (const job of (message as { jobs?: JobShape[] }).jobs ?? []) {
        if (job.op === "compress") stats.compressJobs++;
        if (job.op === "decompress") stats.decompressJobs++;
        if (job.input === undefined) stats.sharedInputJobs++;
      }
      super.postMessage(message, transfer as Transferable[]);
    }
  };
}

export function codecWorkerStats(): CodecWorkerStats {
  return { ...stats };
}

/** What bigScan reports: enough to tell every row came back intact. */
export interface BigScanResult {
  written: number;
  read: number;
  idSum: string;
  textBytes: number;
  firstText: string;
  lastText: string;
}

/** A ZSTD log table of `rows` rows of ~100 bytes each (several batches, columns of 100s of KiB), written and scanned as Arrow. */
export async function bigScan(target: string, database: string, rows: number): Promise<BigScanResult> {
  const conn = await FlussConnection.create(new Config({ ...connectionSettings(target), "writer.batch-size": "1mb" }));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { ignoreIfExists: true });
    const path = new TablePath(database, "big_zstd");
    const schema = new Schema([
      { name: "id", type: DataTypes.bigint() },
      { name: "text", type: DataTypes.string() },
    ]);
    await createTableReady(admin, path, new TableDescriptor(schema, { bucketCount: 1, properties: { "table.log.arrow.compression.type": "ZSTD" } }));
    const table = await conn.getTable(path);
    const writer = table.newAppend().createWriter();
    for (let i = 0; i < rows; i++) {
      await writer.ready();
      writer.append([BigInt(i) * 7n, bigScanText(i)]);
    }
    await writer.close();
    const scanner = table.newScan().createRecordBatchLogScanner();
    scanner.subscribe(0, EARLIEST_OFFSET);
    let read = 0;
    let idSum = 0n;
    let textBytes = 0;
    let firstText = "";
    let lastText = "";
    const deadline = Date.now() + 30_000;
    while (read < rows && Date.now() < deadline) {
      const arrow = await scanner.pollArrow(1000);
      const ids = arrow.getChild("id");
      const texts = arrow.getChild("text");
      for (let r = 0; r < arrow.numRows; r++) {
        idSum += ids!.get(r) as bigint;
        const text = texts!.get(r) as string;
        textBytes += text.length;
        if (read + r === 0) firstText = text;
        lastText = text;
      }
      read += arrow.numRows;
    }
    scanner.close();
    return { written: rows, read, idSum: idSum.toString(), textBytes, firstText, lastText };
  } finally {
    await conn.close();
  }
}

/** What bigScan must report for `rows` rows. */
export function expectedBigScan(rows: number): BigScanResult {
  let idSum = 0n;
  let textBytes = 0;
  for (let i = 0; i < rows; i++) {
    idSum += BigInt(i) * 7n;
    textBytes += bigScanText(i).length;
  }
  return { written: rows, read: rows, idSum: idSum.toString(), textBytes, firstText: bigScanText(0), lastText: bigScanText(rows - 1) };
}

/** Row i's text: varied enough that ZSTD has work to do, the same in the test's expectations. */
export function bigScanText(i: number): string {
  return `row ${i} ${(i * 2654435761) >>> 0} ${"abcdefghij".repeat(1 + (i % 9))}`;
}

/** What timedArrowScan reports: rows read and the scan's wall time. */
export interface TimedScan {
  read: number;
  ms: number;
}

/** What scanArrowTable reports: the scan, and how long the page's thread was blocked (long tasks, ≥ 50 ms each). */
export interface ArrowScanTiming extends TimedScan {
  longTasks: number;
  longestTaskMs: number;
  longTaskMs: number;
}

/**
 * Scans every bucket of an existing table from the start as Arrow record
 * batches (`pollRecordBatch`, as bench/edge-log-bench.ts does in Node), doing
 * nothing with the rows: the client's share of a dashboard's load. Timed
 * from the scanner's creation; `getTable` (which starts the codec workers)
 * comes before the clock. Runs on a page or in a worker.
 */
export function timedArrowScan(gatewayUrl: string, database: string, tableName: string, rows: number): Promise<TimedScan> {
  return withTable(gatewayUrl, database, tableName, (table) => scanEveryBucket(table, rows));
}

/** {@link timedArrowScan} on the page, with the long tasks its thread had during the scan. */
export function scanArrowTable(gatewayUrl: string, database: string, tableName: string, rows: number): Promise<ArrowScanTiming> {
  return withTable(gatewayUrl, database, tableName, (table) => withLongTasks(() => scanEveryBucket(table, rows)));
}

/** Opens a table through the gateway (codec workers start here), runs `use`, closes the connection. */
async function withTable<T>(gatewayUrl: string, database: string, tableName: string, use: (table: FlussTable) => Promise<T>): Promise<T> {
  const conn = await FlussConnection.create(new Config({ "gateway.url": gatewayUrl }));
  try {
    return await use(await conn.getTable(new TablePath(database, tableName)));
  } finally {
    await conn.close();
  }
}

/** Runs `work` while recording the long tasks of this page's thread. */
export async function withLongTasks<T>(work: () => Promise<T>): Promise<T & { longTasks: number; longestTaskMs: number; longTaskMs: number }> {
  const tasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  });
  observer.observe({ type: "longtask" });
  try {
    const result = await work();
    // Long-task entries arrive after their task ends.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { ...result, longTasks: tasks.length, longestTaskMs: Math.round(Math.max(0, ...tasks)), longTaskMs: Math.round(tasks.reduce((a, b) => a + b, 0)) };
  } finally {
    observer.disconnect();
  }
}

async function scanEveryBucket(table: FlussTable, rows: number): Promise<TimedScan> {
  const start = performance.now();
  const scanner = table.newScan().createRecordBatchLogScanner();
  for (let bucket = 0; bucket < table.getTableInfo().numBuckets; bucket++) scanner.subscribe(bucket, EARLIEST_OFFSET);
  let read = 0;
  const deadline = Date.now() + 60_000;
  while (read < rows && Date.now() < deadline) for (const { batch } of await scanner.pollRecordBatch(1000)) read += batch.numRows;
  const ms = performance.now() - start;
  scanner.close();
  return { read, ms: Math.round(ms) };
}
