import type { Data, DataType, Field } from "apache-arrow";
import { layoutOf, type FixedArrayConstructor } from "./arrow-layout.js";
import { columnData } from "./record-batch-of.js";
import { ArrowFormatError, type FieldNodeMeta } from "./arrow-message.js";

/**
 * Builds arrow-js `Data` for the fields of a RecordBatch from its field
 * nodes and body buffers, without copying: values are typed-array views of
 * the buffers. Only a buffer whose start is not aligned to its element size
 * in the underlying ArrayBuffer (typed arrays require that) is copied.
 * Every length is checked against the buffers, so inconsistent metadata
 * raises {@link ArrowFormatError} instead of producing bogus vectors.
 */
export class BodyReader {
  #node = 0;
  #buffer = 0;

  constructor(
    private readonly nodes: readonly FieldNodeMeta[],
    private readonly buffers: readonly Uint8Array[],
  ) {}

  /** Loads one top-level field (and its children), consuming its nodes and buffers in order. */
  readField(field: Field, path: string = field.name): Data {
    const node = this.nodes[this.#node++];
    if (node === undefined) throw new ArrowFormatError(`Arrow batch has no field node for column '${path}'`);
    const type = field.type as DataType;
    const layout = layoutOf(type);
    if (!layout) throw new ArrowFormatError(`column '${path}' has Arrow type ${String(type)} which Fluss does not use`);
    const { length, nullCount } = node;
    if (nullCount > length) throw new ArrowFormatError(`column '${path}': null count ${nullCount} exceeds length ${length}`);
    const validity = this.#next(path);
    let nullBitmap: Uint8Array | undefined;
    if (nullCount > 0) {
      if (validity.length < Math.ceil(length / 8)) throw new ArrowFormatError(`column '${path}': validity bitmap too short`);
      nullBitmap = validity;
    }
    switch (layout.kind) {
      // Data built as apache-arrow's makeData would (same buffers, same slots), without its
      // per-type visitor dispatch: see columnData.
      case "bits": {
        const values = this.#next(path);
        if (values.length < Math.ceil(length / 8)) throw new ArrowFormatError(`column '${path}': value bitmap too short`);
        return columnData(type, length, nullCount, nullBitmap, undefined, values);
      }
      case "fixed": {
        const values = typedView(layout.array, this.#next(path), length * layout.stride, path);
        return columnData(type, length, nullCount, nullBitmap, undefined, values);
      }
      case "varbytes": {
        const valueOffsets = this.#offsets(length, path);
        const bytes = this.#next(path);
        if (valueOffsets[length]! > bytes.length) throw new ArrowFormatError(`column '${path}': offsets run past the data`);
        return columnData(type, length, nullCount, nullBitmap, valueOffsets, bytes);
      }
      case "list": {
        const valueOffsets = this.#offsets(length, path);
        const childField = type.children[0];
        if (!childField) throw new ArrowFormatError(`column '${path}': nested type without child`);
        const child = this.readField(childField, `${path}.${childField.name}`);
        if (valueOffsets[length]! > child.length) throw new ArrowFormatError(`column '${path}': offsets run past the child values`);
        return columnData(type, length, nullCount, nullBitmap, valueOffsets, undefined, [child]);
      }
      case "struct": {
        const children = type.children.map((c: Field) => {
          const child = this.readField(c, `${path}.${c.name}`);
          if (child.length < length) throw new ArrowFormatError(`column '${path}.${c.name}' is shorter than its struct`);
          return child;
        });
        return columnData(type, length, nullCount, nullBitmap, undefined, undefined, children);
      }
    }
  }

  /** Checks that every node and buffer was consumed (the schema matched the batch). */
  finish(): void {
    if (this.#node !== this.nodes.length || this.#buffer !== this.buffers.length) {
      throw new ArrowFormatError(
        `Arrow batch has ${this.nodes.length} field nodes and ${this.buffers.length} buffers, ` +
          `the schema used ${this.#node} and ${this.#buffer}: the batch does not match the table schema`,
      );
    }
  }

  #next(path: string): Uint8Array {
    const buffer = this.buffers[this.#buffer++];
    if (buffer === undefined) throw new ArrowFormatError(`Arrow batch has too few buffers for column '${path}'`);
    return buffer;
  }

  #offsets(length: number, path: string): Int32Array {
    const buffer = this.#next(path);
    // An empty column may come without its one offset: Fluss's server writes the changelog of a
    // primary-key table that way for the strings of an empty ARRAY<STRING> (Arrow Java leaves the
    // offsets of an empty vector unallocated), and Arrow's C++ and Rust readers take it.
    if (length === 0 && buffer.length === 0) return new Int32Array(1);
    const offsets = typedView(Int32Array, buffer, length + 1, path);
    let previous = offsets[0]!;
    if (previous < 0) throw new ArrowFormatError(`column '${path}': negative offset`);
    for (let i = 1; i <= length; i++) {
      const current = offsets[i]!;
      if (current < previous) throw new ArrowFormatError(`column '${path}': offsets are not ascending`);
      previous = current;
    }
    return offsets;
  }
}

function typedView<T extends FixedArrayConstructor>(
  Ctor: T,
  bytes: Uint8Array,
  count: number,
  path: string,
): InstanceType<T> {
  const byteLength = count * Ctor.BYTES_PER_ELEMENT;
  if (bytes.length < byteLength) {
    throw new ArrowFormatError(`column '${path}': buffer of ${bytes.length} bytes is too short for ${count} values`);
  }
  if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) {
    return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, count) as InstanceType<T>;
  }
  // Typed arrays need aligned starts; a misaligned buffer (the batch sat at an odd offset of the response) is copied.
  // (Copy explicitly: on a Node Buffer, `slice` returns a view, not a copy.)
  const copy = new Uint8Array(byteLength);
  copy.set(bytes.subarray(0, byteLength));
  return new Ctor(copy.buffer, 0, count) as InstanceType<T>;
}
