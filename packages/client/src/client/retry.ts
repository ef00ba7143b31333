import { ErrorCode, FlussError, STALE_METADATA_CODES } from "../errors/index.js";

/** How often and how patiently a failed request is sent again. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** About 6 s of patience in all: enough for a leader to move or a restarted server to register. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 7, initialBackoffMs: 100, maxBackoffMs: 2000 };

/**
 * Runs `operation` and repeats it after retriable failures, with exponential
 * backoff and jitter. Stale-metadata errors call `onStaleMetadata` first so
 * the next attempt goes to the right server. Request timeouts are not
 * repeated here: the caller asked for an answer within that time.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: { policy?: RetryPolicy; onStaleMetadata?: () => Promise<void> | void } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (thrown) {
      const error = FlussError.from(thrown);
      const retriable = error.isRetriable() && error.errorCode !== ErrorCode.REQUEST_TIME_OUT;
      if (!retriable || attempt >= policy.maxAttempts) throw error;
      if (STALE_METADATA_CODES.has(error.errorCode) && options.onStaleMetadata) {
        await options.onStaleMetadata();
      }
      await sleep(backoffMs(policy, attempt));
    }
  }
}

function backoffMs(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return base * (0.8 + Math.random() * 0.4);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
