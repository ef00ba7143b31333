import type { DataType } from "../../metadata/data-types.js";
import type { Schema } from "../../metadata/schema.js";

type Estimate = (value: unknown) => number;

/** Offsets of a variable-length value (one int32 per value). */
const OFFSET_BYTES = 4;

/**
 * Estimates how many bytes a row takes in an uncompressed Arrow batch, as
 * the writer's batch sizing (`writer.batch-size`) and memory accounting
 * (`writer.buffer.memory-size`) need it. Cheap by design: fixed widths per
 * type, string lengths in UTF-16 units (exact for ASCII), nested values
 * walked. It runs after the row was validated, but never throws on odd
 * values anyway.
 */
export class RowSizeEstimator {
  readonly #names: readonly string[];
  readonly #estimates: readonly Estimate[];
  /** Per-batch overhead: Arrow metadata, the log batch header, buffer padding. */
  readonly batchOverhead: number;

  constructor(schema: Schema) {
    this.#names = schema.columns.map((c) => c.name);
    this.#estimates = schema.columns.map((c) => estimatorOf(c.type));
    this.batchOverhead = 256 + 64 * schema.columns.length;
  }

  /** The estimated bytes of `row` (an array in column order or an object keyed by column name). */
  estimate(row: Readonly<Record<string, unknown>> | readonly unknown[]): number {
    const estimates = this.#estimates;
    let total = 1; // validity bits, rounded up
    if (Array.isArray(row)) {
      for (let i = 0; i < estimates.length; i++) total += estimates[i]!(row[i]);
    } else {
      const record = row as Readonly<Record<string, unknown>>;
      for (let i = 0; i < estimates.length; i++) total += estimates[i]!(record[this.#names[i]!]);
    }
    return total;
  }
}

function fixed(width: number): Estimate {
  return () => width;
}

function estimatorOf(type: DataType): Estimate {
  switch (type.typeRoot) {
    case "BOOLEAN":
    case "TINYINT":
      return fixed(1);
    case "SMALLINT":
      return fixed(2);
    case "INTEGER":
    case "FLOAT":
    case "DATE":
      return fixed(4);
    case "BIGINT":
    case "DOUBLE":
    case "TIMESTAMP_WITHOUT_TIME_ZONE":
    case "TIMESTAMP_WITH_LOCAL_TIME_ZONE":
    case "TIME_WITHOUT_TIME_ZONE":
      return fixed(8);
    case "DECIMAL":
      return fixed(16);
    case "BINARY":
      return fixed(type.length);
    case "CHAR":
    case "STRING":
      return (v) => OFFSET_BYTES + (typeof v === "string" ? v.length : 0);
    case "BYTES":
      return (v) => OFFSET_BYTES + (v instanceof Uint8Array ? v.length : 0);
    case "ARRAY": {
      const element = estimatorOf(type.elementType);
      return (v) => {
        let total = OFFSET_BYTES;
        if (Array.isArray(v)) for (const e of v) total += 1 + element(e);
        return total;
      };
    }
    case "MAP": {
      const key = estimatorOf(type.keyType);
      const value = estimatorOf(type.valueType);
      return (v) => {
        let total = OFFSET_BYTES;
        const entries = v instanceof Map ? v.entries() : Array.isArray(v) ? v : v !== null && typeof v === "object" ? Object.entries(v) : [];
        for (const entry of entries as Iterable<unknown>) {
          if (Array.isArray(entry)) total += 2 + key(entry[0]) + value(entry[1]);
        }
        return total;
      };
    }
    case "ROW": {
      const fields = type.fields.map((f) => ({ name: f.name, estimate: estimatorOf(f.type) }));
      return (v) => {
        let total = 1;
        if (Array.isArray(v)) fields.forEach((f, i) => (total += f.estimate(v[i])));
        else if (v !== null && typeof v === "object") {
          const record = v as Record<string, unknown>;
          for (const f of fields) total += f.estimate(record[f.name]);
        } else for (const f of fields) total += f.estimate(null);
        return total;
      };
    }
  }
}
