/**
 * A presigned request from descriptor to successful response, the layer upload and download share:
 * validation, header parity and expiry checks (before the network, and again on every attempt, since a
 * retry can cross the expiry), `refresh`, retries, and S3's error body turned into `ERR_S3`.
 * Each refusal has its own code, so a caller (or a test) can tell them apart without reading text.
 */
import { HOST, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { readDescriptor } from './descriptor.js';
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
  /** More checks of a descriptor, given its signed headers (lower-case names). */
  check?: (signed: Record<string, string>) => void,
  /** False for a body that can be sent only once (a stream): no retry, no resend after a refresh. */
  replayable = true,
): Promise<Response> {
  const { refresh, now = Date.now, clockTolerance = 5 } = options;
  let current: unknown = input;
  let refreshedAfterRejection = false;

  return withRetry(
    async () => {
      let refreshedBeforeSending = false;
      for (;;) {
        let sent = false;
        try {
          const { request, url: parsedUrl, signedAt, expiresAt } = readDescriptor(current, method);
          // The headers to send: exactly the signed ones (so a signed content-type beats a Blob's own
          // type), plus extra headers that neither change a signed value (S3 would answer
          // SignatureDoesNotMatch) nor add an unsigned `x-amz-*` one (S3 refuses those too). Values are
          // not quoted: some are keys (SSE-C).
          const signed = request.headers;
          const headers = { ...signed };
          for (const [name, raw] of Object.entries(options.headers ?? {})) {
            const lower = name.toLowerCase();
            // SigV4 compares values trimmed with runs of spaces folded; so does the producer's descriptor.
            const text = String(raw)
              .trim()
              .replace(/[\t ]+/g, ' ');
            // host is always signed, from the URL; sending another would break the signature.
            const want = lower === HOST ? parsedUrl.host : signed[lower];
            if (want === undefined) {
              if (lower.startsWith('x-amz-'))
                throw new PresignError('ERR_UNSIGNED_HEADER', `Header ${lower} is not signed`);
            } else if (text !== want) {
              throw new PresignError('ERR_HEADER_MISMATCH', `Header ${lower} is signed with another value`);
            }
            if (lower !== HOST) headers[lower] = text;
          }
          check?.(signed);
          const limit = +now() + clockTolerance * 1000;
          if (signedAt > limit) throw new PresignError('ERR_NOT_YET_VALID', 'Signed in the future: check the clock');
          if (expiresAt <= limit) {
            throw new PresignError('ERR_EXPIRED', `Expires at ${request.expiresAt}`, { hint: EXPIRED_HINT });
          }
          current = request;
          sent = true;
          const response = await attempt(request.url, headers);
          if (response.ok) return response;
          throw await responseError(response, method, request.url);
        } catch (error) {
          // A descriptor that expired gets one fresh one before it is sent, and one after S3 said it
          // expired (unless the body can be sent only once); every other failure is the caller's.
          if (
            !refresh ||
            (error as PresignError)?.hint !== EXPIRED_HINT ||
            (sent ? refreshedAfterRejection || !replayable : refreshedBeforeSending)
          ) {
            throw error;
          }
          if (sent) refreshedAfterRejection = true;
          else refreshedBeforeSending = true;
          current = await refresh();
        }
      }
    },
    // Only PUT and GET are retried: idempotent, and with a body that can be sent again.
    replayable && (method === 'PUT' || method === 'GET') ? options.retry : 0,
    options.signal,
  );
}
