export type {
  CompletedPart,
  ListedPart,
  MultipartUpload,
  PresignedMultipart,
  PresignedPart,
} from './contract/multipart.js';
export type { PostCondition, PresignedPost } from './contract/post.js';
export type { PresignedMethod, PresignedRequest } from './contract/request.js';
export type { PresignErrorCode, PresignErrorOptions, S3ErrorFields } from './errors.js';
export { isPresignError, PresignError, redactUrl } from './errors.js';
export type {
  AbortMultipartOptions,
  CompletedMultipart,
  CompleteMultipartOptions,
  ListPartsOptions,
  MultipartObjectOptions,
  PresignMultipartOptions,
  PresignPartsOptions,
  UploadTarget,
} from './producer/multipart.js';
export type { PresignPostOptions } from './producer/post.js';
export { createPresigner } from './producer/presigner.js';
export type { Presigner } from './producer/presigner-interface.js';
export type {
  CannedAcl,
  ChecksumAlgorithm,
  CommonOptions,
  ConditionalReadOptions,
  Credentials,
  CredentialsProvider,
  DeleteOptions,
  GetOptions,
  HeadOptions,
  PresignerOptions,
  PresignOptions,
  PutOptions,
  S3ClientLike,
  ServerSideEncryption,
  StorageClass,
} from './producer/types.js';
