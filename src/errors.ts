/**
 * Every failure this library reports is a {@link PresignError} with a `code` from this closed union,
 * so callers branch on `error.code`, never on message text.
 *
 * Input the producer refuses before signing: `ERR_INVALID_CREDENTIALS` (missing, malformed, or the
 * provider failed), `ERR_CREDENTIALS_EXPIRED` (temporary credentials expired, or expire before the
 * signature would), `ERR_INVALID_REGION`, `ERR_INVALID_ENDPOINT`, `ERR_INVALID_BUCKET` (missing or
 * against S3's naming rules), `ERR_INVALID_KEY` (empty, over 1024 UTF-8 bytes, or cannot travel in a
 * URL), `ERR_INVALID_EXPIRES` (not whole seconds in 1..604800, or over `maxExpiresIn`),
 * `ERR_INVALID_HEADER`, `ERR_UNSENDABLE_HEADER` (a forbidden or hop-by-hop header, which no browser or
 * `fetch` sends as signed; the consumer refuses to send one too), `ERR_INVALID_METADATA`, `ERR_INVALID_CHECKSUM`, `ERR_INVALID_OPTION` (any other
 * option), `ERR_INVALID_PART_SIZE`, `ERR_TOO_LARGE` (over S3's size limits), `ERR_INVALID_POLICY` (a
 * POST policy that no file could meet, or a malformed condition), `ERR_MISSING_CLIENT` (a call that
 * talks to S3 without an `S3Client`).
 *
 * Checks the consumer makes before any byte goes on the wire: `ERR_INVALID_DESCRIPTOR`, `ERR_EXPIRED`,
 * `ERR_NOT_YET_VALID`, `ERR_HEADER_MISMATCH` (an extra header changes a signed value),
 * `ERR_UNSIGNED_HEADER` (an unsigned `x-amz-*` header), `ERR_MISSING_SIGNED_HEADER`,
 * `ERR_BODY_SIZE_MISMATCH`, `ERR_INVALID_BODY`, `ERR_STREAM_UNSUPPORTED` (a stream body where the
 * runtime cannot send one with a `content-length`: Deno, browsers), `ERR_INVALID_CLOCK` (a `clockTolerance` that is not
 * seconds from 0 to 604800, a `now` that returns no finite time, a `serverTime` that is not one), and
 * for a presigned POST `ERR_POLICY_SIZE`, `ERR_POLICY_CONTENT_TYPE`, `ERR_POLICY_KEY`,
 * `ERR_POLICY_CONDITION`.
 *
 * What happens on the wire: `ERR_S3` (S3 refused; see `s3Code`, `status`, `requestId`),
 * `ERR_PRECONDITION_FAILED` (412: an `If-Match` / `If-None-Match` condition did not hold; never
 * retried), `ERR_CONDITIONAL_CONFLICT` (409 `ConditionalRequestConflict`: a concurrent conditional
 * write; retried only when `retry.statusCodes` has 409), `ERR_CHECKSUM_MISMATCH` (the bytes are not
 * those the checksum says: a download that does not match the object's, a completion whose object
 * checksum is not the parts'), `ERR_CHECKSUM_UNAVAILABLE` (a download asked to be verified that has no
 * checksum to compare with: a range, a composite multipart checksum, a header CORS does not expose),
 * `ERR_NETWORK`, `ERR_ABORTED` (the caller's `signal`), `ERR_ETAG_UNREADABLE` (the bucket's CORS
 * does not expose `ETag`), `ERR_REDIRECT` (the request was answered with a redirect, which the
 * consumer never follows: the body and signature would go to another address). S3's refusal of a
 * request whose signature or credentials expired is `ERR_EXPIRED` too, with S3's fields.
 *
 * What the upload handler answers (`s3-presign/server`; `uploadFile` rejects with the same code and
 * the HTTP `status`): `ERR_BAD_REQUEST` (400), `ERR_UNAUTHORIZED` (401), `ERR_FORBIDDEN` (403: a
 * token altered, expired or another user's), `ERR_UNKNOWN_ROUTE` and `ERR_UPLOAD_NOT_FOUND` (404),
 * `ERR_METHOD_NOT_ALLOWED` (405), `ERR_TOO_LARGE` (413), `ERR_TYPE_NOT_ALLOWED` (415),
 * `ERR_VERIFICATION_FAILED` (422: the object is not the file declared), `ERR_INTERNAL` (500),
 * `ERR_STORAGE` (502).
 */
export type PresignErrorCode =
  // input the producer refuses before signing
  | 'ERR_INVALID_CREDENTIALS'
  | 'ERR_CREDENTIALS_EXPIRED'
  | 'ERR_INVALID_REGION'
  | 'ERR_INVALID_ENDPOINT'
  | 'ERR_INVALID_BUCKET'
  | 'ERR_INVALID_KEY'
  | 'ERR_INVALID_EXPIRES'
  | 'ERR_INVALID_HEADER'
  | 'ERR_UNSENDABLE_HEADER'
  | 'ERR_INVALID_METADATA'
  | 'ERR_INVALID_CHECKSUM'
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_PART_SIZE'
  | 'ERR_TOO_LARGE'
  | 'ERR_INVALID_POLICY'
  | 'ERR_MISSING_CLIENT'
  // checks the consumer makes before any byte goes on the wire
  | 'ERR_INVALID_DESCRIPTOR'
  | 'ERR_EXPIRED'
  | 'ERR_NOT_YET_VALID'
  | 'ERR_HEADER_MISMATCH'
  | 'ERR_UNSIGNED_HEADER'
  | 'ERR_MISSING_SIGNED_HEADER'
  | 'ERR_BODY_SIZE_MISMATCH'
  | 'ERR_INVALID_CLOCK'
  | 'ERR_INVALID_BODY'
  | 'ERR_STREAM_UNSUPPORTED'
  | 'ERR_POLICY_SIZE'
  | 'ERR_POLICY_CONTENT_TYPE'
  | 'ERR_POLICY_KEY'
  | 'ERR_POLICY_CONDITION'
  // what happens on the wire
  | 'ERR_S3'
  | 'ERR_PRECONDITION_FAILED'
  | 'ERR_CONDITIONAL_CONFLICT'
  | 'ERR_CHECKSUM_MISMATCH'
  | 'ERR_CHECKSUM_UNAVAILABLE'
  | 'ERR_NETWORK'
  | 'ERR_ABORTED'
  | 'ERR_ETAG_UNREADABLE'
  | 'ERR_REDIRECT'
  // what the upload handler (s3-presign/server) answers, as uploadFile reports it
  | 'ERR_BAD_REQUEST'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_FORBIDDEN'
  | 'ERR_UNKNOWN_ROUTE'
  | 'ERR_UPLOAD_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_TYPE_NOT_ALLOWED'
  | 'ERR_VERIFICATION_FAILED'
  | 'ERR_STORAGE'
  | 'ERR_INTERNAL';

/** Fields parsed from S3's XML error body (`<Error><Code/><Message/><RequestId/></Error>`). */
export interface S3ErrorFields {
  /** HTTP status of the response. */
  status?: number | undefined;
  /** S3's `<Code>`, e.g. `SignatureDoesNotMatch`. */
  s3Code?: string | undefined;
  /** S3's `<Message>`. */
  s3Message?: string | undefined;
  /** S3's `<RequestId>` (or the `x-amz-request-id` header). */
  requestId?: string | undefined;
}

/** What a {@link PresignError} is constructed with besides its code and message. */
export interface PresignErrorOptions extends S3ErrorFields {
  /** The underlying error (a network failure, an SDK error), kept as the error's `cause`. */
  cause?: unknown;
  /** What most likely caused this and how to fix it, when known. */
  hint?: string | undefined;
  /** For a failed multipart upload: whether it is still open on S3 (see {@link PresignError.leftOpen}). */
  leftOpen?: boolean | undefined;
}

/**
 * The one error class of both halves. Its message and fields never carry a secret, a signature,
 * a credential or a session token: URLs in them are redacted with {@link redactUrl}.
 *
 * Branch on `code` (see {@link PresignErrorCode}), never on the message; across bundles or realms,
 * test with {@link isPresignError} rather than `instanceof`.
 *
 * @example
 * ```ts
 * try {
 *   await upload(put, file);
 * } catch (error) {
 *   if (isPresignError(error, 'ERR_S3') && error.s3Code === 'AccessDenied') showLoginAgain();
 *   else throw error;
 * }
 * ```
 */
export class PresignError extends Error {
  // Declared, not initialised: the constructor copies them from `options` (a field the options do not
  // give reads as `undefined`), which keeps the class small in a browser bundle.
  /** What failed, from a closed union: the field to branch on. */
  declare readonly code: PresignErrorCode;
  /** What most likely caused this and how to fix it, when known. */
  declare readonly hint: string | undefined;
  /** HTTP status of S3's response, for `ERR_S3`. */
  declare readonly status: number | undefined;
  /** S3's error `<Code>`, e.g. `SignatureDoesNotMatch`, `AccessDenied`, `NoSuchUpload`. */
  declare readonly s3Code: string | undefined;
  /** S3's error `<Message>`. */
  declare readonly s3Message: string | undefined;
  /** S3's `<RequestId>` (or `x-amz-request-id`): what AWS support asks for. */
  declare readonly requestId: string | undefined;
  /**
   * Set when `uploadMultipart` fails: `false` when the upload is no longer open on S3 (aborted, or
   * gone), `true` when it is still open (kept by `keepOnFailure`, an abort that failed, or a completion
   * whose answer was lost and whose effect could not be seen). An open upload keeps its parts (and their
   * cost) until it is resumed, completed or aborted (`abortMultipart`), or a bucket lifecycle rule
   * (`AbortIncompleteMultipartUpload`) removes it.
   */
  declare readonly leftOpen: boolean | undefined;

  /**
   * Creates an error; the library's own are made this way, and so may code that wraps it (e.g. to
   * report a failure of its own with the same codes).
   *
   * @param code What failed.
   * @param message What failed, for people (with `options.hint` appended in parentheses). It must
   *   not contain a secret: pass URLs through {@link redactUrl} first.
   * @param options The `cause`, a `hint`, and S3's error fields.
   * @example
   * ```ts
   * throw new PresignError('ERR_INVALID_OPTION', 'maxSize must be set for public uploads', {
   *   hint: 'pass maxSize to presignPost',
   * });
   * ```
   */
  constructor(code: PresignErrorCode, message: string, options: PresignErrorOptions = {}) {
    // `options` is also Error's: it sets `cause` when it has one.
    super(options.hint ? `${message} (${options.hint})` : message, options);
    Object.assign(this, options, { name: 'PresignError', code });
  }

  /**
   * True for a `PresignError` from any copy of this library or any realm (iframe, worker, vm), where
   * `instanceof` would say false.
   *
   * @param value Anything caught.
   * @returns Whether it is a `PresignError` (by its name and a string `code`).
   * @example
   * ```ts
   * if (PresignError.is(error)) console.warn(error.code, error.message);
   * ```
   */
  static is(value: unknown): value is PresignError {
    return (value as Error)?.name === 'PresignError' && typeof (value as PresignError).code === 'string';
  }
}

/**
 * Whether `value` is a {@link PresignError} (from any copy of this library or any realm), and, when
 * `code` is given, one with that code: a type guard that narrows `error.code`.
 *
 * @param value Anything caught.
 * @param code The one code to accept.
 * @returns Whether `value` is a `PresignError` (with `code`, when given).
 * @example
 * ```ts
 * try {
 *   await upload(put, file);
 * } catch (error) {
 *   if (isPresignError(error, 'ERR_EXPIRED')) return retryWithFreshUrl();
 *   throw error;
 * }
 * ```
 */
export function isPresignError<C extends PresignErrorCode>(
  value: unknown,
  code?: C,
): value is PresignError & {
  /** The code asked for. */
  code: C;
} {
  return PresignError.is(value) && (!code || value.code === code);
}

// `X-Amz-Signature=`, `X-Amz-Credential=`, `X-Amz-Security-Token=` in any letter case, the `=` raw or
// percent-encoded once or more (`%3D`, `%253D`: a URL quoted inside another URL's query); the value
// runs to the next `&` or `%26`, or to white space (a deeper-encoded `&` is redacted over: too much
// hidden, never too little). Written for bytes: the consumer bundles it, within budget.
const SECRET_PARAMS = /(x-amz-(signature|credential|security-token)(=|%(25)*3d))([^%&\s]|%(?!26))*/gi;

/**
 * Replaces the signature, credential and session token of a presigned URL with `REDACTED`, so the
 * URL can be logged or shown: what the library does to every URL it puts in an error. The parameters
 * are found in any letter case, with their `=` raw or percent-encoded once or more (as when a URL is
 * quoted inside another URL's query). Anything else in the string is kept as it is.
 *
 * @param url A presigned URL, or any text that contains some.
 * @returns The text with `X-Amz-Signature`, `X-Amz-Credential` and `X-Amz-Security-Token` redacted.
 * @example
 * ```ts
 * logger.info({ url: redactUrl(get.url) });
 * // https://bucket.s3.eu-west-1.amazonaws.com/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&...&X-Amz-Signature=REDACTED
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1REDACTED');
}
