/**
 * Giving the event loop a turn from code that otherwise runs on promise
 * callbacks alone. A producer loop such as
 * `for (const b of batches) await writer.writeArrowBatch(b)` resumes on
 * microtasks only: socket reads, connection set-up and timers wait until it
 * ends or blocks. Measured on a 1M-row Arrow append (ten 100k-row batches,
 * about 120 ms of JS work): the tablet server's connection, InitWriter and
 * the first ProduceLog all waited for the whole loop, so the server sat idle
 * for the first half of the append.
 */

/**
 * Resolves after one macrotask: setImmediate where there is one (Node, Bun,
 * Deno), else a MessageChannel message (browsers, workerd). Unlike
 * setTimeout(0), neither is clamped to 4 ms in nested loops.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Time slices for a caller's loop: {@link turn} yields to the event loop
 * once at least `sliceMs` have passed since the last turn, and costs
 * nothing otherwise. A loop that awaits it between units of work lets I/O
 * in every few milliseconds without paying a macrotask per unit.
 */
export class EventLoopTurns {
  readonly #sliceMs: number;
  #lastTurn = now();

  constructor(sliceMs = DEFAULT_SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** A promise to await when the slice is used up, else undefined. */
  turn(): Promise<void> | undefined {
    const at = now();
    if (at - this.#lastTurn < this.#sliceMs) return undefined;
    this.#lastTurn = at;
    return yieldToEventLoop();
  }
}

/** Short enough that acknowledgements and sends keep flowing, long enough to cost nothing measurable. */
const DEFAULT_SLICE_MS = 4;

function now(): number {
  return typeof performance === "object" ? performance.now() : Date.now();
}
