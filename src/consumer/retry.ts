/**
 * The consumer's retry loop, and the lifetime of one transfer, shared by every transfer (single PUT and
 * GET, UploadPart and CompleteMultipartUpload in multipart, POST uploads, the upload handler's calls):
 *
 *   await withRetry((attempt) => sendOnce(attempt.signal), { retry: options.retry, signal: options.signal });
 *
 * It retries `ERR_NETWORK`, and an answer with a retryable status (S3's `ERR_S3`, an upload endpoint's
 * 5xx), after full-jitter delays
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/); never an abort, never a
 * request that is not idempotent (callers pass `retry` 0 for those). A delay ends at once on abort, with
 * `ERR_ABORTED`. Attempts get a signal of the transfer's own, linked to the caller's until the loop ends:
 * what the runtime's fetch hooks onto it goes with it.
 */
import { PresignError } from '../errors.js';
import { abortError } from './s3-error.js';
import { linkSignal, onAbort } from './signal.js';
import type { RetryOptions } from './types.js';

export interface Attempt {
  /** 0 for the first attempt. */
  n: number;
  /** Aborts with the caller's signal; pass it to the request. */
  signal: AbortSignal;
}

export interface RetryLoop {
  retry: number | RetryOptions | undefined;
  signal: AbortSignal | undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts (the loop then rejects with `ERR_ABORTED`). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(wake, ms);
    const unhook = onAbort(signal, wake);
    function wake() {
      clearTimeout(timer);
      unhook();
      resolve();
    }
  });

/** Whether a failed attempt is worth another, by the caller's rules or the defaults. */
function retryable(error: PresignError, n: number, options: RetryOptions): boolean {
  const { code, status = 0 } = error;
  return (
    options.shouldRetry?.({ error, attempt: n }) ??
    (code === 'ERR_NETWORK' ||
      (options.statusCodes ? options.statusCodes.includes(status) : status === 429 || status > 499))
  );
}

/** Runs `attempt` until it succeeds, fails in a way not worth retrying, or the retries are spent. */
export async function withRetry<T>(attempt: (context: Attempt) => Promise<T>, loop: RetryLoop): Promise<T> {
  const options: RetryOptions = typeof loop.retry === 'number' ? { limit: loop.retry } : (loop.retry ?? {});
  const { limit = 2, backoffLimit = 20_000 } = options;
  const { signal, release } = linkSignal(loop.signal);
  try {
    for (let n = 0; ; n++) {
      if (signal.aborted) throw abortError(signal);
      try {
        return await attempt({ n, signal });
      } catch (error) {
        if (signal.aborted) throw abortError(signal);
        if (!PresignError.is(error) || error.code === 'ERR_ABORTED' || !retryable(error, n, options)) throw error;
        if (n >= limit) {
          // (Said only when there were retries: not for a request sent once only, retry 0.)
          if (n) error.message += ` (gave up after ${n + 1} attempts)`;
          throw error;
        }
        const ms = Math.random() * Math.min(backoffLimit, 300 * 2 ** n);
        if (ms > 0) await sleep(ms, signal);
      }
    }
  } finally {
    release();
  }
}
