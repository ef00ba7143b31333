/**
 * The change type of a log record (Fluss `ChangeType`), one byte per row in
 * the change-type vector of batches that are not append-only.
 */
export const ChangeType = {
  /** +A: a row appended to a log table. */
  APPEND_ONLY: 0,
  /** +I: a row inserted into a primary-key table. */
  INSERT: 1,
  /** −U: the old row of an update. */
  UPDATE_BEFORE: 2,
  /** +U: the new row of an update. */
  UPDATE_AFTER: 3,
  /** −D: a deleted row. */
  DELETE: 4,
} as const;

/** A change-type byte value. */
export type ChangeType = (typeof ChangeType)[keyof typeof ChangeType];

const SHORT_STRINGS = ["+A", "+I", "-U", "+U", "-D"] as const;

/** The short form Fluss prints (`+A`, `+I`, `-U`, `+U`, `-D`). */
export function changeTypeShortString(type: ChangeType): string {
  return SHORT_STRINGS[type] ?? `?${String(type)}`;
}

/** True for the five byte values Fluss defines. */
export function isChangeType(value: number): value is ChangeType {
  return Number.isInteger(value) && value >= 0 && value <= 4;
}
