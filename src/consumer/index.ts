/**
 * `s3-presign/consumer`: sends a descriptor exactly as it was signed, from a browser or any runtime
 * with `fetch`, with no dependency. {@link upload} and {@link download} check header parity and
 * expiry before any byte goes on the wire, and do progress, retries, refresh and abort. Multipart
 * uploads are in `s3-presign/consumer/multipart`, form uploads in `s3-presign/consumer/post`.
 *
 * @example
 * ```ts
 * import { upload } from 's3-presign/consumer';
 *
 * const put = await (await fetch('/api/presign?key=avatars/42.png')).json();
 * await upload(put, file, { onProgress: ({ percent }) => console.log(percent) });
 * ```
 * @module s3-presign/consumer
 */
export type { PresignedMethod, PresignedRequest } from '../contract/request.js';
export type { PresignErrorCode, S3ErrorFields } from '../errors.js';
export { isPresignError, PresignError, redactUrl } from '../errors.js';
export { parseDescriptor } from './descriptor.js';
export { download } from './download.js';
export type { PresignedUrlInfo } from './inspect.js';
export { inspectPresignedUrl } from './inspect.js';
export type {
  BodyForm,
  BodyOf,
  ChecksumCheck,
  DownloadOptions,
  DownloadResult,
  ParseDescriptorOptions,
  Progress,
  RequestOptions,
  RetryOptions,
  UploadBody,
  UploadOptions,
  UploadResult,
} from './types.js';
export { upload } from './upload.js';
