import type { Data, DataType, Field } from "apache-arrow";
import { FlussError } from "../../errors/index.js";
import { layoutOf } from "./arrow-layout.js";
import type { FieldNodeMeta } from "./arrow-message.js";

/**
 * Collects the field nodes and body buffers of arrow-js `Data` in IPC order,
 * with the exact (unpadded) sizes Arrow Java writes. Like Arrow Java, it
 * always writes a validity bitmap (all ones when nothing is null). Buffers
 * are views of the Data's arrays where possible; a slice that starts inside
 * a byte of a bitmap, or offsets that do not start at 0, are rebased into
 * new arrays.
 *
 * arrow-js addresses a sliced `Data` two ways: bitmaps (validity, BOOLEAN
 * values) are shared with the parent and indexed from bit `data.offset`,
 * while fixed-width values and value offsets are already cut to start at the
 * slice (`Data.slice` takes a `subarray`). So bitmaps use `data.offset +
 * start`, and values and offsets use `start` alone.
 */
export class BodyWriter {
  readonly nodes: FieldNodeMeta[] = [];
  readonly buffers: Uint8Array[] = [];

  /** Appends one field's node(s) and buffers for `length` rows from row `start` (relative to `data.offset`). */
  writeField(field: Field, data: Data, start = 0, length = data.length, path: string = field.name): void {
    const type = data.type as DataType;
    const layout = layoutOf(type);
    if (!layout) throw FlussError.client(`column '${path}' has Arrow type ${String(type)} which Fluss does not support`);
    const abs = data.offset + start;
    const nullCount = start === 0 && length === data.length ? data.nullCount : countNulls(data, abs, length);
    this.nodes.push({ length, nullCount });
    this.buffers.push(validityOf(data, abs, length, nullCount));
    switch (layout.kind) {
      case "bits":
        this.buffers.push(bitsWindow(data.values as Uint8Array, abs, length));
        return;
      case "fixed": {
        const values = data.values as ArrayBufferView & { BYTES_PER_ELEMENT: number };
        const elemBytes = values.BYTES_PER_ELEMENT;
        const from = start * layout.stride * elemBytes;
        this.buffers.push(new Uint8Array(values.buffer, values.byteOffset + from, length * layout.width));
        return;
      }
      case "varbytes": {
        const { offsets, first, last } = rebasedOffsets(data.valueOffsets as Int32Array, start, length);
        this.buffers.push(bytesOf(offsets));
        const values = data.values as Uint8Array;
        this.buffers.push(values.subarray(first, last));
        return;
      }
      case "list": {
        const { offsets, first, last } = rebasedOffsets(data.valueOffsets as Int32Array, start, length);
        this.buffers.push(bytesOf(offsets));
        const childField = type.children[0] as Field;
        const child = data.children[0];
        if (!child) throw FlussError.client(`column '${path}' has no child data`);
        this.writeField(childField, child, first, last - first, `${path}.${childField.name}`);
        return;
      }
      case "struct":
        type.children.forEach((childField: Field, i: number) => {
          const child = data.children[i];
          if (!child) throw FlussError.client(`column '${path}' has no data for member '${childField.name}'`);
          this.writeField(childField, child, start, length, `${path}.${childField.name}`);
        });
        return;
    }
  }
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function isValid(bitmap: Uint8Array, i: number): boolean {
  return (bitmap[i >> 3]! & (1 << (i & 7))) !== 0;
}

function countNulls(data: Data, abs: number, length: number): number {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return 0;
  let nulls = 0;
  for (let i = abs; i < abs + length; i++) if (!isValid(bitmap, i)) nulls++;
  return nulls;
}

function validityOf(data: Data, abs: number, length: number, nullCount: number): Uint8Array {
  const bytes = Math.ceil(length / 8);
  const bitmap = data.nullBitmap;
  if (nullCount === 0 || !bitmap || bitmap.length === 0) {
    const ones = new Uint8Array(bytes).fill(0xff);
    if (length & 7) ones[bytes - 1] = (1 << (length & 7)) - 1;
    return ones;
  }
  return bitsWindow(bitmap, abs, length);
}

/** Bits [abs, abs + length) of a bitmap as a bitmap starting at bit 0 (a view when byte-aligned). */
function bitsWindow(bitmap: Uint8Array, abs: number, length: number): Uint8Array {
  const bytes = Math.ceil(length / 8);
  if ((abs & 7) === 0) return bitmap.subarray(abs >> 3, (abs >> 3) + bytes);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < length; i++) if (isValid(bitmap, abs + i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

function rebasedOffsets(valueOffsets: Int32Array, start: number, length: number): { offsets: Int32Array; first: number; last: number } {
  const window = valueOffsets.subarray(start, start + length + 1);
  const first = window[0] ?? 0;
  const last = window[length] ?? first;
  if (first === 0) return { offsets: window, first, last };
  const offsets = new Int32Array(length + 1);
  for (let i = 0; i <= length; i++) offsets[i] = window[i]! - first;
  return { offsets, first, last };
}
