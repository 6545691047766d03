/**
 * `s3-presign`: the producer, for servers in any runtime (Node, Bun, Deno, Workers, edge functions).
 * {@link createPresigner} makes a {@link Presigner}, whose methods return descriptors: a URL and the
 * exact headers it was signed with, plain JSON for a browser (or any client) to send with
 * `s3-presign/consumer`.
 *
 * @example
 * ```ts
 * import { createPresigner } from 's3-presign';
 *
 * const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials });
 * const put = await presigner.presignPut({ key: 'avatars/42.png', contentType: 'image/png' });
 * return Response.json(put); // { method, url, headers, expiresAt }
 * ```
 * @module s3-presign
 */
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
} from './producer/multipart/index.js';
export type { PresignPostOptions } from './producer/post/index.js';
export { createPresigner } from './producer/presigner.js';
export type { Presigner } from './producer/presigner-interface.js';
export type {
  CannedAcl,
  ChecksumAlgorithm,
  ChecksumType,
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
