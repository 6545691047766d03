/**
 * The consumer's retry loop, shared by every transfer (single PUT/GET here, UploadPart in multipart):
 *
 *   await withRetry((attempt) => sendOnce(), retryPolicy(options.retry), options.signal, idempotent);
 *
 * It retries `ERR_NETWORK`, and `ERR_S3` with a retryable status, after full-jitter delays
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/); never an abort, never a
 * request that is not idempotent. A delay ends at once on abort, with `ERR_ABORTED`.
 */
import { isPresignError } from '../errors.js';
import { abortError } from './s3-error.js';
import type { RetryOptions } from './types.js';

const DEFAULT_LIMIT = 2;
const BASE_DELAY = 300;
const DEFAULT_BACKOFF_LIMIT = 20_000;

export type RetryPolicy = RetryOptions & { limit: number; backoffLimit: number };

export function retryPolicy(retry: number | RetryOptions | undefined): RetryPolicy {
  const options = typeof retry === 'number' ? { limit: retry } : retry;
  return { limit: DEFAULT_LIMIT, backoffLimit: DEFAULT_BACKOFF_LIMIT, ...options } as RetryPolicy;
}

/** Resolves after `ms`, or rejects with `ERR_ABORTED` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Runs `attempt(n)` until it succeeds, fails in a way not worth retrying, or `policy.limit` retries are spent. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  idempotent = true,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      if (signal?.aborted) throw 0;
      return await attempt(n);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!isPresignError(error) || !idempotent) throw error;
      const status = error.status ?? 0;
      const retry =
        policy.shouldRetry?.({ error, attempt: n }) ??
        (error.code === 'ERR_NETWORK' ||
          (error.code === 'ERR_S3' && (policy.statusCodes?.includes(status) ?? (status === 429 || status > 499))));
      if (!retry || error.code === 'ERR_ABORTED') throw error;
      if (n >= policy.limit) {
        error.message += ` (gave up after ${n + 1} attempts)`;
        throw error;
      }
      const ms = Math.random() * Math.min(policy.backoffLimit, BASE_DELAY * 2 ** n);
      if (ms > 0) await sleep(ms, signal);
    }
  }
}
