/**
 * A presigned request from descriptor to successful response, the layer upload and download share:
 * validation, header parity and expiry checks (before the network, and again on every attempt, since a
 * retry can cross the expiry), `refresh`, retries, and S3's error body turned into `ERR_S3`.
 * Each refusal has its own code, so a caller (or a test) can tell them apart without reading text.
 */
import { HOST, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { isPresignError, PresignError } from '../errors.js';
import { isStaleSignature } from '../s3/xml.js';
import { signerClock, toleranceOf } from './clock.js';
import { assertSendable, HEADER_NAME, HEADER_VALUE, readDescriptor } from './descriptor.js';
import { withRetry } from './retry.js';
import { EXPIRED_HINT, readS3Answer, s3Error } from './s3-error.js';
import type { RequestOptions } from './types.js';

/** What one attempt sends: a checked descriptor's URL and the headers to send with it. */
export interface Target {
  request: PresignedRequest;
  headers: Record<string, string>;
  /** Aborts with the caller's signal, for as long as the exchange lasts. */
  signal: AbortSignal;
}

/** How a caller of `exchange` sends its request. */
export interface ExchangeSteps {
  method: PresignedMethod;
  /** Sends one attempt; resolves with the response whatever its status. */
  attempt(target: Target): Promise<Response>;
  /** More checks of a descriptor before it is sent, given its signed headers (lower-case names). */
  check?: ((signed: Record<string, string>) => void) | undefined;
  /**
   * False for a body that can be sent only once (a stream): no retry, no resend after a refresh.
   * @default true
   */
  replayable?: boolean | undefined;
}

/**
 * The headers to send: exactly the signed ones (so a signed content-type beats a Blob's own type), plus
 * extra headers that neither change a signed value (S3 would answer SignatureDoesNotMatch) nor add an
 * unsigned `x-amz-*` one (S3 refuses those too), nor are any that no browser or fetch sends as given.
 * Values are not quoted in errors: some are keys (SSE-C).
 */
function headersToSend(signed: Record<string, string>, extra: unknown, host: string) {
  if (typeof extra !== 'object' || !extra) throw new PresignError('ERR_INVALID_HEADER', 'headers must be an object');
  // No prototype: a header named __proto__ or constructor is a header like any other.
  const headers: Record<string, string> = Object.assign(Object.create(null), signed);
  for (const [name, raw] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    // SigV4 compares values trimmed with runs of spaces folded; so does the producer's descriptor.
    const text = typeof raw === 'string' ? raw.trim().replace(/[\t ]+/g, ' ') : '\n';
    if (!HEADER_NAME.test(lower) || !HEADER_VALUE.test(text)) {
      throw new PresignError('ERR_INVALID_HEADER', `Header ${lower} is invalid`);
    }
    assertSendable(lower);
    // host is always signed, from the URL; sending another would break the signature.
    const want = lower === HOST ? host : signed[lower];
    if (want === undefined) {
      if (lower.startsWith('x-amz-')) throw new PresignError('ERR_UNSIGNED_HEADER', `Header ${lower} is not signed`);
    } else if (text !== want) {
      throw new PresignError('ERR_HEADER_MISMATCH', `Header ${lower} is signed with another value`);
    }
    if (lower !== HOST) headers[lower] = text;
  }
  return headers;
}

export function exchange(input: PresignedRequest, options: RequestOptions, steps: ExchangeSteps): Promise<Response> {
  const { method, replayable = true } = steps;
  const { refresh } = options;
  const tolerance = toleranceOf(options);
  let current: unknown = input;
  // The signer's clock of `current`; `serverTime` tells of `input` only.
  let clock: (() => number) | undefined;
  let serverTime = options.serverTime;
  let refreshedAfterRejection = false;

  /** The descriptor checked for sending now, or `ERR_*` naming what is wrong with it. */
  const prepare = (signal: AbortSignal): Target => {
    const { request, url, signedAt, expiresAt } = readDescriptor(current, method);
    const headers = headersToSend(request.headers, options.headers ?? {}, url.host);
    steps.check?.(request.headers);
    clock ??= signerClock(current as object, signedAt, { now: options.now, serverTime });
    const limit = clock() + tolerance;
    if (signedAt > limit) throw new PresignError('ERR_NOT_YET_VALID', 'Signed after serverTime');
    if (expiresAt <= limit) {
      throw new PresignError('ERR_EXPIRED', `Expires at ${request.expiresAt}`, { hint: EXPIRED_HINT });
    }
    return { request, headers, signal };
  };
  const renew = async () => {
    current = await refresh!();
    clock = serverTime = undefined;
  };

  return withRetry(
    async ({ signal }) => {
      // A descriptor that expired gets one fresh one before it is sent, and one after S3 said its
      // signature expired (unless the body can be sent only once); every other failure is the caller's.
      for (let refreshedBeforeSending = false; ; ) {
        let target: Target;
        try {
          target = prepare(signal);
        } catch (error) {
          if (!refresh || refreshedBeforeSending || !isPresignError(error, 'ERR_EXPIRED')) throw error;
          refreshedBeforeSending = true;
          await renew();
          continue;
        }
        current = target.request;
        const response = await steps.attempt(target);
        if (response.ok) return response;
        const answer = await readS3Answer(response);
        if (!refresh || refreshedAfterRejection || !replayable || !isStaleSignature(answer)) {
          throw s3Error(answer, method, target.request.url);
        }
        refreshedAfterRejection = true;
        await renew();
      }
    },
    // Idempotent requests are retried (a POST only by a caller that knows it is safe, as a completion
    // is), when their body can be sent again.
    { retry: replayable && method !== 'POST' ? options.retry : 0, signal: options.signal },
  );
}
