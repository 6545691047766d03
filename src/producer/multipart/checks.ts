/** Checks every multipart operation makes of its options before anything is signed or sent. */
import { PresignError } from '../../errors.js';
import { CHECKSUM_BYTES, type ChecksumAlgorithm } from '../../s3/headers.js';

export function assertAlgorithm(algorithm: unknown): ChecksumAlgorithm {
  if (typeof algorithm !== 'string' || !(algorithm in CHECKSUM_BYTES)) {
    throw new PresignError(
      'ERR_INVALID_CHECKSUM',
      `Unknown checksum algorithm ${JSON.stringify(algorithm)}; use one of ${Object.keys(CHECKSUM_BYTES).join(', ')}`,
    );
  }
  return algorithm as ChecksumAlgorithm;
}

export function assertUploadId(uploadId: unknown): asserts uploadId is string {
  if (typeof uploadId !== 'string' || uploadId === '') {
    throw new PresignError('ERR_INVALID_OPTION', 'uploadId must be the non-empty id presignMultipart returned');
  }
}

export function assertOptions(options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new PresignError('ERR_INVALID_OPTION', 'An options object is required');
  }
}
