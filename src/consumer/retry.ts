/**
 * The consumer's retry loop, shared by every transfer (single PUT/GET here, UploadPart in multipart):
 *
 *   await withRetry((attempt) => sendOnce(), options.retry, options.signal);
 *
 * It retries `ERR_NETWORK`, and `ERR_S3` with a retryable status, after full-jitter delays
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/); never an abort, never a
 * request that is not idempotent (callers pass `retry` 0 for those). A delay ends at once on abort, with
 * `ERR_ABORTED`.
 */
import { PresignError } from '../errors.js';
import { abortError } from './s3-error.js';
import type { RetryOptions } from './types.js';

/**
 * Resolves after `ms`, or at once when `signal` aborts (the loop then rejects with `ERR_ABORTED`). The
 * listener stays on the signal after the delay (a signal aborts once, so it runs at most once, and then
 * only clears a finished timer: a no-op).
 */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(0);
    });
  });

/** Runs `attempt(n)` until it succeeds, fails in a way not worth retrying, or the retries are spent. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  retry: number | RetryOptions | undefined,
  signal?: AbortSignal,
): Promise<T> {
  const {
    limit = 2,
    backoffLimit = 20_000,
    statusCodes,
    shouldRetry,
  } = typeof retry === 'number' ? { limit: retry } : ((retry ?? {}) as RetryOptions);
  for (let n = 0; ; n++) {
    try {
      if (signal?.aborted) throw 0;
      return await attempt(n);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!PresignError.is(error) || error.code === 'ERR_ABORTED') throw error;
      const { code, status = 0 } = error;
      if (
        !(
          shouldRetry?.({ error, attempt: n }) ??
          (code === 'ERR_NETWORK' ||
            (code === 'ERR_S3' && (statusCodes ? statusCodes.includes(status) : status === 429 || status > 499)))
        )
      ) {
        throw error;
      }
      if (n >= limit) {
        // (Said only when there were retries: not for a request sent once only, retry 0.)
        if (n) error.message += ` (gave up after ${n + 1} attempts)`;
        throw error;
      }
      const ms = Math.random() * Math.min(backoffLimit, 300 * 2 ** n);
      if (ms > 0) await sleep(ms, signal);
    }
  }
}
