/**
 * The POST policy's fields and conditions, built from `presignPost`'s options and checked before any
 * signing: the key (exact or under a prefix), the content type, the object fields, the size range,
 * the caller's own conditions and fields, and that every field the signer sends meets them.
 */
import type { PostCondition } from '../../contract/post.js';
import { PresignError } from '../../errors.js';
import { describe, readDate, readOneOf, readOptions, readRecord, refuse } from '../../s3/check.js';
import {
  assertHeaderName,
  CANNED_ACLS,
  checksumHeader,
  headerValue,
  metadataHeaders,
  oneOf,
} from '../../s3/headers.js';
import { assertObjectKey } from '../../s3/key.js';
import { MAX_PUT_SIZE } from '../../s3/limits.js';
import {
  FILENAME_PLACEHOLDER,
  fieldMatches,
  isExemptField,
  type ParsedCondition,
  POST_SIGNER_FIELDS,
  parseCondition,
} from '../../s3/post-policy.js';
import { tagsOf } from '../../s3/tagging.js';
import { escapeXml } from '../../s3/xml.js';
import type { PresignPostOptions } from './options.js';

/** S3 takes at most 5 GiB in one POST, as in one PUT. */
const MAX_POST_SIZE = MAX_PUT_SIZE;

// Form field names, as AWS's SigV4 POST documentation spells them.
const F_KEY = 'key';
const F_CONTENT_TYPE = 'Content-Type';

/** Fields only the signer sets: neither `fields` nor `conditions` may name them. */
const SIGNER_FIELDS = new Set([F_KEY, 'bucket', 'file', ...POST_SIGNER_FIELDS]);

export interface Draft {
  /** Form fields, insertion-ordered, names as sent. */
  fields: Record<string, string>;
  /** Conditions, in policy order. */
  conditions: PostCondition[];
  /** Lower-case names of fields the conditions cover. */
  covered: Set<string>;
}

function addField(draft: Draft, name: string, value: string, condition: PostCondition = { [name]: value }): void {
  setField(draft, name, value);
  draft.conditions.push(condition);
  draft.covered.add(name.toLowerCase());
}

/** defineProperty: a field named `__proto__` is a field, not the object's prototype. */
function setField(draft: Draft, name: string, value: string): void {
  Object.defineProperty(draft.fields, name, { value, enumerable: true, writable: true, configurable: true });
}

function size(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    refuse(what, 'a whole number of bytes', value, 'ERR_INVALID_POLICY');
  }
  if (value > MAX_POST_SIZE) {
    throw new PresignError(
      'ERR_TOO_LARGE',
      `${what} is ${value} bytes; S3 takes at most ${MAX_POST_SIZE} (5 GiB) in one POST`,
      { hint: 'use a multipart upload for larger files' },
    );
  }
  return value;
}

function sizeRange(options: PresignPostOptions): [number, number] | undefined {
  if (options.minSize === undefined && options.maxSize === undefined) return undefined;
  const min = options.minSize === undefined ? 0 : size('minSize', options.minSize);
  const max = options.maxSize === undefined ? MAX_POST_SIZE : size('maxSize', options.maxSize);
  if (min > max) {
    throw new PresignError('ERR_INVALID_POLICY', `minSize (${min}) is over maxSize (${max}): no file could match`);
  }
  return [min, max];
}

function keyFields(options: PresignPostOptions, draft: Draft): void {
  const { key, keyPrefix } = options;
  if (keyPrefix === undefined) {
    assertObjectKey(key);
    if (key.endsWith(FILENAME_PLACEHOLDER)) {
      // As the AWS SDK does: the part before ${filename} is fixed, the file's name completes it.
      addField(draft, F_KEY, key, ['starts-with', '$key', key.slice(0, -FILENAME_PLACEHOLDER.length)]);
    } else {
      addField(draft, F_KEY, key);
    }
    return;
  }
  if (typeof keyPrefix !== 'string' || keyPrefix === '') {
    throw new PresignError('ERR_INVALID_KEY', `keyPrefix must be a non-empty string, got ${describe(keyPrefix)}`, {
      hint: "to let the page write any key in the bucket, say so: conditions: [['starts-with', '$key', '']]",
    });
  }
  const value = key ?? keyPrefix + FILENAME_PLACEHOLDER;
  assertObjectKey(value);
  if (!value.startsWith(keyPrefix)) {
    throw new PresignError(
      'ERR_INVALID_KEY',
      `The key ${JSON.stringify(value)} is outside keyPrefix ${JSON.stringify(keyPrefix)}`,
    );
  }
  addField(draft, F_KEY, value, ['starts-with', '$key', keyPrefix]);
}

function contentTypeFields(options: PresignPostOptions, draft: Draft): void {
  const { contentType, contentTypePrefix } = options;
  let prefix: string | undefined;
  if (contentTypePrefix !== undefined) {
    if (typeof contentTypePrefix !== 'string') refuse('contentTypePrefix', 'a string', contentTypePrefix);
    prefix = contentTypePrefix === '' ? '' : headerValue('contentTypePrefix', contentTypePrefix);
  }
  if (contentType === undefined) {
    if (prefix !== undefined) {
      draft.conditions.push(['starts-with', `$${F_CONTENT_TYPE}`, prefix]);
      draft.covered.add(F_CONTENT_TYPE.toLowerCase());
    }
    return;
  }
  const value = headerValue('contentType', contentType);
  if (prefix === undefined) {
    addField(draft, F_CONTENT_TYPE, value);
    return;
  }
  if (!value.split(',').every((item) => item.startsWith(prefix))) {
    throw new PresignError(
      'ERR_INVALID_POLICY',
      `contentType ${JSON.stringify(value)} does not start with contentTypePrefix ${JSON.stringify(prefix)}`,
    );
  }
  // The field is a default the page may change within the prefix.
  addField(draft, F_CONTENT_TYPE, value, ['starts-with', `$${F_CONTENT_TYPE}`, prefix]);
}

/** POST takes tags as S3's `<Tagging>` XML, not the `k=v&k2=v2` form a PUT header takes. */
function taggingXml(value: unknown): string {
  if (typeof value === 'string') {
    if (!value.trimStart().startsWith('<Tagging')) {
      throw new PresignError('ERR_INVALID_OPTION', 'tagging as a string must be S3 <Tagging> XML; or pass a record');
    }
    return headerValue('tagging', value);
  }
  const tags = tagsOf(value).map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`);
  return `<Tagging><TagSet>${tags.join('')}</TagSet></Tagging>`;
}

function redirectUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new PresignError('ERR_INVALID_OPTION', 'successActionRedirect must be an absolute http(s) URL');
  }
  return headerValue('successActionRedirect', value);
}

function objectFields(options: PresignPostOptions, draft: Draft): void {
  if (options.successActionStatus !== undefined && options.successActionRedirect !== undefined) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      'successActionStatus and successActionRedirect exclude each other (S3 ignores the status when it redirects)',
    );
  }
  if (options.acl !== undefined) addField(draft, 'acl', oneOf('acl', options.acl, CANNED_ACLS));
  if (options.successActionStatus !== undefined) {
    const status = readOneOf('successActionStatus', options.successActionStatus, [200, 201, 204]);
    addField(draft, 'success_action_status', String(status));
  }
  if (options.successActionRedirect !== undefined) {
    addField(draft, 'success_action_redirect', redirectUrl(options.successActionRedirect));
  }
  if (options.cacheControl !== undefined) {
    addField(draft, 'Cache-Control', headerValue('cacheControl', options.cacheControl));
  }
  if (options.contentDisposition !== undefined) {
    addField(draft, 'Content-Disposition', headerValue('contentDisposition', options.contentDisposition));
  }
  if (options.metadata !== undefined) {
    const headers: Record<string, string> = {};
    metadataHeaders(options.metadata, headers);
    for (const [name, value] of Object.entries(headers)) addField(draft, name, value);
  }
  if (options.tagging !== undefined) addField(draft, 'tagging', taggingXml(options.tagging));
  if (options.checksum !== undefined) {
    const [name, value] = checksumHeader(options.checksum);
    addField(draft, name, value);
  }
}

function signerOwned(field: string): boolean {
  return SIGNER_FIELDS.has(field) || isExemptField(field);
}

function extraConditions(options: PresignPostOptions, draft: Draft, hasRange: boolean): ParsedCondition[] {
  if (options.conditions === undefined) return [];
  if (!Array.isArray(options.conditions)) {
    throw new PresignError('ERR_INVALID_POLICY', 'conditions must be an array of POST policy conditions');
  }
  const parsed: ParsedCondition[] = [];
  for (const condition of options.conditions) {
    const p = parseCondition(condition);
    if (p.operator === 'content-length-range') {
      if (hasRange) {
        throw new PresignError(
          'ERR_INVALID_POLICY',
          'Give the size range once: minSize/maxSize, or a content-length-range condition',
        );
      }
      size('content-length-range maximum', p.max);
      hasRange = true;
    } else if (p.field !== F_KEY && signerOwned(p.field)) {
      throw new PresignError('ERR_INVALID_POLICY', `The ${p.field} field is the signer's; a condition cannot name it`);
    } else {
      draft.covered.add(p.field);
    }
    parsed.push(p);
    draft.conditions.push(condition);
  }
  return parsed;
}

function extraFields(options: PresignPostOptions, draft: Draft): void {
  if (options.fields === undefined) return;
  const entries = readRecord('fields', options.fields);
  const taken = new Set(Object.keys(draft.fields).map((name) => name.toLowerCase()));
  for (const [name, raw] of entries) {
    if (raw === undefined) continue;
    assertHeaderName(name);
    const lower = name.toLowerCase();
    if (signerOwned(lower)) {
      throw new PresignError('ERR_INVALID_OPTION', `The ${name} field is set by the signer, not \`fields\``);
    }
    if (taken.has(lower)) {
      throw new PresignError('ERR_INVALID_OPTION', `The ${name} field is already set by an option`);
    }
    taken.add(lower);
    const value = headerValue(name, raw);
    if (draft.covered.has(lower)) {
      setField(draft, name, value);
    } else {
      addField(draft, name, value);
    }
  }
}

/** Every field the signer sends must meet every condition on it, or S3 refuses its own policy. */
function assertConsistent(draft: Draft, parsed: ParsedCondition[]): void {
  for (const condition of parsed) {
    if (condition.operator === 'content-length-range') continue;
    const value = Object.entries(draft.fields).find(([name]) => name.toLowerCase() === condition.field)?.[1];
    if (value !== undefined && !fieldMatches(condition, value)) {
      throw new PresignError(
        condition.field === F_KEY ? 'ERR_INVALID_KEY' : 'ERR_INVALID_POLICY',
        `The ${condition.field} field ${JSON.stringify(value)} breaks the condition ${condition.operator} ${JSON.stringify(condition.value)}`,
      );
    }
  }
}

/** Validates the options and builds the fields and conditions, before any signing. */
export function draftOf(options: PresignPostOptions): Draft {
  readOptions('presignPost', options, ' with a `key` or a `keyPrefix`');
  if (options.signingDate !== undefined) readDate('signingDate', options.signingDate);
  const draft: Draft = { fields: {}, conditions: [], covered: new Set() };
  const range = sizeRange(options);
  keyFields(options, draft);
  contentTypeFields(options, draft);
  objectFields(options, draft);
  if (range !== undefined) draft.conditions.push(['content-length-range', range[0], range[1]]);
  const parsed = extraConditions(options, draft, range !== undefined);
  extraFields(options, draft);
  assertConsistent(draft, parsed);
  return draft;
}
