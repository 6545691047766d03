/**
 * The multipart operations, in one module for the presigner that delegates to them (and the
 * producer entry that re-exports their option types). Each has its file here: create.ts
 * (CreateMultipartUpload and the first signatures), parts.ts (part signing), control.ts (complete,
 * abort), list.ts (ListParts), options.ts (their options).
 */

export { abortMultipart, completeMultipart } from './control.js';
export { presignMultipart } from './create.js';
export { listParts } from './list.js';
export type {
  AbortMultipartOptions,
  CompletedMultipart,
  CompleteMultipartOptions,
  ListPartsOptions,
  MultipartObjectOptions,
  PresignMultipartOptions,
  PresignPartsOptions,
  UploadTarget,
} from './options.js';
export { presignParts } from './parts.js';
