import { PresignError, redactUrl } from '../errors.js';
import { parseS3ErrorXml } from '../s3/error-xml.js';

/** The hint of `ERR_EXPIRED`, and of S3's "Request has expired" (which a fresh descriptor cures). */
export const EXPIRED_HINT = 'pass `refresh`';
/**
 * Hints by S3's `Code` and `Message`, first match wins
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
const HINTS: Array<[RegExp, string]> = [
  [/^AccessDenied .*expired/i, EXPIRED_HINT],
  [/^AccessDenied .*not yet valid/i, "the signer's clock is ahead"],
  [/^HeadersNotSigned|not signed/i, 'sign the x-amz-* headers you send'],
  [/^SignatureDoesNotMatch/, 'a header, the method, the host or the keys differ from those signed'],
  [/^ExpiredToken/, 'the temporary credentials expired'],
];

/** Turns a non-2xx response into `ERR_S3` with S3's XML fields and a hint where the cause is known. */
export async function responseError(res: Response, method: string, url: string): Promise<PresignError> {
  const { status, headers } = res;
  const xml = parseS3ErrorXml(await res.text().catch(() => ''));
  const s3Code = xml.code ?? headers.get('x-amz-error-code') ?? undefined;
  const s3Message = xml.message && redactUrl(xml.message);
  // S3 sends "Request has expired" as AccessDenied and, from some servers, unsigned headers as AccessDenied.
  const hint = HINTS.find(([pattern]) => pattern.test(`${s3Code} ${s3Message}`))?.[1];
  return new PresignError('ERR_S3', `S3 answered ${s3Code ?? 'HTTP'} ${status} to ${target(method, url)}`, {
    status,
    s3Code,
    s3Message,
    requestId: xml.requestId ?? headers.get('x-amz-request-id') ?? undefined,
    hint,
  });
}

const target = (method: string, url: string) => `${method} ${redactUrl(url)}`;

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
    hint: typeof document === 'object' ? 'or CORS: the bucket must allow this origin, method and headers' : undefined,
  });
}

export const abortError = (signal: AbortSignal | undefined): PresignError =>
  new PresignError('ERR_ABORTED', 'Aborted', { cause: signal?.reason });
