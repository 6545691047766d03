export type { PresignedMethod, PresignedRequest } from '../descriptor.js';
export type { PresignErrorCode, S3ErrorFields } from '../errors.js';
export { isPresignError, PresignError, redactUrl } from '../errors.js';
