import { makeData, RecordBatch, Struct, type Data, type Schema as ArrowSchema } from "apache-arrow";

/**
 * `new RecordBatch(schema, data)` for children the decoder has already
 * checked: every column as long as the batch and typed as its field.
 *
 * apache-arrow's constructor re-derives both (`ensureSameLengthData`: copies
 * the fields, builds a new Schema through `assign` with its metadata merged,
 * and a second struct Data), generic code that V8 then compiles with its
 * optimizing compiler during the first scan of a process: measured with
 * `--trace-opt` on the log benchmark's scan, `getVisitFnByTypeId`,
 * `ensureSameLengthData`, `clone`, `mergeMaps` and the like took 190 of the
 * 348 ms of compile jobs on V8's helper threads. Built here directly instead:
 * a RecordBatch whose own properties are those the constructor sets, with
 * the table's schema object shared by every batch.
 *
 * Guarded: on first use one batch is built both ways and the shortcut is
 * kept only if apache-arrow's constructor sets exactly the properties
 * expected here (a later version that adds or renames one falls back to the
 * constructor, never to a half-built batch).
 */
export function recordBatchOf(schema: ArrowSchema, data: Data<Struct>): RecordBatch {
  return (shortcutUsable ??= checkShortcut()) ? shortcut(schema, data) : new RecordBatch(schema, data);
}

/** The own properties apache-arrow 21's constructor gives a RecordBatch, in order. */
const EXPECTED_OWN_PROPERTIES = ["schema", "data", "_metadata"];

let shortcutUsable: boolean | undefined;

function shortcut(schema: ArrowSchema, data: Data<Struct>): RecordBatch {
  const batch = Object.create(RecordBatch.prototype) as RecordBatch & { _metadata: Map<string, string> };
  // Assigned in the constructor's order, so that batches share one object shape.
  (batch as { schema: ArrowSchema }).schema = schema;
  (batch as { data: Data<Struct> }).data = data;
  batch._metadata = new Map();
  return batch;
}

function checkShortcut(): boolean {
  try {
    const probe = makeData({ type: new Struct([]), length: 0, nullCount: 0, children: [] });
    const schemaOfProbe = new RecordBatch({}).schema;
    const built = new RecordBatch(schemaOfProbe, probe);
    const own = Object.keys(built);
    const fast = shortcut(schemaOfProbe, probe);
    return (
      own.length === EXPECTED_OWN_PROPERTIES.length &&
      own.every((key, i) => key === EXPECTED_OWN_PROPERTIES[i]) &&
      RecordBatch.isRecordBatch(fast) &&
      fast.numRows === built.numRows &&
      fast.numCols === built.numCols
    );
  } catch {
    return false;
  }
}
