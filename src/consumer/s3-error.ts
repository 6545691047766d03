import { PresignError, redactUrl } from '../errors.js';
import { parseS3ErrorXml } from '../s3/xml.js';

/**
 * The hint of `ERR_EXPIRED`, and of S3's "Request has expired" and `ExpiredToken`: the errors a fresh
 * descriptor cures.
 */
export const EXPIRED_HINT = 'expired, or its credentials did: pass `refresh`';
/**
 * Hints by S3's `Code` and `Message`, first match wins
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). S3 sends "Request has
 * expired" as AccessDenied and, from some servers, unsigned headers (`HeadersNotSigned`) as AccessDenied.
 */
const HINTS: Array<[RegExp, string]> = [
  [/expired/i, EXPIRED_HINT],
  [/not yet valid/i, 'check the clock'],
  [/not ?signed/i, 'sign the x-amz-* headers sent'],
  [/^SignatureDoesNotMatch/, 'headers, method, host or keys differ from those signed'],
];

/** `PUT https://host/key?...X-Amz-Signature=REDACTED`: what an error message names. */
const target = (method: string, url: string) => `${method} ${redactUrl(url)}`;

/** Turns a non-2xx response into `ERR_S3` with S3's XML fields and a hint where the cause is known. */
export async function responseError(res: Response, method: string, url: string): Promise<PresignError> {
  const { status } = res;
  const { code, message, requestId } = parseS3ErrorXml(await res.text().catch(() => ''));
  const s3Message = message && redactUrl(message);
  return new PresignError('ERR_S3', `S3 answered ${status}${code ? ` ${code}` : ''} to ${target(method, url)}`, {
    status,
    s3Code: code,
    s3Message,
    // A body-less answer (HEAD, some proxies) still has the id in a header.
    requestId: requestId ?? res.headers.get('x-amz-request-id') ?? undefined,
    hint: HINTS.find(([pattern]) => pattern.test(`${code} ${s3Message}`))?.[1],
  });
}

/**
 * What a failed fetch or XHR rejects with: `ERR_ABORTED` when `signal` aborted, else `ERR_NETWORK` (no
 * response: fetch's TypeError, which is also how a browser reports a CORS refusal, or XHR's error).
 */
export function networkError(cause: unknown, method: string, url: string, signal?: AbortSignal): PresignError {
  if (signal?.aborted) return abortError(signal);
  const text = String((cause as Error)?.message);
  return new PresignError('ERR_NETWORK', `No response to ${target(method, url)}`, {
    // A runtime's error may quote the URL it was given: never pass on one that carries the signature.
    cause: text === redactUrl(text) ? cause : Error(redactUrl(text)),
    hint: typeof document === 'object' ? 'or CORS: the bucket must allow this origin' : undefined,
  });
}

export const abortError = (signal: AbortSignal | undefined): PresignError =>
  new PresignError('ERR_ABORTED', 'Aborted', { cause: signal?.reason });
