/**
 * The public face of a presigner: what `createPresigner` returns. Each method's documentation says
 * what it signs or calls, its defaults, the `PresignError` codes it rejects with, and shows a call.
 */
import type { ListedPart, PresignedMultipart, PresignedPart } from '../contract/multipart.js';
import type { PresignedPost } from '../contract/post.js';
import type { PresignedRequest } from '../contract/request.js';
import type {
  AbortMultipartOptions,
  CompletedMultipart,
  CompleteMultipartOptions,
  ListPartsOptions,
  PresignMultipartOptions,
  PresignPartsOptions,
} from './multipart.js';
import type { PresignPostOptions } from './post.js';
import type { DeleteOptions, GetOptions, HeadOptions, PresignOptions, PutOptions } from './types.js';

export interface Presigner {
  /** Presign a GetObject. */
  presignGet(options: GetOptions): Promise<PresignedRequest>;
  /** Presign a PutObject: every header asked for is signed, so S3 enforces it. */
  presignPut(options: PutOptions): Promise<PresignedRequest>;
  /** Presign a HeadObject. */
  presignHead(options: HeadOptions): Promise<PresignedRequest>;
  /** Presign a DeleteObject. */
  presignDelete(options: DeleteOptions): Promise<PresignedRequest>;
  /** Presign any request: method, key, query and headers as given (for operations not named above). */
  presign(options: PresignOptions): Promise<PresignedRequest>;
  /**
   * Start a multipart upload (CreateMultipartUpload through `client`) and presign its parts,
   * `complete` and `abort`. Needs `client`.
   */
  presignMultipart(options: PresignMultipartOptions): Promise<PresignedMultipart>;
  /** Presign more parts of an upload, e.g. lazily, or again after their signatures expired. */
  presignParts(options: PresignPartsOptions): Promise<PresignedPart[]>;
  /** CompleteMultipartUpload through `client`. */
  completeMultipart(options: CompleteMultipartOptions): Promise<CompletedMultipart>;
  /** AbortMultipartUpload through `client`: the parts stop costing storage. */
  abortMultipart(options: AbortMultipartOptions): Promise<void>;
  /** ListParts through `client`, every page: what a resumed upload can skip. */
  listParts(options: ListPartsOptions): Promise<ListedPart[]>;
  /** Presign a POST policy: a browser form upload with size, type and key limits S3 enforces. */
  presignPost(options: PresignPostOptions): Promise<PresignedPost>;
}
