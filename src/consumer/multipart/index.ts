// `s3-presign/consumer/multipart`: the concurrent, resumable multipart uploader. A subpath of its
// own, so that pages that only upload and download never carry it.
export type { CompletedPart, MultipartUpload, PresignedPart } from '../../contract/multipart.js';
export type { CompletionAnswer, MultipartBody, MultipartOptions, MultipartResult, MultipartState } from './types.js';
export { uploadMultipart } from './upload-multipart.js';
