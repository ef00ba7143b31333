import { FlussError } from "../../errors/index.js";
import { readUtf8 } from "./utf8.js";

/**
 * A bounds-checked little-endian cursor over a byte range, for decoding Fluss rows.
 * Malformed input (a length past the end, an over-long varint) raises a CLIENT_ERROR
 * FlussError instead of a RangeError or a silently wrong value.
 */
export class ByteInput {
  bytes: Uint8Array;
  view: DataView;
  position: number;
  /** Exclusive end of the readable range. */
  limit: number;

  constructor(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = offset;
    this.limit = offset + length;
    if (offset < 0 || length < 0 || this.limit > bytes.length) {
      throw FlussError.client(`Row range [${offset}, ${offset + length}) is outside the ${bytes.length}-byte buffer.`);
    }
  }

  /** Fails unless `n` more bytes are readable. */
  need(n: number): void {
    if (n < 0 || this.position + n > this.limit) {
      throw FlussError.client(
        `Malformed row: needs ${n} byte(s) at offset ${this.position} but only ${this.limit - this.position} remain.`,
      );
    }
  }

  readUint8(): number {
    this.need(1);
    return this.bytes[this.position++]!;
  }

  readInt8(): number {
    return (this.readUint8() << 24) >> 24;
  }

  readInt16LE(): number {
    this.need(2);
    const v = this.view.getInt16(this.position, true);
    this.position += 2;
    return v;
  }

  readInt32LE(): number {
    this.need(4);
    const v = this.view.getInt32(this.position, true);
    this.position += 4;
    return v;
  }

  readInt64LE(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.position, true);
    this.position += 8;
    return v;
  }

  readFloat32LE(): number {
    this.need(4);
    const v = this.view.getFloat32(this.position, true);
    this.position += 4;
    return v;
  }

  readFloat64LE(): number {
    this.need(8);
    const v = this.view.getFloat64(this.position, true);
    this.position += 8;
    return v;
  }

  /** A Fluss varint int (LEB128, at most 5 bytes), as int32. */
  readVarInt32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.readUint8();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result | 0;
    }
    throw FlussError.client(`Malformed row: varint int longer than 5 bytes before offset ${this.position}.`);
  }

  /** A Fluss varint int that must be a non-negative length. */
  readLength(): number {
    const n = this.readVarInt32();
    if (n < 0) throw FlussError.client(`Malformed row: negative length ${n} before offset ${this.position}.`);
    return n;
  }

  /** A Fluss varint long (LEB128, at most 10 bytes), as int64 bigint. */
  readVarInt64(): bigint {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.readUint8();
      const bits = b & 0x7f;
      const shift = i * 7;
      if (shift < 32) {
        lo |= bits << shift;
        if (shift > 25) hi |= bits >>> (32 - shift);
      } else {
        hi |= bits << (shift - 32);
      }
      if ((b & 0x80) === 0) {
        return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
      }
    }
    throw FlussError.client(`Malformed row: varint long longer than 10 bytes before offset ${this.position}.`);
  }

  /** `n` bytes as a view (no copy) of the underlying buffer. */
  readView(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.position, this.position + n);
    this.position += n;
    return v;
  }

  /** `n` bytes as a fresh copy. */
  readCopy(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.slice(this.position, this.position + n);
    this.position += n;
    return v;
  }

  /** `n` UTF-8 bytes as a string. */
  readUtf8(n: number): string {
    this.need(n);
    const s = readUtf8(this.bytes, this.position, this.position + n);
    this.position += n;
    return s;
  }
}
