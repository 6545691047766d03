/**
 * `s3-presign/server`: the upload handler, one route for authorised, size- and type-limited,
 * verified, resumable browser uploads (docs/upload-handler.md). Pair it with `uploadFile` from
 * `s3-presign/consumer/upload`.
 *
 * @module s3-presign/server
 */
export type { HandlerErrorCode } from './errors.js';
export { HANDLER_ERRORS } from './errors.js';
export { createUploadHandler } from './handler.js';
export { PROTOCOL_VERSION } from './protocol.js';
export type {
  CompletedUpload,
  DeclaredFile,
  MultipartRoute,
  NodeRequest,
  NodeResponse,
  UploadAuth,
  UploadHandler,
  UploadHandlerOptions,
  UploadRoute,
} from './types.js';
