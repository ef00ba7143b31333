import { Data, makeData, RecordBatch, Struct, type DataType, type Schema as ArrowSchema } from "apache-arrow";

/**
 * `new Data` with the buffers in the slots apache-arrow's `makeData` puts
 * them in ([offsets, values, validity]; no validity = an empty bitmap), for
 * buffers already typed as the type's own arrays (arrow-layout.ts). makeData's
 * visitor picks the same constructor call by type id; on every batch's every
 * column that dispatch was among the code V8 compiled during a first scan
 * (`getVisitFnByTypeId`, `--trace-opt`).
 */
export function columnData(
  type: DataType,
  length: number,
  nullCount: number,
  nullBitmap: Uint8Array | undefined,
  valueOffsets: Int32Array | undefined,
  values: ArrayBufferView | undefined,
  children: Data[] = [],
): Data {
  return new Data(type, 0, length, nullCount, [valueOffsets, values, nullBitmap ?? new Uint8Array(0)] as never, children);
}

/**
 * `new RecordBatch(schema, makeData({ type: new Struct(schema.fields), … }))`
 * for columns already checked: each as long as the batch and typed as its
 * field (the decoder's, and the projection's reordering of them).
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
export function recordBatchOf(schema: ArrowSchema, children: Data[], length: number): RecordBatch {
  const data = columnData(new Struct(schema.fields), length, 0, undefined, undefined, undefined, children) as Data<Struct>;
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
