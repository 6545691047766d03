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
  DownloadOptions,
  DownloadResult,
  Progress,
  RequestOptions,
  RetryOptions,
  UploadBody,
  UploadOptions,
  UploadResult,
} from './types.js';
export { upload } from './upload.js';
