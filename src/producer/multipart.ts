/**
 * The multipart operations, in one module for the presigner that delegates to them (and the
 * producer entry that re-exports their option types). Each lives in multipart/: create.ts
 * (CreateMultipartUpload and the first signatures), parts.ts (part signing), control.ts (complete,
 * abort), list.ts (ListParts), options.ts (their options).
 */

export { abortMultipart, completeMultipart } from './multipart/control.js';
export { presignMultipart } from './multipart/create.js';
export { listParts } from './multipart/list.js';
export type {
  AbortMultipartOptions,
  CompletedMultipart,
  CompleteMultipartOptions,
  ListPartsOptions,
  MultipartObjectOptions,
  PresignMultipartOptions,
  PresignPartsOptions,
  UploadTarget,
} from './multipart/options.js';
export { presignParts } from './multipart/parts.js';
