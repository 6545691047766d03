/**
 * `s3-presign/consumer/upload`: `uploadFile`, the browser side of the upload handler
 * (`createUploadHandler` of `s3-presign/server`). Zero dependencies; authorisation, limits and
 * verification are the server's, resume after a reload is kept in `localStorage` by default.
 *
 * @example
 * ```ts
 * import { uploadFile } from 's3-presign/consumer/upload';
 *
 * const { key, result } = await uploadFile(file, { endpoint: '/api/upload', route: 'avatar' });
 * ```
 * @module s3-presign/consumer/upload
 */
export type { PresignErrorCode } from '../../errors.js';
export { isPresignError, PresignError } from '../../errors.js';
export type { Progress, RetryOptions } from '../types.js';
export type { ResumeStore, UploadFileOptions, UploadFileResult } from './types.js';
export { uploadFile } from './upload-file.js';
