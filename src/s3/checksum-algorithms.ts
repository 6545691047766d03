/**
 * The checksum algorithms S3 takes (`x-amz-checksum-*`), with nothing else: the consumer's code that
 * names them (reading S3's answers) imports this, not the header checks of headers.ts.
 */

/** Checksum algorithms S3 takes, with the byte length of each digest. */
export const CHECKSUM_BYTES = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 } as const;
/**
 * A checksum algorithm S3 checks a body with (`x-amz-checksum-*`).
 * @useDeclaredType
 */
export type ChecksumAlgorithm = keyof typeof CHECKSUM_BYTES;

/** Whether `value` names a checksum algorithm (own keys only: `toString` is not one). */
export function isChecksumAlgorithm(value: unknown): value is ChecksumAlgorithm {
  return typeof value === 'string' && Object.hasOwn(CHECKSUM_BYTES, value);
}
