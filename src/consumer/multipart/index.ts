/**
 * `s3-presign/consumer/multipart`: the concurrent, resumable multipart uploader. Parts are sent a few
 * at a time, each retried and re-signed on its own; the upload completes on S3, or is aborted there
 * when it fails (unless `keepOnFailure`). A subpath of its own, so that pages that only upload and
 * download never carry it.
 *
 * @example
 * ```ts
 * import { uploadMultipart } from 's3-presign/consumer/multipart';
 *
 * const descriptor = await (await fetch('/api/multipart', { method: 'POST' })).json();
 * const { etag } = await uploadMultipart(descriptor, file, { onProgress: ({ percent }) => console.log(percent) });
 * ```
 * @module s3-presign/consumer/multipart
 */
export type { CompletedPart, MultipartUpload, PresignedPart } from '../../contract/multipart.js';
export type {
  CompletionAnswer,
  MultipartBody,
  MultipartOptions,
  MultipartResult,
  MultipartState,
  ObjectChecksum,
} from './types.js';
export { uploadMultipart } from './upload-multipart.js';
