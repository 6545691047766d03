/**
 * `s3-presign/consumer/post`: form uploads from a presigned POST policy. The policy's conditions are
 * checked before the file is sent, so a file S3 would refuse fails with a coded error without a
 * byte on the wire. A subpath of its own, so that pages that only upload and download never carry it.
 *
 * @example
 * ```ts
 * import { submitPost } from 's3-presign/consumer/post';
 *
 * const post = await (await fetch('/api/post-policy')).json();
 * const { key } = await submitPost(post, file);
 * ```
 * @module s3-presign/consumer/post
 */
export type { PostCondition, PresignedPost } from '../../contract/post.js';
export { type PostFile, type SubmitPostOptions, type SubmitPostResult, submitPost } from './submit-post.js';
