import { FlussError } from "../errors/index.js";
import { LENGTH_PREFIX_BYTES } from "./frame.js";

/** Default ceiling for one inbound frame; the server's own request limit is 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 128 * 1024 * 1024;

/**
 * Cuts a byte stream into frame payloads (length prefix stripped).
 *
 * Chunks may split a frame anywhere or hold several frames. A frame that sits
 * wholly inside one chunk is returned as a view of that chunk (no copy); only
 * frames spread over chunks are assembled, into a buffer allocated once the
 * declared length has been checked against `maxFrameBytes`. After the first
 * malformed length the decoder stays failed: a byte stream cannot be
 * resynchronised, so the connection must be dropped.
 */
export interface FrameDecoderOptions {
  /**
   * Copy every frame out of the chunks into a buffer of its own (default: a
   * frame that lies inside one chunk is a view of it, and only frames spread
   * over chunks are assembled). For chunks whose memory is reused once `push`
   * returns (reads into one buffer), and for an owner that writes in front of
   * its frames (the gateway's envelope head).
   */
  copy?: {
    /** Spare bytes before each frame in its buffer (default 0). */
    headroom?: number;
    /** Where the buffers come from (default: new ones); may hand out larger ones, e.g. from a pool. */
    allocate?: (bytes: number) => ArrayBuffer;
  };
}

export class FrameDecoder {
  readonly #maxFrameBytes: number;
  /** Bytes of a length prefix split across chunks. */
  readonly #prefix = new Uint8Array(LENGTH_PREFIX_BYTES);
  #prefixFilled = 0;
  /** The frame being assembled across chunks, once its length is known. */
  #partial: Uint8Array | undefined;
  #partialFilled = 0;
  #failure: FlussError | undefined;
  readonly #copy: { headroom: number; allocate: (bytes: number) => ArrayBuffer } | undefined;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES, options: FrameDecoderOptions = {}) {
    this.#maxFrameBytes = maxFrameBytes;
    const { copy } = options;
    this.#copy = copy && {
      headroom: Math.max(0, Math.floor(copy.headroom ?? 0)),
      allocate: copy.allocate ?? ((bytes) => new ArrayBuffer(bytes)),
    };
  }

  /** Bytes held for frames not yet complete (bounded by one frame). */
  get bufferedBytes(): number {
    return this.#prefixFilled + this.#partialFilled;
  }

  /** Feeds one chunk; returns the frames it completed, in order. Throws FlussError on a bad length. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failure) throw this.#failure;
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#partial) {
        offset = this.#fillPartial(chunk, offset, frames);
        continue;
      }
      if (this.#prefixFilled === 0 && chunk.length - offset >= LENGTH_PREFIX_BYTES) {
        const length = this.#checkLength(readInt32(chunk, offset));
        const start = offset + LENGTH_PREFIX_BYTES;
        if (!this.#copy && chunk.length - start >= length) {
          frames.push(chunk.subarray(start, start + length));
          offset = start + length;
        } else {
          this.#startPartial(length);
          offset = start;
        }
        continue;
      }
      // The length prefix itself is split across chunks.
      const take = Math.min(LENGTH_PREFIX_BYTES - this.#prefixFilled, chunk.length - offset);
      this.#prefix.set(chunk.subarray(offset, offset + take), this.#prefixFilled);
      this.#prefixFilled += take;
      offset += take;
      if (this.#prefixFilled === LENGTH_PREFIX_BYTES) {
        this.#prefixFilled = 0;
        this.#startPartial(this.#checkLength(readInt32(this.#prefix, 0)));
      }
    }
    return frames;
  }

  #startPartial(length: number): void {
    this.#partialFilled = 0;
    if (!this.#copy) {
      this.#partial = new Uint8Array(length);
      return;
    }
    const { headroom, allocate } = this.#copy;
    const buffer = allocate(headroom + length);
    if (buffer.byteLength < headroom + length) throw FlussError.client(`frame buffer of ${buffer.byteLength} bytes cannot hold ${headroom + length}`);
    this.#partial = new Uint8Array(buffer, headroom, length);
  }

  #fillPartial(chunk: Uint8Array, offset: number, frames: Uint8Array[]): number {
    const partial = this.#partial!;
    const take = Math.min(partial.length - this.#partialFilled, chunk.length - offset);
    partial.set(chunk.subarray(offset, offset + take), this.#partialFilled);
    this.#partialFilled += take;
    if (this.#partialFilled === partial.length) this.#completePartial(frames);
    return offset + take;
  }

  #completePartial(frames: Uint8Array[]): void {
    frames.push(this.#partial!);
    this.#partial = undefined;
    this.#partialFilled = 0;
  }

  #checkLength(length: number): number {
    if (length < 1 || length > this.#maxFrameBytes) {
      this.#failure = FlussError.client(
        length < 1
          ? `malformed frame: declared length ${length}`
          : `frame of ${length} bytes exceeds the limit of ${this.#maxFrameBytes} bytes`,
      );
      throw this.#failure;
    }
    return length;
  }
}

function readInt32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) | 0;
}
