/**
 * S3 POST policy rules shared by both halves: the condition shapes, how S3 matches a form field
 * against them, and the presigned POST contract. Web APIs only (the consumer imports this file).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import { PresignError } from '../errors.js';

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

/** The decoded `policy` field. */
export interface PostPolicy {
  expiration: string;
  conditions: PostCondition[];
}

/** A condition in one shape: field names lower-cased, without the `$`. */
export type ParsedCondition =
  | { operator: 'eq' | 'starts-with'; field: string; value: string }
  | { operator: 'content-length-range'; min: number; max: number };

/** The operators S3 knows; anything else makes S3 refuse the whole policy. */
export const POST_OPERATORS = ['eq', 'starts-with', 'content-length-range'] as const;

/** Fields S3 does not match against the policy: every other field sent needs a condition. */
export function isExemptField(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'x-amz-signature' || lower === 'file' || lower === 'policy' || lower.startsWith('x-ignore-');
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks one condition's shape and operator; throws `ERR_INVALID_POLICY` on anything S3 would refuse. */
export function parseCondition(condition: unknown): ParsedCondition {
  // Messages name the operator and field, never the value (it may be the session token).
  const bad = (why: string) => new PresignError('ERR_INVALID_POLICY', `A POST policy condition ${why}`);
  if (Array.isArray(condition)) {
    const [operator, a, b] = condition as unknown[];
    const what = `[${JSON.stringify(operator)}, ${typeof a === 'string' ? JSON.stringify(a) : '...'}, ...]`;
    if (!(POST_OPERATORS as readonly unknown[]).includes(operator)) {
      throw bad(`${what} has an unknown operator; S3 knows ${POST_OPERATORS.join(', ')} and { field: value }`);
    }
    if (condition.length !== 3) throw bad(`${what} needs exactly two operands`);
    if (operator === 'content-length-range') {
      if (!isSize(a) || !isSize(b) || a > b) throw bad(`${what} needs two whole byte counts, min <= max`);
      return { operator, min: a, max: b };
    }
    if (typeof a !== 'string' || a.length < 2 || a[0] !== '$' || typeof b !== 'string') {
      throw bad(`${what} needs a "$field" and a string value`);
    }
    return { operator: operator as 'eq' | 'starts-with', field: a.slice(1).toLowerCase(), value: b };
  }
  const entries = typeof condition === 'object' && condition !== null ? Object.entries(condition) : [];
  const [field, value] = entries[0] ?? [];
  if (entries.length !== 1 || field === undefined || typeof value !== 'string') {
    throw bad('is [operator, "$field", value] or an object with one field and a string value');
  }
  return { operator: 'eq', field: field.toLowerCase(), value };
}

/**
 * Whether a form field's value meets a field condition, the way S3 matches it. A `starts-with` on
 * `Content-Type` treats a comma-separated value as a list whose every entry must match.
 */
export function fieldMatches(condition: ParsedCondition, value: string | undefined): boolean {
  if (condition.operator === 'content-length-range') return true;
  if (value === undefined) return condition.operator === 'starts-with' && condition.value === '';
  if (condition.operator === 'eq') return value === condition.value;
  if (condition.field === 'content-type') return value.split(',').every((item) => item.startsWith(condition.value));
  return value.startsWith(condition.value);
}

/** Field lookup by case-insensitive name. */
export function fieldValue(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(fields)) if (key.toLowerCase() === lower) return value;
  return undefined;
}
