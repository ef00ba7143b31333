import { FlussError } from "../../errors/index.js";
import { utf8Length, writeUtf8 } from "./utf8.js";

const TWO_POW_32 = 4294967296;

/**
 * A growable little-endian output buffer, reused across rows so that encoding a row does
 * not allocate (the buffer only grows, doubling, until it fits the largest row).
 *
 * Fluss writes every multi-byte field of its row formats little-endian (`MemorySegment` /
 * `UnsafeUtils` on little-endian hosts) and its varints as unsigned LEB128 of the int32 /
 * int64 bit pattern (no zigzag), which is what the methods here do.
 *
 * {@link bytes} is the live backing array: views of it (`subarray`) stay valid only until the
 * next write that grows the buffer or the next {@link reset}.
 */
export class ByteOutput {
  #buf: Uint8Array;
  #view: DataView;
  /** Number of bytes written so far (the next write goes here). */
  position = 0;

  constructor(initialCapacity = 64) {
    this.#buf = new Uint8Array(Math.max(8, initialCapacity));
    this.#view = new DataView(this.#buf.buffer);
  }

  /** The backing array (valid until the buffer grows). */
  get bytes(): Uint8Array {
    return this.#buf;
  }

  /** A DataView over {@link bytes} (valid until the buffer grows). */
  get view(): DataView {
    return this.#view;
  }

  /** Moves the write position back (default: to 0); earlier bytes are kept, not cleared. */
  reset(position = 0): void {
    this.position = position;
  }

  /** Makes room for `n` more bytes after {@link position}. */
  ensure(n: number): void {
    const need = this.position + n;
    if (need <= this.#buf.length) return;
    if (need > 0x7fffffff) throw FlussError.client(`A row or key larger than 2 GiB cannot be encoded (${need} bytes).`);
    let cap = this.#buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, 0x7fffffff));
    next.set(this.#buf.subarray(0, this.position));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Appends `n` zero bytes and returns where they start. */
  skipZeroed(n: number): number {
    this.ensure(n);
    const at = this.position;
    this.#buf.fill(0, at, at + n);
    this.position = at + n;
    return at;
  }

  writeByte(v: number): void {
    this.ensure(1);
    this.#buf[this.position++] = v;
  }

  writeBytes(src: Uint8Array, offset = 0, length: number = src.length - offset): void {
    this.ensure(length);
    this.#buf.set(offset === 0 && length === src.length ? src : src.subarray(offset, offset + length), this.position);
    this.position += length;
  }

  writeInt16LE(v: number): void {
    this.ensure(2);
    this.#view.setInt16(this.position, v, true);
    this.position += 2;
  }

  writeInt32LE(v: number): void {
    this.ensure(4);
    this.#view.setInt32(this.position, v, true);
    this.position += 4;
  }

  /** An int64 given as its two uint32 halves. */
  writeInt64PartsLE(lo: number, hi: number): void {
    this.ensure(8);
    this.#view.setUint32(this.position, lo, true);
    this.#view.setUint32(this.position + 4, hi, true);
    this.position += 8;
  }

  writeFloat32LE(v: number): void {
    this.ensure(4);
    this.#view.setFloat32(this.position, v, true);
    this.position += 4;
  }

  writeFloat64LE(v: number): void {
    this.ensure(8);
    this.#view.setFloat64(this.position, v, true);
    this.position += 8;
  }

  /** Unsigned LEB128 of the int32 bit pattern (Fluss `writeInt`): 1–5 bytes, negatives take 5. */
  writeVarInt32(v: number): void {
    this.ensure(5);
    let x = v >>> 0;
    const buf = this.#buf;
    let p = this.position;
    while (x > 0x7f) {
      buf[p++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    buf[p++] = x;
    this.position = p;
  }

  /** Unsigned LEB128 of an int64 bit pattern given as uint32 halves (Fluss `writeLong`): 1–10 bytes. */
  writeVarInt64Parts(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.#buf;
    let p = this.position;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.position = p;
  }

  /**
   * UTF-8 of `s` exactly as Java's `String.getBytes(UTF_8)` / Fluss `BinaryString.fromString`
   * (an unpaired surrogate becomes `?`). Returns the number of bytes written.
   */
  writeUtf8(s: string, byteLength: number = utf8Length(s)): number {
    this.ensure(byteLength);
    this.position = writeUtf8(s, this.#buf, this.position);
    return byteLength;
  }

  /** A copy of bytes `[start, end)`. */
  copy(start = 0, end: number = this.position): Uint8Array {
    return this.#buf.slice(start, end);
  }
}

/** Splits an int64 (bigint, or a safe-integer number) into its two uint32 halves. */
export function int64Parts(v: bigint | number, out: Int64Parts): Int64Parts {
  if (typeof v === "number") {
    const hi = Math.floor(v / TWO_POW_32);
    out.lo = (v - hi * TWO_POW_32) >>> 0;
    out.hi = hi >>> 0;
  } else {
    out.lo = Number(BigInt.asUintN(32, v));
    out.hi = Number(BigInt.asUintN(32, v >> 32n));
  }
  return out;
}

/** Scratch holder for {@link int64Parts} (reuse one to avoid allocating). */
export interface Int64Parts {
  lo: number;
  hi: number;
}
