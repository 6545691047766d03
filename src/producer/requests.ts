import { PresignError } from '../errors.js';
import {
  assertHeaderName,
  CANNED_ACLS,
  checksumHeader,
  headerValue,
  isBase64OfLength,
  metadataHeaders,
  oneOf,
  STORAGE_CLASSES,
} from '../s3/headers.js';
import { MAX_PUT_SIZE } from '../s3/limits.js';
import { assertPartNumber } from '../s3/multipart-plan.js';
import { unsendableReason } from '../s3/unsendable-headers.js';
import { uriEncode } from '../sigv4/encode.js';
import type { DeleteOptions, GetOptions, PresignOptions, PutOptions } from './types.js';

/** Query pairs (encoded) and headers (lower-case, canonical values) of one request to sign. */
export interface RequestParts {
  query: Array<readonly [string, string]>;
  headers: Record<string, string>;
}

function param(parts: RequestParts, name: string, value: string): void {
  parts.query.push([name, uriEncode(value)]);
}

function httpDate(name: string, value: string | Date): string {
  if (value instanceof Date) {
    if (!Number.isFinite(value.getTime())) throw new PresignError('ERR_INVALID_OPTION', `${name} is an invalid Date`);
    return value.toUTCString();
  }
  return headerValue(name, value);
}

function partNumber(value: unknown): string {
  assertPartNumber(value);
  return String(value);
}

function nonEmpty(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new PresignError('ERR_INVALID_OPTION', `${name} must be a non-empty string`);
  return value;
}

function rangeHeader(range: NonNullable<GetOptions['range']>): string {
  if (typeof range === 'string') {
    if (!/^bytes=(\d+-\d*|-\d+)(,\s*(\d+-\d*|-\d+))*$/.test(range)) {
      throw new PresignError('ERR_INVALID_HEADER', `range must look like "bytes=0-99"; got ${JSON.stringify(range)}`);
    }
    return range;
  }
  const { start, end } = range;
  const ok =
    Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!ok) throw new PresignError('ERR_INVALID_HEADER', 'range needs whole numbers with 0 <= start <= end');
  return `bytes=${start}-${end ?? ''}`;
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
  if (options.versionId !== undefined) param(parts, 'versionId', nonEmpty('versionId', options.versionId));
  if (options.partNumber !== undefined) param(parts, 'partNumber', partNumber(options.partNumber));
  for (const [option, name] of RESPONSE_OVERRIDES) {
    const value = options[option];
    if (value !== undefined) param(parts, name, nonEmpty(option, value));
  }
  if (options.responseExpires !== undefined)
    param(parts, 'response-expires', httpDate('responseExpires', options.responseExpires));
  if (options.range !== undefined) parts.headers.range = rangeHeader(options.range);
  if (options.ifMatch !== undefined) parts.headers['if-match'] = headerValue('if-match', options.ifMatch);
  if (options.ifNoneMatch !== undefined)
    parts.headers['if-none-match'] = headerValue('if-none-match', options.ifNoneMatch);
  return parts;
}

export function deleteRequest(options: DeleteOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  if (options.versionId !== undefined) param(parts, 'versionId', nonEmpty('versionId', options.versionId));
  return parts;
}

function tagging(value: NonNullable<PutOptions['tagging']>): string {
  if (typeof value === 'string') return headerValue('x-amz-tagging', value);
  return Object.entries(value)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

function contentLength(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_PUT_SIZE) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `contentLength must be a whole number of bytes from 0 to ${MAX_PUT_SIZE} (5 GiB, S3's single-PUT limit); got ${String(value)}`,
    );
  }
  return String(value);
}

/** Headers of the object itself, shared by PUT and CreateMultipartUpload. */
export function objectHeaders(options: PutOptions, parts: RequestParts): void {
  const h = parts.headers;
  const hoisted: Record<string, string> = {};
  const hoistable = options.hoist === true ? hoisted : h;
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
  if (options.tagging !== undefined) h['x-amz-tagging'] = tagging(options.tagging);
  const sse = options.serverSideEncryption;
  if (sse !== undefined) {
    h['x-amz-server-side-encryption'] = oneOf('serverSideEncryption.algorithm', sse.algorithm, [
      'AES256',
      'aws:kms',
      'aws:kms:dsse',
    ]);
    const kms = sse.algorithm !== 'AES256';
    if (!kms && (sse.kmsKeyId !== undefined || sse.context !== undefined)) {
      throw new PresignError('ERR_INVALID_OPTION', 'kmsKeyId and context apply to the aws:kms algorithms only');
    }
    if (sse.kmsKeyId !== undefined)
      h['x-amz-server-side-encryption-aws-kms-key-id'] = headerValue('kmsKeyId', sse.kmsKeyId);
    if (sse.context !== undefined) {
      h['x-amz-server-side-encryption-context'] = Buffer.from(JSON.stringify(sse.context)).toString('base64');
    }
    if (sse.bucketKeyEnabled !== undefined)
      h['x-amz-server-side-encryption-bucket-key-enabled'] = String(sse.bucketKeyEnabled === true);
  }
  for (const [name, value] of Object.entries(hoisted)) param(parts, name, value);
}

export function putRequest(options: PutOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  objectHeaders(options, parts);
  const h = parts.headers;
  if (options.contentLength !== undefined) h['content-length'] = contentLength(options.contentLength);
  if (options.contentMd5 !== undefined) {
    if (!isBase64OfLength(options.contentMd5, 16)) {
      throw new PresignError(
        'ERR_INVALID_CHECKSUM',
        'contentMd5 is the base64 of the 16-byte MD5 digest (24 characters)',
      );
    }
    h['content-md5'] = options.contentMd5;
  }
  if (options.checksum !== undefined) {
    const [name, value] = checksumHeader(options.checksum);
    h[name] = value;
  }
  if (options.ifNoneMatch !== undefined) {
    if (options.ifNoneMatch !== '*')
      throw new PresignError('ERR_INVALID_OPTION', "ifNoneMatch on a PUT can only be '*' (refuse to overwrite)");
    h['if-none-match'] = '*';
  }
  return parts;
}

const SIGNER_OWNED = /^x-amz-(algorithm|credential|date|expires|security-token|signedheaders|signature)$/i;
const NOT_SIGNABLE = new Set(['host', 'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);

export function genericRequest(options: PresignOptions): RequestParts {
  const parts: RequestParts = { query: [], headers: {} };
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value === undefined) continue;
    if (name === '' || SIGNER_OWNED.test(name)) {
      throw new PresignError(
        'ERR_INVALID_OPTION',
        `Query parameter ${JSON.stringify(name)} is not the caller's to set`,
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new PresignError(
        'ERR_INVALID_OPTION',
        `Query parameter ${JSON.stringify(name)} must be a string or a number`,
      );
    }
    parts.query.push([uriEncode(name), uriEncode(String(value))]);
  }
  for (const [rawName, value] of Object.entries(options.headers ?? {})) {
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
    if (name in parts.headers)
      throw new PresignError('ERR_INVALID_HEADER', `Header ${name} is given twice (names are case-insensitive)`);
    parts.headers[name] = headerValue(name, value);
  }
  return parts;
}
