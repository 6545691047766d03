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

function invalid(message: string): PresignError {
  return new PresignError('ERR_INVALID_POLICY', message);
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks one condition's shape and operator; throws `ERR_INVALID_POLICY` on anything S3 would refuse. */
export function parseCondition(condition: unknown): ParsedCondition {
  if (Array.isArray(condition)) {
    const [operator, a, b] = condition as unknown[];
    if (typeof operator !== 'string' || !(POST_OPERATORS as readonly string[]).includes(operator.toLowerCase())) {
      throw invalid(
        `Unknown POST policy operator ${JSON.stringify(operator)}; S3 knows ${POST_OPERATORS.join(', ')} (and { field: value })`,
      );
    }
    if (condition.length !== 3) throw invalid(`The ${operator} condition takes exactly two operands`);
    const op = operator.toLowerCase() as (typeof POST_OPERATORS)[number];
    if (op === 'content-length-range') {
      if (!isSize(a) || !isSize(b)) {
        throw invalid('content-length-range takes two whole numbers of bytes, [min, max]');
      }
      if (a > b) throw invalid(`content-length-range has its minimum ${a} over its maximum ${b}`);
      return { operator: op, min: a, max: b };
    }
    if (typeof a !== 'string' || !a.startsWith('$') || a.length < 2) {
      throw invalid(`The ${op} condition names a field as "$name"; got ${JSON.stringify(a)}`);
    }
    if (typeof b !== 'string') throw invalid(`The ${op} condition on ${a} needs a string value`);
    return { operator: op, field: a.slice(1).toLowerCase(), value: b };
  }
  if (typeof condition === 'object' && condition !== null) {
    const entries = Object.entries(condition);
    const [entry] = entries;
    if (entries.length !== 1 || entry === undefined) {
      throw invalid('An exact-match condition is an object with exactly one field, e.g. { "acl": "private" }');
    }
    const [field, value] = entry;
    if (typeof value !== 'string') throw invalid(`The exact-match condition on ${field} needs a string value`);
    return { operator: 'eq', field: field.toLowerCase(), value };
  }
  throw invalid(`A POST policy condition is an object or an array; got ${JSON.stringify(condition)}`);
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
