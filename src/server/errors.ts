import type { PresignErrorCode } from '../errors.js';

/**
 * The handler's refusals: a code and an HTTP status, and a message written for the caller. Nothing
 * else of a failure reaches the response (no S3 error body, no URL, no stack, no secret).
 */

/** The codes a handler response's `error.code` carries, and their statuses. */
export const HANDLER_ERRORS = {
  /** Not a call of protocol version 1 (shape, version, content type, body size). */
  ERR_BAD_REQUEST: 400,
  /** `authorize` returned no caller. */
  ERR_UNAUTHORIZED: 401,
  /** The token was altered, has expired, or belongs to another caller: nothing was signed. */
  ERR_FORBIDDEN: 403,
  /** No route of that name. */
  ERR_UNKNOWN_ROUTE: 404,
  /** S3 no longer has the multipart upload (completed, aborted or expired): start again. */
  ERR_UPLOAD_NOT_FOUND: 404,
  /** The endpoint takes POST only. */
  ERR_METHOD_NOT_ALLOWED: 405,
  /** The route is create-only (`createOnly`) and an object exists under the key. */
  ERR_PRECONDITION_FAILED: 412,
  /** The file is over the route's `maxSize` (or S3's limits). */
  ERR_TOO_LARGE: 413,
  /** The file's type is not one of the route's `contentTypes`. */
  ERR_TYPE_NOT_ALLOWED: 415,
  /** The object is missing or is not the file declared (it was deleted). */
  ERR_VERIFICATION_FAILED: 422,
  /** A route callback failed; `onError` was told. */
  ERR_INTERNAL: 500,
  /** S3 refused or could not be reached; `onError` was told. */
  ERR_STORAGE: 502,
} as const satisfies Partial<Record<PresignErrorCode, number>>;

/** A code of {@link HANDLER_ERRORS}. */
export type HandlerErrorCode = keyof typeof HANDLER_ERRORS;

/** A refusal the handler answers with `{ v, serverTime, error: { code, message } }`. */
export class HandlerRefusal extends Error {
  readonly code: HandlerErrorCode;
  readonly status: number;

  constructor(code: HandlerErrorCode, message: string) {
    super(message);
    this.name = 'HandlerRefusal';
    this.code = code;
    this.status = HANDLER_ERRORS[code];
  }
}
