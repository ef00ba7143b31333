import { ErrorCode, FlussError, errorCodeName } from "@fluss-edge/client";
import { expect } from "vitest";

/** Awaits `promise`, asserting that it rejects with a FlussError of `code`; returns the error. */
export async function expectFlussError(promise: Promise<unknown>, code: number): Promise<FlussError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    const flussError = error as FlussError;
    expect(flussError.errorCodeName, flussError.message).toBe(errorCodeName(code));
    expect(flussError.errorCode).toBe(code);
    if (code > 0) expect(flussError.exceptionName, "server errors name their Java exception").toMatch(/Exception$/);
    return flussError;
  }
  throw new Error(`expected a FlussError ${errorCodeName(code)} but the call succeeded`);
}

export { ErrorCode };
