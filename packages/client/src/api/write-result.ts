const ignore = (): void => {};

/**
 * The outcome of one write (`writer.append(row)`, `writeArrowBatch`,
 * `writeArrow`): `await result.wait()` resolves once the server has
 * acknowledged the rows (as `writer.acks` asks) and rejects with the
 * FlussError that failed them.
 *
 * Ignoring it is fine (fire-and-forget): a failure that nobody awaits never
 * becomes an unhandled rejection, and `writer.flush()` reports it. Rows of
 * one batch share one result object, so holding on to it costs nothing per row.
 */
export class WriteResult {
  readonly #done: Promise<void>;

  /** @internal Made by the writer. */
  constructor(done: Promise<void>) {
    // Mark the promise handled: a failed write must not crash a process that never asked.
    done.catch(ignore);
    this.#done = done;
  }

  /** Resolves when the rows are acknowledged; rejects with the FlussError that failed them. */
  wait(): Promise<void> {
    return this.#done;
  }

  /** @internal One result for several writes: resolves when all did, rejects with the first failure. */
  static all(results: readonly WriteResult[]): WriteResult {
    if (results.length === 1) return results[0]!;
    return new WriteResult(Promise.all(results.map((r) => r.#done)).then(ignore));
  }
}
