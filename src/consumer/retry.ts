/**
 * The consumer's retry loop, shared by every transfer (single PUT/GET here, UploadPart in multipart):
 *
 *   withRetry((attempt) => sendOnce(), retryPolicy(options.retry), signal, idempotent)
 *
 * retries `ERR_NETWORK` and `ERR_S3` with a retryable status, with full-jitter delays
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), never an abort and never
 * a non-idempotent request. The delay wakes at once on abort.
 */
import { isPresignError, type PresignError } from '../errors.js';
import { abortError } from './s3-error.js';
import type { RetryOptions } from './types.js';

const DEFAULT_LIMIT = 2;
const BASE_DELAY = 300;
const DEFAULT_BACKOFF_LIMIT = 20_000;

export type RetryPolicy = Required<Omit<RetryOptions, 'statusCodes' | 'shouldRetry'>> &
  Pick<RetryOptions, 'statusCodes' | 'shouldRetry'>;

export function retryPolicy(retry: number | RetryOptions | undefined): RetryPolicy {
  const options = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  return {
    ...options,
    limit: options.limit ?? DEFAULT_LIMIT,
    backoffLimit: options.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
  };
}

function retryable(error: PresignError, attempt: number, policy: RetryPolicy): boolean {
  if (error.code === 'ERR_ABORTED') return false;
  const verdict = policy.shouldRetry?.({ error, attempt });
  if (verdict !== undefined) return verdict;
  const status = error.status ?? 0;
  return (
    error.code === 'ERR_NETWORK' ||
    (error.code === 'ERR_S3' && (policy.statusCodes ? policy.statusCodes.includes(status) : status === 429 || status > 499))
  );
}

/** Resolves after `ms`, or rejects with `ERR_ABORTED` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const stop = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Runs `attempt(n)` until it succeeds, the error is not retryable, or `policy.limit` retries are spent. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  idempotent = true,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      if (signal?.aborted) throw abortError(signal);
      return await attempt(n);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!isPresignError(error) || !idempotent || !retryable(error, n, policy)) throw error;
      if (n >= policy.limit) {
        error.message += ` (gave up after ${n + 1} attempts)`;
        throw error;
      }
      const ms = Math.random() * Math.min(policy.backoffLimit, BASE_DELAY * 2 ** n);
      if (ms > 0) await sleep(ms, signal);
    }
  }
}
