/**
 * A table's log batches as the server stores them, fetched raw (FetchLog, no client-side
 * decoding first) and then decoded: for tests that must see how a batch was written (its Arrow
 * buffers compressed or stored raw), not only what it holds.
 */
import type { ClusterClient } from "../../packages/client/src/client/cluster-client.js";
import { LogFetcher } from "../../packages/client/src/client/scan/log-fetcher.js";
import { Projection } from "../../packages/client/src/client/scan/projection.js";
import { EARLIEST_OFFSET, TableBucket } from "../../packages/client/src/metadata/index.js";
import type { TableInfo } from "../../packages/client/src/node.js";
import { arrowStorageOf } from "../../packages/client/test/unit/write/helpers.js";

/** One stored batch: how its Arrow buffers are kept, and its rows decoded. */
export interface RawLogBatch {
  storage: ReturnType<typeof arrowStorageOf>;
  records: Awaited<ReturnType<LogFetcher["decode"]>>["records"];
}

/**
 * Every batch of bucket 0 from the earliest offset until `rows` rows have come, raw; with
 * `columns`, through the server's projection of those columns (CRCs are then not checked: the
 * server rewrites projected batches).
 */
export async function fetchRawLogBatches(cluster: ClusterClient, info: TableInfo, rows: number, columns: number[] | null = null): Promise<RawLogBatch[]> {
  const projection = columns === null ? new Projection(info.schema) : new Projection(info.schema, columns);
  const fetcher = new LogFetcher(cluster, info, projection, { maxBytes: 8 << 20, maxBytesForBucket: 8 << 20, minBytes: 1, maxWaitMs: 500, checkCrc: columns === null });
  fetcher.subscribe(new TableBucket(info.tableId, 0), EARLIEST_OFFSET);
  const batches: RawLogBatch[] = [];
  let fetchedRows = 0;
  for (let round = 0; round < 20 && fetchedRows < rows; round++) {
    const fetched = await fetcher.fetchRaw(500);
    if (fetched.failure) throw new Error(`FetchLog failed: ${String(fetched.failure)}`);
    for (const raw of fetched.batches) {
      const decoded = await fetcher.decode(raw);
      fetchedRows += decoded.records.numRows;
      batches.push({ storage: arrowStorageOf(raw.log.payload), records: decoded.records });
    }
  }
  return batches;
}
