/**
 * A presigned request from descriptor to successful response, the layer upload and download share:
 * validation, parity and expiry checks (before the network, and again on every attempt, since a retry
 * can cross the expiry), `refresh`, retries, and S3's error body turned into `ERR_S3`.
 */
import { type ParsedDescriptor, type PresignedMethod, type PresignedRequest, readDescriptor } from '../descriptor.js';
import { PresignError } from '../errors.js';
import { headersToSend } from './checks.js';
import { withRetry } from './retry.js';
import { EXPIRED_HINT, responseError } from './s3-error.js';
import type { RequestOptions } from './types.js';

/** Sends to a checked descriptor's URL with the headers to send; resolves with the response whatever its status. */
export type Attempt = (url: string, headers: Record<string, string>) => Promise<Response>;

export function exchange(
  input: PresignedRequest,
  options: RequestOptions,
  method: PresignedMethod,
  attempt: Attempt,
  check?: (descriptor: ParsedDescriptor) => void,
  /** False for a body that can be sent only once (a stream): no retry, no resend after a refresh. */
  replayable = true,
): Promise<Response> {
  const { refresh, now = Date.now } = options;
  const tolerance = (options.clockTolerance ?? 5) * 1000;
  let current: unknown = input;
  let refreshedAfterRejection = false;

  /** Checks a descriptor (refreshing it once when it has expired): its URL and the headers to send. */
  const ready = async (value: unknown, refreshed?: boolean): Promise<[string, Record<string, string>]> => {
    const d = readDescriptor(value, 'ERR_MISSING_SIGNED_HEADER');
    const { request } = d;
    if (request.method !== method) {
      throw new PresignError('ERR_INVALID_DESCRIPTOR', `The descriptor is for ${request.method}, not ${method}`);
    }
    const headers = headersToSend(d, options.headers);
    check?.(d);
    const limit = +now() + tolerance;
    if (d.signedAt > limit) throw new PresignError('ERR_NOT_YET_VALID', 'The descriptor is signed in the future');
    if (d.expiresAt <= limit) {
      if (refresh && !refreshed) return ready(await refresh(), true);
      throw new PresignError('ERR_EXPIRED', `The descriptor expires at ${request.expiresAt}`, { hint: EXPIRED_HINT });
    }
    current = request;
    return [request.url, headers];
  };

  return withRetry(
    async () => {
      let [url, headers] = await ready(current);
      for (;;) {
        const response = await attempt(url, headers);
        if (response.ok) return response;
        const error = await responseError(response, method, url);
        // Once, and only when S3 said the signature or its token expired: a fresh descriptor cures that.
        if (
          !refresh ||
          !replayable ||
          refreshedAfterRejection ||
          (error.hint !== EXPIRED_HINT && error.s3Code !== 'ExpiredToken')
        ) {
          throw error;
        }
        refreshedAfterRejection = true;
        [url, headers] = await ready(await refresh(), true);
      }
    },
    replayable ? options.retry : 0,
    options.signal,
    method === 'PUT' || method === 'GET',
  );
}
