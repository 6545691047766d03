/**
 * Every failure this library reports is a `PresignError` with a `code` from this closed union, so
 * callers branch on `error.code`, never on message text.
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
  | 'ERR_INVALID_BODY'
  | 'ERR_POLICY_SIZE'
  | 'ERR_POLICY_CONTENT_TYPE'
  | 'ERR_POLICY_KEY'
  | 'ERR_POLICY_CONDITION'
  // what happens on the wire
  | 'ERR_S3'
  | 'ERR_NETWORK'
  | 'ERR_ABORTED'
  | 'ERR_ETAG_UNREADABLE';

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

export interface PresignErrorOptions extends S3ErrorFields {
  cause?: unknown;
  /** What most likely caused this and how to fix it, when known. */
  hint?: string | undefined;
}

/**
 * The one error class of both halves. Its message and fields never carry a secret, a signature,
 * a credential or a session token: URLs in them are redacted with {@link redactUrl}.
 */
export class PresignError extends Error {
  // Declared, not initialised: the constructor copies them from `options` (a field the options do not
  // give reads as `undefined`), which keeps the class small in a browser bundle.
  declare readonly code: PresignErrorCode;
  /** What most likely caused this and how to fix it, when known. */
  declare readonly hint: string | undefined;
  declare readonly status: number | undefined;
  declare readonly s3Code: string | undefined;
  declare readonly s3Message: string | undefined;
  declare readonly requestId: string | undefined;

  constructor(code: PresignErrorCode, message: string, options: PresignErrorOptions = {}) {
    // `options` is also Error's: it sets `cause` when it has one.
    super(options.hint ? `${message} (${options.hint})` : message, options);
    Object.assign(this, options, { name: 'PresignError', code });
  }

  /** True for a `PresignError` from any copy of this library or any realm (iframe, worker, vm). */
  static is(value: unknown): value is PresignError {
    return (value as Error)?.name === 'PresignError' && typeof (value as PresignError).code === 'string';
  }
}

/** Type guard across realms; optionally narrows to one code. */
export function isPresignError<C extends PresignErrorCode>(
  value: unknown,
  code?: C,
): value is PresignError & { code: C } {
  return PresignError.is(value) && (code === undefined || value.code === code);
}

const SECRET_PARAMS = /([?&]X-Amz-(?:Signature|Credential|Security-Token)=)[^&#]*/gi;

/** Replaces the signature, credential and session token of a presigned URL with `REDACTED`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1REDACTED');
}
