/**
 * S3 POST policy rules shared by both halves: the condition shapes, how S3 matches a form field
 * against them, and the presigned POST contract. Web APIs only (the consumer imports this file).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import { PresignError } from '../errors.js';

/** A condition in one shape: field names lower-cased, without the `$`. */
export type ParsedCondition =
  | { operator: 'eq' | 'starts-with'; field: string; value: string }
  | { operator: 'content-length-range'; min: number; max: number };

/** The operators S3 knows; anything else makes S3 refuse the whole policy. */
export const POST_OPERATORS = ['eq', 'starts-with', 'content-length-range'] as const;

/** The placeholder S3 replaces with the name of the posted file, in the `key` field. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal placeholder, not a template
export const FILENAME_PLACEHOLDER = '${filename}';

/**
 * Form fields the signer writes (SigV4 POST): a caller's `fields` and `conditions` never name them,
 * and their values are never quoted in an error (the session token is one).
 */
export const POST_FIELD = {
  algorithm: 'x-amz-algorithm',
  credential: 'x-amz-credential',
  date: 'x-amz-date',
  securityToken: 'x-amz-security-token',
  policy: 'policy',
  signature: 'x-amz-signature',
} as const;
export const POST_SIGNER_FIELDS: readonly string[] = Object.values(POST_FIELD);

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
