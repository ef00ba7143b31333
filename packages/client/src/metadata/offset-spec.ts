import { FlussError } from "../errors/index.js";

/**
 * Start offset meaning "the earliest offset still stored"; pass it when
 * subscribing a scanner. There is no "latest" sentinel: ask
 * `listOffsets(…, OffsetSpec.latest())` first.
 */
export const EARLIEST_OFFSET = -2;

/** Which offset ListOffsets should return. */
export type OffsetSpecKind = "EARLIEST" | "LATEST" | "TIMESTAMP";

/**
 * What to look up with ListOffsets: the earliest or latest offset, or the
 * first offset whose record timestamp is at or after a time.
 *
 * @example
 * await admin.listOffsets(path, [0, 1], OffsetSpec.timestamp(Date.now() - 3_600_000));
 */
export class OffsetSpec {
  readonly kind: OffsetSpecKind;
  /** Epoch milliseconds, only for `TIMESTAMP`. */
  readonly timestamp: number | undefined;

  private constructor(kind: OffsetSpecKind, timestamp?: number) {
    this.kind = kind;
    this.timestamp = timestamp;
  }

  /** The earliest offset still stored. */
  static earliest(): OffsetSpec {
    return new OffsetSpec("EARLIEST");
  }

  /** The offset the next record will get (the high watermark). */
  static latest(): OffsetSpec {
    return new OffsetSpec("LATEST");
  }

  /** The first offset whose record timestamp is ≥ `ms` (epoch milliseconds). */
  static timestamp(ms: number): OffsetSpec {
    if (!Number.isSafeInteger(ms)) throw FlussError.client(`Offset timestamp must be an integer number of ms, got ${String(ms)}.`);
    return new OffsetSpec("TIMESTAMP", ms);
  }

  /** `offset_type` of ListOffsetsRequest: 0 = earliest, 1 = latest, 2 = timestamp. */
  get offsetType(): 0 | 1 | 2 {
    return this.kind === "EARLIEST" ? 0 : this.kind === "LATEST" ? 1 : 2;
  }

  toString(): string {
    return this.kind === "TIMESTAMP" ? `OffsetSpec.timestamp(${this.timestamp})` : `OffsetSpec.${this.kind.toLowerCase()}()`;
  }
}
