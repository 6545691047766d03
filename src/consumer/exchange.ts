/**
 * A presigned request from descriptor to successful response, the layer upload and download share:
 * validation, parity and expiry checks (before the network, and again on every attempt, since a retry
 * can cross the expiry), `refresh`, retries, and S3's error body turned into `ERR_S3`.
 */
import { type ParsedDescriptor, type PresignedMethod, type PresignedRequest, readDescriptor } from '../descriptor.js';
import { PresignError } from '../errors.js';
import { expiryError, headersToSend } from './checks.js';
import { retryPolicy, withRetry } from './retry.js';
import { isExpiry, responseError } from './s3-error.js';
import type { RequestOptions } from './types.js';

const DEFAULT_CLOCK_TOLERANCE = 5;

/** Sends one checked descriptor with the headers to send; resolves with the response whatever its status. */
export type Attempt = (descriptor: ParsedDescriptor, headers: Record<string, string>) => Promise<Response>;

export function exchange(
  input: PresignedRequest,
  options: RequestOptions,
  method: PresignedMethod,
  attempt: Attempt,
  check?: (descriptor: ParsedDescriptor) => void,
  /** False for a body that can be sent only once (a stream): no retry, no resend after a refresh. */
  replayable = true,
): Promise<Response> {
  const tolerance = (options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE) * 1000;
  let current: unknown = input;
  let refreshedAfterRejection = false;

  const ready = async (value: unknown, refreshed?: boolean): Promise<[ParsedDescriptor, Record<string, string>]> => {
    const d = readDescriptor(value, 'ERR_MISSING_SIGNED_HEADER');
    if (d.request.method !== method) {
      throw new PresignError(
        'ERR_INVALID_DESCRIPTOR',
        `This call sends ${method}; the descriptor is for ${d.request.method}`,
      );
    }
    const headers = headersToSend(d, options.headers);
    check?.(d);
    const error = expiryError(d, +(options.now?.() ?? Date.now()), tolerance);
    if (error?.code === 'ERR_EXPIRED' && options.refresh && !refreshed) return ready(await options.refresh(), true);
    if (error) throw error;
    current = d.request;
    return [d, headers];
  };

  return withRetry(
    async () => {
      let [d, headers] = await ready(current);
      for (;;) {
        const response = await attempt(d, headers);
        if (response.ok) return response;
        const error = await responseError(response, method, d.request.url);
        if (!options.refresh || !replayable || refreshedAfterRejection || !isExpiry(error)) throw error;
        refreshedAfterRejection = true;
        [d, headers] = await ready(await options.refresh(), true);
      }
    },
    retryPolicy(replayable ? options.retry : 0),
    options.signal,
    method === 'PUT' || method === 'GET',
  );
}
