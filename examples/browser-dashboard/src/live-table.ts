/**
 * Follows a Fluss log table from the browser: opens it through the gateway,
 * subscribes to every bucket (from the earliest or the latest offsets) and
 * reads Arrow record batches as they arrive, keeping only what the page
 * shows: counts, a per-second rate and the latest rows. Partitioned tables
 * are left out of this example (they need one subscription per partition).
 */
import { Config, EARLIEST_OFFSET, FlussConnection, FlussError, OffsetSpec, TablePath, type LogScanner, type ScanBatch } from "@fluss-edge/client";
import { loadZstdModule } from "./zstd-module.js";

export interface LiveTableTarget {
  gatewayUrl: string;
  database: string;
  table: string;
  from: "earliest" | "latest";
}

/** What the page draws after each poll. */
export interface LiveTableView {
  columns: readonly string[];
  rowsRead: number;
  /** Rows per second over the last {@link RATE_WINDOW_SECONDS}. */
  rowsPerSecond: number;
  /** Rows read in each of the last {@link HISTORY_SECONDS} seconds, oldest first. */
  history: readonly number[];
  latestOffset: number | undefined;
  /** The newest rows, newest first, as column values. */
  latestRows: readonly (readonly unknown[])[];
}

const POLL_TIMEOUT_MS = 500;
const LATEST_ROWS = 20;
const RATE_WINDOW_SECONDS = 5;
export const HISTORY_SECONDS = 60;

export class LiveTable {
  readonly #conn: FlussConnection;
  readonly #scanner: LogScanner;
  readonly #columns: readonly string[];
  readonly #onView: (view: LiveTableView) => void;
  readonly #onError: (error: FlussError) => void;
  #stopped = false;
  #rowsRead = 0;
  #latestOffset: number | undefined;
  #latestRows: (readonly unknown[])[] = [];
  /** Rows per wall-clock second, keyed by the second. */
  readonly #perSecond = new Map<number, number>();
  readonly #done: Promise<void>;

  private constructor(conn: FlussConnection, scanner: LogScanner, columns: readonly string[], onView: (view: LiveTableView) => void, onError: (error: FlussError) => void) {
    this.#conn = conn;
    this.#scanner = scanner;
    this.#columns = columns;
    this.#onView = onView;
    this.#onError = onError;
    this.#done = this.#follow();
  }

  /** Connects and starts following; rejects with a FlussError if the table cannot be opened. */
  static async open(target: LiveTableTarget, onView: (view: LiveTableView) => void, onError: (error: FlussError) => void): Promise<LiveTable> {
    const [conn] = await Promise.all([FlussConnection.create(new Config({ "gateway.url": target.gatewayUrl })), loadZstdModule()]);
    try {
      const path = new TablePath(target.database, target.table);
      const table = await conn.getTable(path);
      const info = table.getTableInfo();
      if (info.getPartitionKeys().length > 0) throw FlussError.client(`${path} is partitioned; this dashboard follows unpartitioned log tables`);
      const scanner = table.newScan().createRecordBatchLogScanner();
      const buckets = Array.from({ length: info.numBuckets }, (_, bucket) => bucket);
      const start =
        target.from === "earliest"
          ? new Map(buckets.map((bucket) => [bucket, EARLIEST_OFFSET]))
          : await conn.getAdmin().listOffsets(path, buckets, OffsetSpec.latest());
      scanner.subscribeBuckets(start);
      return new LiveTable(conn, scanner, info.getSchema().columns.map((column) => column.name), onView, onError);
    } catch (error) {
      await conn.close();
      throw error;
    }
  }

  /** Stops following and closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#scanner.close();
    await this.#done;
    await this.#conn.close();
  }

  async #follow(): Promise<void> {
    try {
      while (!this.#stopped) {
        const batches = await this.#scanner.pollRecordBatch(POLL_TIMEOUT_MS);
        for (const batch of batches) this.#take(batch);
        this.#onView(this.#view());
      }
    } catch (error) {
      if (this.#stopped) return;
      this.#onError(error instanceof FlussError ? error : FlussError.client(String(error)));
    }
  }

  #take({ batch, lastOffset }: ScanBatch): void {
    const rows = batch.numRows;
    if (rows === 0) return;
    this.#rowsRead += rows;
    this.#latestOffset = Math.max(this.#latestOffset ?? -1, lastOffset);
    const second = Math.floor(Date.now() / 1000);
    this.#perSecond.set(second, (this.#perSecond.get(second) ?? 0) + rows);
    // Only the newest rows become JS values; the rest of the batch stays in Arrow memory.
    const vectors = this.#columns.map((name) => batch.getChild(name));
    for (let row = Math.max(0, rows - LATEST_ROWS); row < rows; row++) {
      this.#latestRows.unshift(vectors.map((vector) => vector?.get(row)));
    }
    this.#latestRows.length = Math.min(this.#latestRows.length, LATEST_ROWS);
  }

  #view(): LiveTableView {
    const now = Math.floor(Date.now() / 1000);
    for (const second of this.#perSecond.keys()) if (second <= now - HISTORY_SECONDS) this.#perSecond.delete(second);
    const history = Array.from({ length: HISTORY_SECONDS }, (_, i) => this.#perSecond.get(now - HISTORY_SECONDS + 1 + i) ?? 0);
    const recent = history.slice(-RATE_WINDOW_SECONDS).reduce((sum, n) => sum + n, 0);
    return {
      columns: this.#columns,
      rowsRead: this.#rowsRead,
      rowsPerSecond: Math.round(recent / RATE_WINDOW_SECONDS),
      history,
      latestOffset: this.#latestOffset,
      latestRows: this.#latestRows,
    };
  }
}
