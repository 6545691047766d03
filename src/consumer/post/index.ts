// `s3-presign/consumer/post`: form uploads from a presigned POST policy. A subpath of its own, so
// that pages that only upload and download never carry it.
export type { PostCondition, PresignedPost } from '../../contract/post.js';
export { type PostFile, type SubmitPostOptions, type SubmitPostResult, submitPost } from './submit-post.js';
