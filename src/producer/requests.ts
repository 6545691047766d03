import { PresignError } from '../errors.js';
import {
  describe,
  isWellFormed,
  readBoolean,
  readDate,
  readInteger,
  readObject,
  readOneOf,
  readRecord,
  readString,
  readStringRecord,
  refuse,
} from '../s3/check.js';
import {
  assertHeaderName,
  CANNED_ACLS,
  checksumHeader,
  EXPECTED_OWNER,
  headerValue,
  isBase64OfLength,
  metadataHeaders,
  oneOf,
  ownerValue,
  STORAGE_CLASSES,
} from '../s3/headers.js';
import { MAX_PUT_SIZE } from '../s3/limits.js';
import { assertPartNumber } from '../s3/multipart-plan.js';
import { taggingHeader } from '../s3/tagging.js';
import { unsendableReason } from '../s3/unsendable-headers.js';
import { utf8Base64 } from '../sigv4/bytes.js';
import { uriEncode } from '../sigv4/encode.js';
import type { DeleteOptions, GetOptions, PresignOptions, PutOptions } from './types.js';

/** Query pairs (encoded) and headers (lower-case, canonical values) of one request to sign. */
export interface RequestParts {
  query: Array<readonly [string, string]>;
  headers: Record<string, string>;
}

/** Adds a query parameter, name and value RFC 3986-encoded (hoisted names may hold `&`, `#`, `+`). */
function param(parts: RequestParts, name: string, value: string): void {
  parts.query.push([uriEncode(name), uriEncode(value)]);
}

/**
 * What every call of one object takes besides its key (checked by sign()): bucket, lifetime, date,
 * and the bucket's expected owner, signed.
 */
export function commonOptions(
  options: { bucket?: unknown; expiresIn?: unknown; signingDate?: unknown; expectedBucketOwner?: unknown },
  parts: RequestParts,
): void {
  // The bucket and expiresIn are checked where they are resolved (with the presigner's defaults).
  if (options.signingDate !== undefined) readDate('signingDate', options.signingDate);
  if (options.expectedBucketOwner !== undefined)
    parts.headers[EXPECTED_OWNER] = ownerValue(options.expectedBucketOwner);
}

function httpDate(name: string, value: unknown): string {
  if (value instanceof Date) return readDate(name, value).toUTCString();
  if (typeof value !== 'string') refuse(name, 'a Date or an HTTP date string', value);
  return headerValue(name, value);
}

function partNumber(value: unknown): string {
  assertPartNumber(value);
  return String(value);
}

/** A string for the query: non-empty and with a UTF-8 form (the encoder needs one). */
function queryValue(name: string, value: unknown): string {
  return readString(name, value, true);
}

function rangeHeader(range: unknown): string {
  if (typeof range === 'string') {
    if (!/^bytes=(\d+-\d*|-\d+)(,\s*(\d+-\d*|-\d+))*$/.test(range)) {
      throw new PresignError('ERR_INVALID_HEADER', `range must look like "bytes=0-99", got ${describe(range)}`);
    }
    return range;
  }
  const { start, end } = readObject(
    'range',
    'a string like "bytes=0-99" or { start, end }',
    range,
    'ERR_INVALID_HEADER',
  );
  const first = readInteger('range.start', start, 0, Number.MAX_SAFE_INTEGER, 'ERR_INVALID_HEADER');
  if (end !== undefined) readInteger('range.end', end, first, Number.MAX_SAFE_INTEGER, 'ERR_INVALID_HEADER');
  return `bytes=${first}-${end ?? ''}`;
}

const RESPONSE_OVERRIDES = [
  ['responseContentType', 'response-content-type'],
  ['responseContentDisposition', 'response-content-disposition'],
  ['responseContentEncoding', 'response-content-encoding'],
  ['responseContentLanguage', 'response-content-language'],
  ['responseCacheControl', 'response-cache-control'],
] as const;

export function getRequest(options: GetOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  commonOptions(options, parts);
  if (options.versionId !== undefined) param(parts, 'versionId', queryValue('versionId', options.versionId));
  if (options.partNumber !== undefined) param(parts, 'partNumber', partNumber(options.partNumber));
  for (const [option, name] of RESPONSE_OVERRIDES) {
    const value = options[option];
    if (value !== undefined) param(parts, name, queryValue(option, value));
  }
  if (options.responseExpires !== undefined)
    param(parts, 'response-expires', httpDate('responseExpires', options.responseExpires));
  if (options.range !== undefined) parts.headers.range = rangeHeader(options.range);
  if (options.ifRange !== undefined) {
    if (options.range === undefined) {
      throw new PresignError('ERR_INVALID_HEADER', 'ifRange applies to a ranged GET: give range too');
    }
    parts.headers['if-range'] = httpDate('ifRange', options.ifRange);
  }
  if (options.checksumMode !== undefined && readBoolean('checksumMode', options.checksumMode))
    parts.headers['x-amz-checksum-mode'] = 'ENABLED';
  if (options.ifMatch !== undefined) parts.headers['if-match'] = headerValue('ifMatch', options.ifMatch);
  if (options.ifNoneMatch !== undefined)
    parts.headers['if-none-match'] = headerValue('ifNoneMatch', options.ifNoneMatch);
  return parts;
}

export function deleteRequest(options: DeleteOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  commonOptions(options, parts);
  if (options.versionId !== undefined) param(parts, 'versionId', queryValue('versionId', options.versionId));
  return parts;
}

function contentLength(value: unknown): string {
  return String(
    readInteger(
      'contentLength',
      value,
      0,
      MAX_PUT_SIZE,
      'ERR_INVALID_OPTION',
      " of bytes (S3's single-PUT limit is 5 GiB)",
    ),
  );
}

const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

/** The `x-amz-server-side-encryption*` headers. */
function sseHeaders(sse: unknown, h: Record<string, string>): void {
  const { algorithm, kmsKeyId, context, bucketKeyEnabled } = readObject(
    'serverSideEncryption',
    'an object { algorithm, kmsKeyId?, context?, bucketKeyEnabled? }',
    sse,
  );
  h['x-amz-server-side-encryption'] = readOneOf('serverSideEncryption.algorithm', algorithm, SSE_ALGORITHMS);
  if (algorithm === 'AES256' && (kmsKeyId !== undefined || context !== undefined)) {
    throw new PresignError('ERR_INVALID_OPTION', 'kmsKeyId and context apply to the aws:kms algorithms only');
  }
  if (kmsKeyId !== undefined)
    h['x-amz-server-side-encryption-aws-kms-key-id'] = headerValue('serverSideEncryption.kmsKeyId', kmsKeyId);
  if (context !== undefined) {
    // A record of strings only: JSON of it always exists (no cycle, no bigint) and says what was given.
    const entries = readStringRecord('serverSideEncryption.context', context);
    h['x-amz-server-side-encryption-context'] = utf8Base64(JSON.stringify(Object.fromEntries(entries)));
  }
  if (bucketKeyEnabled !== undefined)
    h['x-amz-server-side-encryption-bucket-key-enabled'] = String(
      readBoolean('serverSideEncryption.bucketKeyEnabled', bucketKeyEnabled),
    );
}

/** Headers of the object itself, shared by PUT and CreateMultipartUpload. */
export function objectHeaders(options: PutOptions, parts: RequestParts): void {
  const h = parts.headers;
  const hoisted: Record<string, string> = {};
  const hoistable = options.hoist !== undefined && readBoolean('hoist', options.hoist) ? hoisted : h;
  if (options.contentType !== undefined) h['content-type'] = headerValue('content-type', options.contentType);
  if (options.cacheControl !== undefined) h['cache-control'] = headerValue('cache-control', options.cacheControl);
  if (options.contentDisposition !== undefined)
    h['content-disposition'] = headerValue('content-disposition', options.contentDisposition);
  if (options.contentEncoding !== undefined)
    h['content-encoding'] = headerValue('content-encoding', options.contentEncoding);
  if (options.contentLanguage !== undefined)
    h['content-language'] = headerValue('content-language', options.contentLanguage);
  if (options.expires !== undefined) h.expires = httpDate('expires', options.expires);
  if (options.metadata !== undefined) metadataHeaders(options.metadata, hoistable);
  if (options.acl !== undefined) hoistable['x-amz-acl'] = oneOf('acl', options.acl, CANNED_ACLS);
  if (options.storageClass !== undefined)
    hoistable['x-amz-storage-class'] = oneOf('storageClass', options.storageClass, STORAGE_CLASSES);
  if (options.tagging !== undefined) h['x-amz-tagging'] = taggingHeader(options.tagging);
  if (options.serverSideEncryption !== undefined) sseHeaders(options.serverSideEncryption, h);
  for (const [name, value] of Object.entries(hoisted)) param(parts, name, value);
}

export function putRequest(options: PutOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  commonOptions(options, parts);
  objectHeaders(options, parts);
  const h = parts.headers;
  if (options.contentLength !== undefined) h['content-length'] = contentLength(options.contentLength);
  if (options.contentMd5 !== undefined) {
    if (!isBase64OfLength(options.contentMd5, 16)) {
      refuse(
        'contentMd5',
        'the base64 of the 16-byte MD5 digest (24 characters)',
        options.contentMd5,
        'ERR_INVALID_CHECKSUM',
      );
    }
    h['content-md5'] = options.contentMd5;
  }
  if (options.checksum !== undefined) {
    const [name, value] = checksumHeader(options.checksum);
    h[name] = value;
  }
  if (options.ifNoneMatch !== undefined) {
    if (options.ifNoneMatch !== '*') refuse('ifNoneMatch on a PUT', "'*' (refuse to overwrite)", options.ifNoneMatch);
    h['if-none-match'] = '*';
  }
  return parts;
}

const SIGNER_OWNED = /^x-amz-(algorithm|credential|date|expires|security-token|signedheaders|signature)$/i;
const NOT_SIGNABLE = new Set(['host', 'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);

export function genericRequest(options: PresignOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  commonOptions(options, parts);
  if (options.query !== undefined) {
    for (const [name, value] of readRecord('query', options.query)) {
      if (value === undefined) continue;
      if (name === '' || SIGNER_OWNED.test(name) || !isWellFormed(name)) {
        throw new PresignError(
          'ERR_INVALID_OPTION',
          `Query parameter ${describe(name)} is not the caller's to set (empty, the signer's, or without a UTF-8 form)`,
        );
      }
      const label = `query[${JSON.stringify(name)}]`;
      const text =
        typeof value === 'number' && Number.isFinite(value) ? String(value) : readString(label, value, false);
      parts.query.push([uriEncode(name), uriEncode(text)]);
    }
  }
  if (options.headers !== undefined) {
    for (const [rawName, value] of readRecord('headers', options.headers, 'ERR_INVALID_HEADER')) {
      if (value === undefined) continue;
      assertHeaderName(rawName);
      const name = rawName.toLowerCase();
      if (NOT_SIGNABLE.has(name))
        throw new PresignError(
          'ERR_INVALID_HEADER',
          `The ${name} header is set by the signer or the HTTP client, not the caller`,
        );
      const unsendable = unsendableReason(name);
      if (unsendable)
        throw new PresignError('ERR_UNSENDABLE_HEADER', `The ${name} header cannot be signed: ${unsendable}`);
      if (Object.hasOwn(parts.headers, name))
        throw new PresignError('ERR_INVALID_HEADER', `Header ${name} is given twice (names are case-insensitive)`);
      // defineProperty: a header named __proto__ is a header, not the object's prototype.
      Object.defineProperty(parts.headers, name, {
        value: headerValue(name, value, 'ERR_INVALID_HEADER', true),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return parts;
}
