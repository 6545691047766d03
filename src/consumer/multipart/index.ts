// `s3-presign/consumer/multipart`: the concurrent, resumable multipart uploader. A subpath of its
// own, so that pages that only upload and download never carry it.
export type { CompletedPart, MultipartUpload, PresignedPart } from '../../contract/multipart.js';
export {
  type MultipartBody,
  type MultipartOptions,
  type MultipartResult,
  type MultipartState,
  uploadMultipart,
} from './upload-multipart.js';
