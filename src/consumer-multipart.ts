// `s3-presign/consumer/multipart`: the concurrent, resumable multipart uploader. A subpath of its
// own, so that pages that only upload and download never carry it.
export {
  type MultipartBody,
  type MultipartOptions,
  type MultipartPartRequest,
  type MultipartResult,
  type MultipartState,
  type MultipartUpload,
  type UploadedPart,
  uploadMultipart,
} from './consumer/multipart.js';
