/** Checks every multipart operation makes of its options before anything is signed or sent. */
import {
  readBoolean,
  readDate,
  readInteger,
  readObject,
  readOptions,
  readSignal,
  readString,
  refuse,
} from '../../s3/check.js';
import {
  CHECKSUM_BYTES,
  type ChecksumAlgorithm,
  EXPECTED_OWNER,
  headerValue,
  isChecksumAlgorithm,
  ownerValue,
} from '../../s3/headers.js';
import type { Signer } from '../signing.js';

export function assertAlgorithm(algorithm: unknown): ChecksumAlgorithm {
  if (!isChecksumAlgorithm(algorithm)) {
    refuse('checksumAlgorithm', `one of ${Object.keys(CHECKSUM_BYTES).join(', ')}`, algorithm, 'ERR_INVALID_CHECKSUM');
  }
  return algorithm;
}

export function assertUploadId(uploadId: unknown): asserts uploadId is string {
  if (typeof uploadId !== 'string' || uploadId === '') {
    refuse('uploadId', 'the non-empty id presignMultipart returned', uploadId);
  }
  readString('uploadId', uploadId, true);
}

/**
 * The options object, and the options every multipart call may take: `signal`, `signingDate`,
 * `keepOnFailure`, `initialParts`, `expiresIn` (its range is the expiry policy's, checked when signing).
 */
export function assertOptions(options: unknown, call = 'this multipart call'): asserts options is object {
  const o = readOptions(call, options);
  if (o.signal !== undefined) readSignal('signal', o.signal);
  if (o.signingDate !== undefined) readDate('signingDate', o.signingDate);
  if (o.keepOnFailure !== undefined) readBoolean('keepOnFailure', o.keepOnFailure);
  if (o.initialParts !== undefined) readInteger('initialParts', o.initialParts, 0, Number.MAX_SAFE_INTEGER);
}

/** Base64 checksums by part number: a record whose names are part numbers. */
export function assertChecksums(checksums: unknown): void {
  if (checksums === undefined) return;
  const record = readObject(
    'checksums',
    'a record of part numbers to base64 checksums',
    checksums,
    'ERR_INVALID_CHECKSUM',
  );
  for (const [name, value] of Object.entries(record)) {
    if (value !== undefined && typeof value !== 'string') {
      refuse(`checksums[${JSON.stringify(name)}]`, 'a base64 string', value, 'ERR_INVALID_CHECKSUM');
    }
  }
}

/** The bucket owner a multipart call checks: its own, else the presigner's (checked either way). */
export function ownerOf(owner: unknown, signer: Signer): string | undefined {
  return owner === undefined ? signer.expectedBucketOwner : ownerValue(owner);
}

/** `x-amz-expected-bucket-owner`, when there is an owner to expect. */
export const ownerHeaders = (owner: string | undefined): Record<string, string> =>
  owner === undefined ? {} : { [EXPECTED_OWNER]: owner };

/**
 * The conditions of a completion, as signed headers: `ifNoneMatch` `'*'` (create only) and `ifMatch`
 * (replace only that ETag).
 */
export function conditionHeaders(options: { ifNoneMatch?: unknown; ifMatch?: unknown }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.ifNoneMatch !== undefined) {
    if (options.ifNoneMatch !== '*') refuse('ifNoneMatch', "'*' (refuse to overwrite)", options.ifNoneMatch);
    headers['if-none-match'] = '*';
  }
  if (options.ifMatch !== undefined) headers['if-match'] = headerValue('ifMatch', options.ifMatch);
  return headers;
}
