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
import { CHECKSUM_BYTES, type ChecksumAlgorithm, isChecksumAlgorithm } from '../../s3/headers.js';

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
