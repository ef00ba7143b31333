/**
 * The request handling of the ingest function, free of any one platform: a
 * plain fetch handler (Request → Response) with its settings passed in.
 *
 *   POST /events   body: one JSON event or an array of them, keyed by column name
 *   → 200 {"written": n, "table": "db.table"} once every row is acknowledged by Fluss
 *   → 4xx/5xx {"error": …, "errorCode": …, "errorName": …} otherwise
 *
 * Events are checked against the table's schema before anything is sent:
 * one bad event fails the request with 400 and none of it is written. A
 * connection is opened per request: edge runtimes do not let one request use
 * another's sockets.
 */
import { Config, ErrorCode, FlussConnection, FlussError, rowsToRecordBatch, TablePath, type RowInput, type Schema } from "@fluss-edge/client";

/** An Arrow record batch, as the client builds and writes it. */
type RecordBatch = ReturnType<typeof rowsToRecordBatch>;

export interface IngestSettings {
  /** `wss://…/fluss` of the fluss-edge gateway. */
  gatewayUrl: string;
  /** Bearer token the gateway expects, if it expects one. */
  gatewayToken?: string;
  /** `database.table` of the log table the events go to. */
  table: string;
  /** Refuse bodies larger than this many bytes (default 1 MiB). */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Input the caller must fix: answered 400, with the FlussError (a CLIENT_ERROR) it carries. */
class InvalidRequest extends Error {
  constructor(readonly flussError: FlussError) {
    super(flussError.message);
  }
}

function invalid(message: string): InvalidRequest {
  return new InvalidRequest(FlussError.client(message));
}

export async function handleIngest(request: Request, settings: IngestSettings): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname !== "/events") return json(404, { error: `no route ${url.pathname}` });
  if (request.method !== "POST") return json(405, { error: "POST events to /events" }, { allow: "POST" });
  try {
    const events = await readEvents(request, settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const written = await writeEvents(events, settings);
    return json(200, { written, table: settings.table });
  } catch (error) {
    return errorResponse(error);
  }
}

async function readEvents(request: Request, maxBytes: number): Promise<RowInput[]> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw invalid(`the body is larger than ${maxBytes} bytes`);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBytes) throw invalid(`the body is larger than ${maxBytes} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalid("the body is not UTF-8 JSON");
  }
  const events = Array.isArray(body) ? body : [body];
  if (events.length === 0) throw invalid("no events in the body");
  events.forEach((event, i) => {
    if (event === null || typeof event !== "object" || Array.isArray(event)) throw invalid(`event ${i} is not a JSON object`);
  });
  return events as RowInput[];
}

async function writeEvents(events: readonly RowInput[], settings: IngestSettings): Promise<number> {
  const [database, table, ...rest] = settings.table.split(".");
  if (!database || !table || rest.length > 0) throw new Error(`FLUSS_TABLE must be "database.table", got "${settings.table}"`);
  const properties: Record<string, string> = { "gateway.url": settings.gatewayUrl };
  if (settings.gatewayToken) properties["gateway.token"] = settings.gatewayToken;
  const conn = await FlussConnection.create(new Config(properties));
  try {
    const fluss = await conn.getTable(new TablePath(database, table));
    // Every event is checked against the schema before anything is sent, so a bad one leaves the
    // table untouched. (JSON has no bigint: BIGINT columns take numbers that are safe integers.)
    const batch = checkedBatch(fluss.getTableInfo().getSchema(), events);
    const writer = fluss.newAppend().createWriter();
    try {
      await writer.writeArrowBatch(batch);
      await writer.flush();
    } finally {
      await writer.close({ timeoutMs: 0 }).catch(() => undefined);
    }
    return events.length;
  } finally {
    await conn.close();
  }
}

/** The events as one Arrow batch of the table's layout; a misfit fails naming the event and the column. */
function checkedBatch(schema: Schema, events: readonly RowInput[]): RecordBatch {
  let index = 0;
  function* counted(): Generator<RowInput> {
    for (; index < events.length; index++) yield events[index]!;
  }
  try {
    return rowsToRecordBatch(schema, counted());
  } catch (error) {
    throw invalid(`event ${index}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** HTTP status for a failure past the input checks: a missing table (404), or the gateway's / cluster's trouble (5xx). */
function statusOf(error: FlussError): number {
  switch (error.errorCode) {
    case ErrorCode.CLIENT_ERROR:
      // The input was fine, so this is about reaching the gateway or the cluster.
      return 502;
    case ErrorCode.DATABASE_NOT_EXIST:
    case ErrorCode.TABLE_NOT_EXIST:
      return 404;
    case ErrorCode.AUTHENTICATE_EXCEPTION:
    case ErrorCode.AUTHORIZATION_EXCEPTION:
      return 502;
    default:
      return error.isRetriable() ? 503 : 500;
  }
}

function errorResponse(error: unknown): Response {
  const [status, fluss] = error instanceof InvalidRequest ? [400, error.flussError] : error instanceof FlussError ? [statusOf(error), error] : [500, undefined];
  if (fluss) return json(status, { error: fluss.message, errorCode: fluss.errorCode, errorName: fluss.errorCodeName });
  return json(500, { error: error instanceof Error ? error.message : String(error) });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
