/**
 * fluss-edge: an Apache Fluss client for browsers, edge runtimes and Node.
 *
 * This entry uses no Node built-ins. Direct TCP (`bootstrap.servers`) is
 * available from the Node entry (`@fluss-edge/client/node`, which the
 * package root resolves to under the `node` and `deno` conditions). Importing
 * it registers the browser ZSTD codec (Web Workers where there are some,
 * web/zstd-for-web.ts); the Node entry replaces it with its own.
 */
import { registerCodecProvider } from "./wire/records/compression/codec.js";

registerCodecProvider("ZSTD", async () => (await import("./web/zstd-for-web.js")).loadZstdForWeb());

export { FlussConnection, type ConnectionOptions } from "./api/connection.js";
export { FlussAdmin, type CreateDatabaseOptions, type DropDatabaseOptions } from "./api/admin.js";
export { FlussTable } from "./api/table.js";
export { TableScan } from "./api/table-scan.js";
export { TableAppend } from "./api/table-append.js";
export { AppendWriter } from "./api/append-writer.js";
export { BufferedWriter, type CloseOptions } from "./api/buffered-writer.js";
export { TableUpsert } from "./api/table-upsert.js";
export { TableLookup } from "./api/table-lookup.js";
export { Lookuper } from "./api/lookuper.js";
export { UpsertWriter } from "./api/upsert-writer.js";
export { WriteResult } from "./api/write-result.js";
export { LogScanner, type ScanBatch } from "./api/log-scanner.js";
export { ScanRecords, type ScanRecord, type ChangeTypeName } from "./api/scan-records.js";
export { FlussTimestamp, rowsToRecordBatch, type Row, type RowInput, type RowValue } from "./row/index.js";
export { Config, type ConfigProperties, type RawConfigValue } from "./config/index.js";
export { ErrorCode, type ErrorCodeName, errorCodeName, FlussError, type FlussErrorOptions } from "./errors/index.js";
export * from "./metadata/index.js";
export type { Endpoint, OutboundRequest, SessionOptions, Transport, TransportSession } from "./transport/transport.js";
export type { WebSocketConstructor, WebSocketLike } from "./transport/websocket-constructor.js";
export { WebSocketTransport, type WebSocketTransportOptions } from "./transport/websocket-transport.js";
export { configureCodecWorkers, type CodecWorkerSettings } from "./codec-workers/settings.js";
export { useZstdWasmModule } from "./wire/records/compression/zstd-wasm.js";
