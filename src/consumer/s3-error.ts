/**
 * The consumer's wire failures as `PresignError`s: S3's error answers (`ERR_S3` with S3's fields and a
 * hint), no answer at all (`ERR_NETWORK`), and the caller's abort (`ERR_ABORTED`).
 */
import { PresignError, redactUrl } from '../errors.js';
import { conditionFailure, isStaleSignature, parseS3ErrorXml, type S3ErrorXml } from '../s3/xml.js';

/** The hint of `ERR_EXPIRED`, and of S3's answers to an expired signature: the errors a fresh descriptor cures. */
export const EXPIRED_HINT = 'expired, or its credentials did: pass `refresh`';
/**
 * Hints for people, by S3's `Code` and `Message`, first match wins
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). Some servers send unsigned
 * headers (`HeadersNotSigned`) as AccessDenied. What the library does never depends on these.
 */
const HINTS: Array<[RegExp, string]> = [
  [/not yet valid/i, 'check the clock'],
  [/not ?signed/i, 'sign the x-amz-* headers sent'],
  [/^SignatureDoesNotMatch/, 'headers, method, host or keys differ from those signed'],
];

/** A non-2xx answer read: its status and the fields of S3's XML error body. */
export interface S3Answer extends S3ErrorXml {
  status: number;
}

/** A response's status and the S3 error fields of its body `xml` (the request id from the header when the body has none). */
export function s3Answer(xml: string, res: Response): S3Answer {
  const fields = parseS3ErrorXml(xml);
  const requestId = fields.requestId ?? res.headers.get('x-amz-request-id');
  return { ...fields, ...(requestId ? { requestId } : {}), status: res.status };
}

/** Reads a non-2xx response's body as an S3 error. */
export const readS3Answer = async (res: Response): Promise<S3Answer> => s3Answer(await res.text().catch(() => ''), res);

/** `PUT https://host/key?...X-Amz-Signature=REDACTED`: what an error message names. */
const target = (method: string, url: string) => `${method} ${redactUrl(url)}`;

/**
 * `ERR_S3` for an answer from S3, with its fields and a hint where the cause is known; `ERR_EXPIRED`
 * (with the same fields) when S3 refused the request only because its signature or credentials
 * expired, which is what a consumer whose clock cannot be trusted learns of expiry from.
 */
export function s3Error(answer: S3Answer, method: string, url: string): PresignError {
  const { status, code, requestId } = answer;
  const s3Message = answer.message && redactUrl(answer.message);
  const stale = isStaleSignature(answer);
  const condition = conditionFailure(status, code);
  return new PresignError(
    stale ? 'ERR_EXPIRED' : (condition?.code ?? 'ERR_S3'),
    `S3 answered ${status}${code ? ` ${code}` : ''} to ${target(method, url)}`,
    {
      status,
      s3Code: code,
      s3Message,
      requestId,
      hint: stale
        ? EXPIRED_HINT
        : (condition?.hint ?? HINTS.find(([pattern]) => pattern.test(`${code} ${s3Message}`))?.[1]),
    },
  );
}

/** Turns a non-2xx response into `ERR_S3`. */
export const responseError = async (res: Response, method: string, url: string): Promise<PresignError> =>
  s3Error(await readS3Answer(res), method, url);

/**
 * What a failed fetch or XHR rejects with: `ERR_ABORTED` when `signal` aborted, else `ERR_NETWORK` (no
 * response: fetch's TypeError, which is also how a browser reports a CORS refusal, or XHR's error).
 */
export function networkError(cause: unknown, method: string, url: string, signal?: AbortSignal): PresignError {
  if (signal?.aborted) return abortError(signal);
  const text = String((cause as Error)?.message);
  // A runtime's error may quote the URL it was given, or a header value it refused (undici:
  // `Headers.append: "..." is an invalid header value`, and a signed header can be an SSE-C key):
  // what it quotes is dropped, and the signature of the URL redacted, before it becomes the cause.
  const safe = redactUrl(text.replace(/".*"/gs, ''));
  return new PresignError('ERR_NETWORK', `No response to ${target(method, url)}`, {
    cause: text === safe ? cause : Error(safe),
    hint: typeof document === 'object' ? 'or CORS: the bucket must allow this origin' : undefined,
  });
}

/** `ERR_ABORTED`, with the signal's reason as its cause. */
export const abortError = (signal: AbortSignal | undefined): PresignError =>
  new PresignError('ERR_ABORTED', 'Aborted', { cause: signal?.reason });
