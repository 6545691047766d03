/**
 * The handler's refusals: a code and an HTTP status, and a message written for the caller. Nothing
 * else of a failure reaches the response (no S3 error body, no URL, no stack, no secret).
 */

/** The codes a handler response's `error.code` carries, and their statuses. */
export const HANDLER_ERRORS = {
  ERR_BAD_REQUEST: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN: 403,
  ERR_UNKNOWN_ROUTE: 404,
  ERR_UPLOAD_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_TOO_LARGE: 413,
  ERR_TYPE_NOT_ALLOWED: 415,
  ERR_VERIFICATION_FAILED: 422,
  ERR_INTERNAL: 500,
  ERR_STORAGE: 502,
} as const;

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
