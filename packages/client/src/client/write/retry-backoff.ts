/** First pause before a batch (or a writer id request) is tried again. */
const INITIAL_BACKOFF_MS = 100;
/** Longest pause: a restarted tablet server is back within seconds, so keep probing. */
const MAX_BACKOFF_MS = 1000;

/** Exponential backoff with ±20 % jitter for the `attempt`-th failure (1-based). */
export function retryBackoffMs(attempt: number): number {
  const base = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.min(10, Math.max(0, attempt - 1)));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
