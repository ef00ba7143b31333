import { expect } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";

/** Runs `action`, asserts it throws a CLIENT_ERROR FlussError whose message contains every `parts`, and returns it. */
export function clientError(action: () => unknown, ...parts: string[]): FlussError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    const e = error as FlussError;
    expect(e.errorCode).toBe(ErrorCode.CLIENT_ERROR);
    for (const part of parts) expect(e.message).toContain(part);
    return e;
  }
  throw new Error("expected a FlussError");
}
