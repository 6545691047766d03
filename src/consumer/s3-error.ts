import { PresignError, redactUrl } from '../errors.js';
import { parseS3ErrorXml } from '../s3/error-xml.js';

const EXPIRED_HINT = 'it expired on the way: pass `refresh`';
/**
 * Hints by S3's `Code` and `Message`, first match wins
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
const HINTS: Array<[RegExp, string]> = [
  [/^AccessDenied .*expired/i, EXPIRED_HINT],
  [/^AccessDenied .*not yet valid/i, "the signer's clock is ahead of S3's"],
  [/^HeadersNotSigned|not signed/i, 'sign the x-amz-* headers you send'],
  [/^SignatureDoesNotMatch/, 'a header, the method or the host differ from the signed ones, or the keys'],
  [/^ExpiredToken/, 'the temporary credentials expired: sign again'],
];

/** Turns a non-2xx response into `ERR_S3` with S3's XML fields and a hint where the cause is known. */
export async function responseError(res: Response, method: string, url: string): Promise<PresignError> {
  const xml = parseS3ErrorXml(await res.text().catch(() => ''));
  const code = xml.code ?? res.headers.get('x-amz-error-code') ?? undefined;
  const message = xml.message && redactUrl(xml.message);
  return new PresignError(
    'ERR_S3',
    `S3 answered ${res.status}${code ? ` ${code}` : ''} to ${method} ${redactUrl(url)}`,
    {
      status: res.status,
      s3Code: code,
      s3Message: message,
      requestId: xml.requestId ?? res.headers.get('x-amz-request-id') ?? undefined,
      // S3 sends "Request has expired" as AccessDenied and, from some servers, unsigned headers as AccessDenied.
      hint: HINTS.find(([pattern]) => pattern.test(`${code} ${message}`))?.[1],
    },
  );
}

/** Whether a fresh descriptor can cure this error (S3 said the signature or its token expired). */
export const isExpiry = (error: PresignError): boolean =>
  error.hint === EXPIRED_HINT || error.s3Code === 'ExpiredToken';

/** No response: fetch's TypeError (which is also how a browser reports a CORS refusal) or XHR's error. */
export function networkError(cause: unknown, method: string, url: string): PresignError {
  const text = String((cause as Error)?.message);
  return new PresignError('ERR_NETWORK', `${method} ${redactUrl(url)} got no response`, {
    // A runtime's error may quote the URL it was given: never pass on one that carries the signature.
    cause: text === redactUrl(text) ? cause : Error(redactUrl(text)),
    hint: typeof document === 'object' ? 'or CORS: the bucket must allow this origin, method and headers' : undefined,
  });
}

export const abortError = (signal: AbortSignal | undefined): PresignError =>
  new PresignError('ERR_ABORTED', 'Aborted', { cause: signal?.reason });
