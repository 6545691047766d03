import { PresignError, redactUrl } from '../errors.js';
import { parseS3ErrorXml } from '../s3/error-xml.js';

const EXPIRED_HINT = 'the signature expired before S3 got the request: pass `refresh`, or sign with a longer expiresIn';
const HINTS: Record<string, string> = {
  SignatureDoesNotMatch:
    'the request differs from what was signed (a header or its value, the method, the host) or the signer used other credentials',
  ExpiredToken: 'the temporary credentials that signed it have expired: sign again with fresh ones',
  HeadersNotSigned: 'an x-amz-* header was sent unsigned: sign it on the server',
};
const SECRET_IN_TEXT = /X-Amz-(Signature|Credential|Security-Token)/i;

/** Turns a non-2xx response into `ERR_S3` with S3's XML fields and a hint where the cause is known. */
export async function responseError(res: Response, method: string, url: string): Promise<PresignError> {
  const xml = parseS3ErrorXml(await res.text().catch(() => ''));
  const code = xml.code ?? res.headers.get('x-amz-error-code') ?? undefined;
  const message = xml.message && redactUrl(xml.message);
  const hint =
    code === 'AccessDenied' && /expired/i.test(message ?? '')
      ? EXPIRED_HINT
      : /not signed/i.test(message ?? '')
        ? HINTS.HeadersNotSigned
        : HINTS[code ?? ''];
  return new PresignError(
    'ERR_S3',
    `S3 answered ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''} to ${method} ${redactUrl(url)}`,
    {
      status: res.status,
      s3Code: code,
      s3Message: message,
      requestId: xml.requestId ?? res.headers.get('x-amz-request-id') ?? undefined,
      hint,
    },
  );
}

/** Whether a fresh descriptor can cure this error (S3 said the signature or its token expired). */
export function isExpiry(error: PresignError): boolean {
  return error.hint === EXPIRED_HINT || error.s3Code === 'ExpiredToken';
}

/** A request that got no response: fetch's TypeError (in browsers, CORS looks the same) or XHR's error. */
export function networkError(cause: unknown, method: string, url: string): PresignError {
  return new PresignError('ERR_NETWORK', `${method} ${redactUrl(url)} got no response`, {
    cause: safeCause(cause),
    hint:
      typeof document === 'object'
        ? "in a browser a CORS refusal looks like this: the bucket's CORS must allow this origin, the method and headers"
        : undefined,
  });
}

export function abortError(signal: AbortSignal | undefined): PresignError {
  return new PresignError('ERR_ABORTED', 'The request was aborted', { cause: signal?.reason });
}

// A runtime's error may quote the URL it was given; never pass one on that would carry the signature.
function safeCause(cause: unknown): unknown {
  const text = String((cause as Error)?.message ?? cause);
  return SECRET_IN_TEXT.test(text) ? new Error(redactUrl(text)) : cause;
}
