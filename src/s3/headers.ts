import { PresignError } from '../errors.js';
import { describe, readObject, readStringRecord, refuse } from './check.js';
import { CHECKSUM_BYTES, type ChecksumAlgorithm, isChecksumAlgorithm } from './checksum-algorithms.js';
import { MAX_METADATA_BYTES } from './limits.js';

export { CHECKSUM_BYTES, type ChecksumAlgorithm, isChecksumAlgorithm };

/** RFC 9110 token: the characters a header name may use. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Printable ASCII and horizontal tab: what S3 signs and stores byte for byte. */
const ASCII_VALUE = /^[\t\x20-\x7e]*$/;
const CR_LF = /[\r\n]/;
const SPACES = /[\t ]+/g;

export const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'OUTPOSTS',
  'GLACIER_IR',
  'SNOW',
  'EXPRESS_ONEZONE',
  'FSX_OPENZFS',
] as const;
/**
 * An S3 storage class (`x-amz-storage-class`).
 * @useDeclaredType
 */
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;
/**
 * An S3 canned ACL (`x-amz-acl`).
 * @useDeclaredType
 */
export type CannedAcl = (typeof CANNED_ACLS)[number];

/**
 * How S3 turns part checksums into the object's (`x-amz-checksum-type`): `FULL_OBJECT`, the CRC of the
 * whole object (CRCs only: part CRCs combine into it); `COMPOSITE`, a checksum of the part checksums,
 * reported with `-N` for N parts.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * @useDeclaredType
 */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

/** The algorithms each checksum type allows, as S3 documents them. */
export const CHECKSUM_TYPES: Record<ChecksumType, readonly ChecksumAlgorithm[]> = {
  FULL_OBJECT: ['CRC64NVME', 'CRC32', 'CRC32C'],
  COMPOSITE: ['CRC32', 'CRC32C', 'SHA1', 'SHA256'],
};

/**
 * The checksum type of a multipart upload with `algorithm`: the one asked for, when S3 allows it
 * with that algorithm, else S3's default (`FULL_OBJECT` for CRC64NVME, which has no composite form;
 * `COMPOSITE` for the others).
 */
export function checksumTypeOf(algorithm: ChecksumAlgorithm, type: unknown): ChecksumType {
  if (type === undefined) return algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  if (type !== 'FULL_OBJECT' && type !== 'COMPOSITE') {
    refuse('checksumType', "'FULL_OBJECT' or 'COMPOSITE'", type, 'ERR_INVALID_CHECKSUM');
  }
  if (!CHECKSUM_TYPES[type].includes(algorithm)) {
    throw new PresignError('ERR_INVALID_CHECKSUM', `S3 has no ${type} checksum of ${algorithm}`, {
      hint: `${type} takes ${CHECKSUM_TYPES[type].join(', ')}`,
    });
  }
  return type;
}

/** `x-amz-expected-bucket-owner`: the 12-digit AWS account id S3 checks the bucket belongs to. */
export const EXPECTED_OWNER = 'x-amz-expected-bucket-owner';

/** Adds the presigner's expected owner to `headers`, unless the call set its own. */
export function withOwner(headers: Record<string, string>, owner: string | undefined): Record<string, string> {
  if (owner !== undefined && !Object.hasOwn(headers, EXPECTED_OWNER)) headers[EXPECTED_OWNER] = owner;
  return headers;
}

export function ownerValue(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
    refuse('expectedBucketOwner', 'a 12-digit AWS account id', value);
  }
  return value;
}

export function assertHeaderName(name: string): void {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new PresignError('ERR_INVALID_HEADER', `${JSON.stringify(name)} is not a valid HTTP header name`);
  }
}

/**
 * Returns the value as SigV4 canonicalises it (trimmed, runs of spaces folded), so the value the
 * descriptor carries is the one that was signed. Refuses anything but a string (numbers only with
 * `numbers`, for the generic `headers` whose type takes them: finite ones), CR/LF and anything but
 * printable ASCII.
 */
export function headerValue(
  name: string,
  value: unknown,
  code: 'ERR_INVALID_HEADER' | 'ERR_INVALID_METADATA' = 'ERR_INVALID_HEADER',
  numbers = false,
): string {
  if (typeof value !== 'string' && !(numbers && typeof value === 'number' && Number.isFinite(value))) {
    refuse(`The value of ${name}`, numbers ? 'a string or a finite number' : 'a string', value, code);
  }
  const text = String(value);
  if (CR_LF.test(text)) {
    throw new PresignError(code, `The value of ${name} contains CR or LF, which would split the header`);
  }
  if (!ASCII_VALUE.test(text)) {
    throw new PresignError(
      code,
      `The value of ${name} contains characters outside printable ASCII, which S3 does not keep as sent`,
      {
        hint: "encode it first, e.g. encodeURIComponent, or RFC 5987 filename*=UTF-8''... for content-disposition",
      },
    );
  }
  return text.trim().replace(SPACES, ' ');
}

/** `x-amz-meta-*` headers from a metadata record: names lower-cased, values ASCII, 2 KB in all. */
export function metadataHeaders(metadata: unknown, into: Record<string, string>): void {
  let bytes = 0;
  for (const [rawName, rawValue] of readStringRecord('metadata', metadata, 'ERR_INVALID_METADATA')) {
    if (!TOKEN.test(rawName)) {
      throw new PresignError(
        'ERR_INVALID_METADATA',
        `Metadata name ${JSON.stringify(rawName)} is not a valid header token`,
      );
    }
    const name = `x-amz-meta-${rawName.toLowerCase()}`;
    if (Object.hasOwn(into, name)) {
      throw new PresignError(
        'ERR_INVALID_METADATA',
        `Metadata name ${JSON.stringify(rawName)} is given twice (names are case-insensitive)`,
      );
    }
    const value = headerValue(name, rawValue, 'ERR_INVALID_METADATA');
    bytes += rawName.length + value.length;
    into[name] = value;
  }
  if (bytes > MAX_METADATA_BYTES) {
    throw new PresignError(
      'ERR_INVALID_METADATA',
      `User metadata is ${bytes} bytes; S3 allows at most ${MAX_METADATA_BYTES}`,
    );
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `value` is base64 of exactly `bytes` bytes. */
export function isBase64OfLength(value: unknown, bytes: number): value is string {
  return typeof value === 'string' && value.length === Math.ceil(bytes / 3) * 4 && BASE64.test(value);
}

export function checksumHeader(checksum: unknown, what = 'checksum'): [string, string] {
  const { algorithm, value } = readObject(what, 'an object { algorithm, value }', checksum, 'ERR_INVALID_CHECKSUM');
  if (!isChecksumAlgorithm(algorithm)) {
    refuse(`${what}.algorithm`, `one of ${Object.keys(CHECKSUM_BYTES).join(', ')}`, algorithm, 'ERR_INVALID_CHECKSUM');
  }
  const bytes = CHECKSUM_BYTES[algorithm];
  if (!isBase64OfLength(value, bytes)) {
    refuse(
      `A ${algorithm} checksum`,
      `the base64 of ${bytes} bytes (${Math.ceil(bytes / 3) * 4} characters)`,
      value,
      'ERR_INVALID_CHECKSUM',
    );
  }
  return [`x-amz-checksum-${algorithm.toLowerCase()}`, value];
}

export function oneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `${what} must be one of ${allowed.join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}
