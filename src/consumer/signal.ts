/**
 * Abort listeners that never outlive the call that added them. A caller may share one `AbortSignal`
 * across thousands of transfers: each transfer hooks onto it once, through a signal of its own, and
 * unhooks when it ends, so nothing stays on the caller's signal (and no request is kept alive by it).
 */
import { abortError } from './s3-error.js';

/** Calls `listener` when `signal` aborts; returns the function that removes it. */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  signal?.addEventListener('abort', listener, { once: true });
  return () => signal?.removeEventListener('abort', listener);
}

/** A signal of one transfer's own that aborts with `outer` (same reason) until `release()` unhooks it. */
export interface LinkedSignal {
  signal: AbortSignal;
  release(): void;
}

export function linkSignal(outer: AbortSignal | undefined): LinkedSignal {
  const controller = new AbortController();
  const follow = () => controller.abort(outer?.reason);
  if (outer?.aborted) follow();
  return { signal: controller.signal, release: onAbort(outer, follow) };
}

/** Settles with `promise`, or rejects with `ERR_ABORTED` as soon as `signal` aborts, whichever comes first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(abortError(signal)));
    if (signal.aborted) reject(abortError(signal));
    promise.then(resolve, reject).finally(stop);
  });
}
