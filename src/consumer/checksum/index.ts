/**
 * `s3-presign/consumer/checksum`: the checksums S3 checks a body with (`x-amz-checksum-*`), computed in
 * the consumer with Web APIs only. CRC32, CRC32C and CRC64NVME run over a body one chunk at a time and
 * combine from parts without reading them again (what a multipart upload's full-object checksum needs);
 * SHA1 and SHA256 go through WebCrypto. Its own entry: pages that use no checksum never carry it.
 *
 * @example
 * ```ts
 * import { checksumOf, combineCrc } from 's3-presign/consumer/checksum';
 *
 * const whole = await checksumOf(file, 'CRC64NVME'); // base64, as x-amz-checksum-crc64nvme wants
 * const parts = [
 *   { checksum: await checksumOf(file.slice(0, 8 << 20), 'CRC64NVME'), size: 8 << 20 },
 *   { checksum: await checksumOf(file.slice(8 << 20), 'CRC64NVME'), size: file.size - (8 << 20) },
 * ];
 * combineCrc('CRC64NVME', parts) === whole; // true
 * ```
 *
 * @module
 */
import { PresignError } from '../../errors.js';
import type { ChecksumAlgorithm } from '../../s3/headers.js';
import { abortError } from '../s3-error.js';
import { untilAborted } from '../signal.js';
import { bigEndian, fromBase64, fromBigEndian, toBase64 } from './bytes.js';
import { type CrcField, combinePair } from './combine.js';
import { CRC32_POLY, CRC32C_POLY, crc32Table, crc32Update } from './crc32.js';
import { CRC64_POLY_HI, CRC64_POLY_LO, crc64Table, crc64Update } from './crc64.js';

export type { ChecksumAlgorithm };

/** The checksums that are CRCs: computed one chunk at a time, and combined from parts. */
export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

/** A checksum fed one chunk at a time. */
export interface RunningChecksum {
  /** Feeds the next bytes of the body. */
  update(chunk: Uint8Array): void;
  /** Base64 of the big-endian digest of every byte fed so far, as S3's `x-amz-checksum-*` header wants. */
  digest(): string;
}

/** Each CRC's width and reflected polynomial (for combining). */
const FIELDS: Record<CrcAlgorithm, CrcField> = {
  CRC32: { width: 32, poly: BigInt(CRC32_POLY) },
  CRC32C: { width: 32, poly: BigInt(CRC32C_POLY) },
  CRC64NVME: { width: 64, poly: (BigInt(CRC64_POLY_HI) << 32n) | BigInt(CRC64_POLY_LO >>> 0) },
};

/** WebCrypto's names for S3's SHA checksums. */
const SHA: Record<string, string> = { SHA1: 'SHA-1', SHA256: 'SHA-256' };

const ALL_ONES_32 = 0xffffffff;

const isCrc = (algorithm: unknown): algorithm is CrcAlgorithm =>
  typeof algorithm === 'string' && Object.hasOwn(FIELDS, algorithm);

function refuseAlgorithm(algorithm: unknown, allowed: string): never {
  const given = typeof algorithm === 'string' ? JSON.stringify(algorithm.slice(0, 32)) : typeof algorithm;
  throw new PresignError('ERR_INVALID_CHECKSUM', `Unknown checksum algorithm ${given}: expected ${allowed}`);
}

function checkChunk(chunk: unknown): asserts chunk is Uint8Array {
  if (!(chunk instanceof Uint8Array)) {
    throw new PresignError('ERR_INVALID_BODY', 'A checksum is fed Uint8Array chunks');
  }
}

const word = (value: number) => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];

/**
 * A CRC fed one chunk at a time: `update(chunk)` as the bytes come, then `digest()` (which may be read
 * at any point, and does not end the checksum). Refuses an unknown algorithm with `ERR_INVALID_CHECKSUM`,
 * and a chunk that is not a `Uint8Array` with `ERR_INVALID_BODY`.
 */
export function createCrc(algorithm: CrcAlgorithm): RunningChecksum {
  if (!isCrc(algorithm)) refuseAlgorithm(algorithm, 'CRC32, CRC32C or CRC64NVME');
  if (algorithm === 'CRC64NVME') {
    const table = crc64Table();
    const register = { lo: ALL_ONES_32 | 0, hi: ALL_ONES_32 | 0 };
    return {
      update(chunk) {
        checkChunk(chunk);
        crc64Update(table, register, chunk);
      },
      digest: () => toBase64(new Uint8Array([...word(~register.hi), ...word(~register.lo)])),
    };
  }
  const table = crc32Table(algorithm === 'CRC32' ? CRC32_POLY : CRC32C_POLY);
  let crc = ALL_ONES_32 | 0;
  return {
    update(chunk) {
      checkChunk(chunk);
      crc = crc32Update(table, crc, chunk);
    },
    digest: () => toBase64(new Uint8Array(word(~crc))),
  };
}

const isBlob = (body: unknown): body is Blob =>
  typeof (body as Blob)?.stream === 'function' &&
  typeof (body as Blob).arrayBuffer === 'function' &&
  typeof (body as Blob).size === 'number';

/** Awaits `promise`, or rejects with `ERR_ABORTED` as soon as `signal` aborts. */
const within = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
  signal ? untilAborted(promise, signal) : promise;

/** Feeds `blob` to `checksum` one chunk of its stream at a time; an abort cancels the stream. */
async function feedBlob(blob: Blob, checksum: RunningChecksum, signal: AbortSignal | undefined): Promise<void> {
  const reader = blob.stream().getReader();
  let finished = false;
  try {
    for (;;) {
      const next = await within(reader.read(), signal);
      if (next.done) break;
      checksum.update(next.value);
    }
    finished = true;
  } finally {
    if (!finished) reader.cancel().catch(() => {});
  }
}

/**
 * The base64 checksum of a whole body, as S3's `x-amz-checksum-*` header wants it. A `Blob` (or `File`)
 * is read through its own stream, one chunk at a time, and a CRC never holds more than a chunk; a string
 * is checksummed as its UTF-8 bytes (what is sent).
 *
 * SHA1 and SHA256 go through WebCrypto's `crypto.subtle.digest`, which does not stream: a Blob is read
 * whole into memory first, so prefer a CRC for large bodies (or checksum each part). WebCrypto exists in
 * secure contexts only (https pages, localhost); without it a SHA is refused with `ERR_INVALID_CHECKSUM`.
 *
 * Refuses an unknown algorithm (`ERR_INVALID_CHECKSUM`) and a body of another type (`ERR_INVALID_BODY`)
 * before reading anything; rejects with `ERR_ABORTED` (the signal's reason as its cause) when
 * `options.signal` aborts, and stops reading.
 */
export async function checksumOf(
  body: Blob | Uint8Array | string,
  algorithm: ChecksumAlgorithm,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<string> {
  const sha = typeof algorithm === 'string' && Object.hasOwn(SHA, algorithm) ? SHA[algorithm] : undefined;
  if (!sha && !isCrc(algorithm)) refuseAlgorithm(algorithm, 'CRC32, CRC32C, CRC64NVME, SHA1 or SHA256');
  const blob = isBlob(body) ? body : undefined;
  const bytes =
    typeof body === 'string' ? new TextEncoder().encode(body) : body instanceof Uint8Array ? body : undefined;
  if (!blob && !bytes) {
    throw new PresignError('ERR_INVALID_BODY', 'A checksum is computed over a Blob, a Uint8Array or a string');
  }
  const signal = options?.signal;
  if (signal?.aborted) throw abortError(signal);
  if (sha) {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) {
      throw new PresignError(
        'ERR_INVALID_CHECKSUM',
        `${algorithm} needs WebCrypto (crypto.subtle), which this page lacks`,
        {
          hint: 'browsers give it to secure contexts only (https, localhost); or use CRC32, CRC32C or CRC64NVME',
        },
      );
    }
    const whole = bytes ?? new Uint8Array(await within(blob!.arrayBuffer(), signal));
    return toBase64(new Uint8Array(await within(subtle.digest(sha, whole as Uint8Array<ArrayBuffer>), signal)));
  }
  const checksum = createCrc(algorithm as CrcAlgorithm);
  if (bytes) checksum.update(bytes);
  else await feedBlob(blob!, checksum, signal);
  return checksum.digest();
}

/** S3's largest object, 5 TiB: the longest part (or run of parts) combined. */
const MAX_SIZE = 5 * 2 ** 40;

/**
 * The CRC of the concatenation of `parts`, in order, from each part's base64 CRC and its length in bytes,
 * without reading any byte again: what S3 calls a full-object checksum of a multipart upload. The GF(2)
 * combination of zlib's `crc32_combine`, generalised to the 64-bit polynomial; lengths up to 5 TiB
 * (offsets past 2^32 included). No parts is the CRC of no bytes.
 *
 * Refuses an unknown algorithm, or a checksum that is not the base64 of one (or a non-empty one for
 * an empty part), with `ERR_INVALID_CHECKSUM`, and a size that is not a whole number of bytes from 0 to
 * 5 TiB with `ERR_INVALID_OPTION`.
 */
export function combineCrc(algorithm: CrcAlgorithm, parts: readonly { checksum: string; size: number }[]): string {
  if (!isCrc(algorithm)) refuseAlgorithm(algorithm, 'CRC32, CRC32C or CRC64NVME');
  if (!Array.isArray(parts))
    throw new PresignError('ERR_INVALID_OPTION', 'parts must be an array of { checksum, size }');
  const field = FIELDS[algorithm];
  const bytes = field.width / 8;
  let crc = 0n;
  parts.forEach((part, n) => {
    const size = part?.size;
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_SIZE) {
      throw new PresignError('ERR_INVALID_OPTION', `parts[${n}].size must be a whole number of bytes from 0 to 5 TiB`);
    }
    const digest = fromBase64(part.checksum, bytes);
    const value = digest && fromBigEndian(digest);
    if (value === undefined || (size === 0 && value !== 0n)) {
      throw new PresignError(
        'ERR_INVALID_CHECKSUM',
        `parts[${n}].checksum must be the base64 ${algorithm} of the part (${bytes} bytes${size === 0 ? ', zero for an empty part' : ''})`,
      );
    }
    crc = combinePair(field, crc, value, size);
  });
  return toBase64(bigEndian(crc, field.width));
}

/** The checksum functions as one object, to hand to `uploadMultipart` or `uploadFile` as an option. */
export interface Checksums {
  /** {@link createCrc}: a CRC fed one chunk at a time. */
  create: typeof createCrc;
  /** {@link checksumOf}: the checksum of a whole body. */
  of: typeof checksumOf;
  /** {@link combineCrc}: the CRC of parts put together. */
  combine: typeof combineCrc;
}

/** {@link createCrc}, {@link checksumOf} and {@link combineCrc} in one object. */
export const checksums: Checksums = { create: createCrc, of: checksumOf, combine: combineCrc };
