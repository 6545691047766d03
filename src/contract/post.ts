/**
 * The presigned POST: what a page needs to post a form straight to S3, plain JSON.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */

/**
 * One POST policy condition, as it appears in the policy JSON:
 * `{ "acl": "private" }` (exact match), `["eq", "$key", "a.txt"]`, `["starts-with", "$key", "user/"]`
 * or `["content-length-range", 1, 1048576]`. Field names are case-insensitive; values are not.
 */
export type PostCondition =
  | { [field: string]: string }
  | [operator: 'eq' | 'starts-with', field: `$${string}`, value: string]
  | [operator: 'content-length-range', min: number, max: number];

/** A presigned POST: what a page needs to post a form straight to S3. Plain JSON. */
export interface PresignedPost {
  /** Always `POST`: a form upload. */
  method: 'POST';
  /** Where the form goes: the bucket's URL (virtual-hosted or path-style), without the key. */
  url: string;
  /**
   * Form fields to send, in this order, before the file: `key`, the object fields, then
   * `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `x-amz-security-token` (temporary
   * credentials), `policy` and `x-amz-signature`.
   */
  fields: Record<string, string>;
  /** ISO 8601 UTC instant the policy stops working (its `expiration`). */
  expiresAt: string;
  /** The conditions of the signed policy, for display and checks (the `policy` field is authoritative). */
  conditions: PostCondition[];
}
