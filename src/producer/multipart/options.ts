/**
 * The options of the multipart operations (create, sign parts, complete, abort, list) and what
 * completion returns: public types, re-exported by the producer entry.
 */
import type { CompletedPart } from '../../contract/multipart.js';
import type { ChecksumAlgorithm, ChecksumType } from '../../s3/headers.js';
import type { PutOptions } from '../types.js';

/**
 * The object options that apply to a multipart upload: those of a PUT but the per-request ones
 * (content-length, MD5, checksum, if-none-match, hoisting). They are set once, at create.
 */
export type MultipartObjectOptions = Omit<
  PutOptions,
  'contentLength' | 'contentMd5' | 'checksum' | 'ifNoneMatch' | 'hoist'
>;

/** The options of {@link Presigner.presignMultipart}. */
export interface PresignMultipartOptions extends MultipartObjectOptions {
  /**
   * Bytes of the whole object (at most 5 TiB). With `partSize` it decides the plan.
   * @example file.size
   */
  size: number;
  /**
   * Bytes of every part but the last (5 MiB..5 GiB). An explicit size is kept as given (and refused
   * when it would need more than 10,000 parts); without it, 8 MiB grown as the object needs.
   * @default 8 MiB, or the smallest whole MiB that fits the object in 10,000 parts
   * @example 16 * 1024 * 1024
   */
  partSize?: number | undefined;
  /**
   * How many parts to sign now, from part 1. For uploads of thousands of parts, sign a few and let
   * the consumer ask for more through its `signParts` callback (which your server answers with
   * {@link Presigner.presignParts}).
   * @default every part (when `checksumAlgorithm` is set: the parts given in `checksums`)
   * @example 20
   */
  initialParts?: number | undefined;
  /**
   * A checksum algorithm S3 checks every part with, set at create (`x-amz-checksum-algorithm`).
   * Each part is then signed with its own `x-amz-checksum-*` header, so its value must be known
   * when the part is signed (see `checksums`).
   * @example 'SHA256'
   */
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  /**
   * How S3 derives the object's checksum from the parts' (`x-amz-checksum-type`, with
   * `checksumAlgorithm`): `'FULL_OBJECT'`, the CRC of the whole object (CRC64NVME, CRC32, CRC32C;
   * `uploadMultipart` combines the part CRCs into it and checks S3's), or `'COMPOSITE'`, a checksum of
   * the part checksums (CRC32, CRC32C, SHA1, SHA256). Another pair is `ERR_INVALID_CHECKSUM`.
   * @default 'FULL_OBJECT' for CRC64NVME, 'COMPOSITE' for the others
   * @example 'FULL_OBJECT'
   */
  checksumType?: ChecksumType | undefined;
  /**
   * `'*'`: create only. The upload's `complete` is signed with `if-none-match: *`, so S3 refuses the
   * completion (412, `ERR_PRECONDITION_FAILED`) when the key exists by then.
   */
  ifNoneMatch?: '*' | undefined;
  /**
   * Replace only this version: the upload's `complete` is signed with `if-match`, so S3 refuses the
   * completion (412) when the object's ETag is another by then.
   * @example '"b54357faf0632cce46e942fa68356b38"'
   */
  ifMatch?: string | undefined;
  /**
   * Base64 checksums of the parts signed now, by part number (requires `checksumAlgorithm`).
   * @example { 1: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }
   */
  checksums?: Readonly<Record<number, string>> | undefined;
  /**
   * Cancels the calls to S3 (create, and the abort that follows a failure): the call rejects with
   * `ERR_ABORTED`.
   * @example AbortSignal.timeout(10_000)
   */
  signal?: AbortSignal | undefined;
}

/** What names one existing upload. */
export interface UploadTarget {
  /** Object key of the upload. */
  key: string;
  /**
   * Bucket.
   * @default the presigner's `bucket`
   */
  bucket?: string | undefined;
  /** The `uploadId` `presignMultipart` returned. */
  uploadId: string;
  /**
   * The AWS account that must own the bucket (`x-amz-expected-bucket-owner`, signed).
   * @default the presigner's `expectedBucketOwner`
   */
  expectedBucketOwner?: string | undefined;
}

/** The options of {@link Presigner.presignParts}. */
export interface PresignPartsOptions extends UploadTarget {
  /**
   * The parts to sign (1..10,000, no repeats).
   * @example [5, 6, 7]
   */
  partNumbers: readonly number[];
  /**
   * Bytes of the object. With `partSize`, each part is signed with its exact `content-length`, so
   * S3 refuses a part of another size.
   * @example 34_603_008
   */
  size?: number | undefined;
  /**
   * Bytes of every part but the last, as `presignMultipart` returned it (needed with `size`).
   * @example 8_388_608
   */
  partSize?: number | undefined;
  /**
   * The algorithm the upload was created with, when parts carry checksums.
   * @example 'SHA256'
   */
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  /**
   * Base64 checksum of each part to sign, by part number (required with `checksumAlgorithm`).
   * @example { 5: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }
   */
  checksums?: Readonly<Record<number, string>> | undefined;
  /**
   * Lifetime of the signatures in whole seconds (1..604800, at most `maxExpiresIn`).
   * @default the presigner's `expiresIn` (900)
   */
  expiresIn?: number | undefined;
  /**
   * The instant of signing, one for the whole batch.
   * @default the presigner's `now()`
   */
  signingDate?: Date | undefined;
}

/** The options of {@link Presigner.completeMultipart}. */
export interface CompleteMultipartOptions extends UploadTarget {
  /**
   * The uploaded parts, in any order (they are sent sorted by part number, as S3 requires).
   * @example [{ partNumber: 1, etag: '"b54357faf0632cce46e942fa68356b38"' }]
   */
  parts: readonly CompletedPart[];
  /**
   * The algorithm the upload was created with, when parts carry checksums: each part's `checksum`
   * is then sent with the completion.
   * @example 'SHA256'
   */
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  /**
   * The upload's checksum type, sent as `x-amz-checksum-type` so S3 checks it is the one of create.
   * @example 'FULL_OBJECT'
   */
  checksumType?: ChecksumType | undefined;
  /**
   * The whole object's checksum, for a `FULL_OBJECT` upload: S3 refuses the completion when the
   * parts do not make an object with this checksum. (The consumer's `complete` callback receives it.)
   * @example { algorithm: 'CRC64NVME', value: 'gtoXmMAazS4=' }
   */
  checksum?:
    | {
        /** The upload's algorithm. */
        algorithm: ChecksumAlgorithm;
        /** The base64 checksum of the whole object. */
        value: string;
      }
    | undefined;
  /** `'*'`: S3 refuses the completion (412) when the key exists. */
  ifNoneMatch?: '*' | undefined;
  /** S3 refuses the completion (412) unless the object's current ETag is this one. */
  ifMatch?: string | undefined;
  /**
   * Keep the upload when completion fails (to fix a part and complete again). By default it is
   * aborted (best effort), so no orphaned parts keep costing money.
   * @default false
   */
  keepOnFailure?: boolean | undefined;
  /**
   * Cancels the call to S3: the call rejects with `ERR_ABORTED`.
   * @example AbortSignal.timeout(30_000)
   */
  signal?: AbortSignal | undefined;
}

/** The stored object, as {@link Presigner.completeMultipart} returns it. */
export interface CompletedMultipart {
  /** Bucket of the object. */
  bucket: string;
  /** Key of the object. */
  key: string;
  /** ETag of the whole object (for a multipart object, `"<md5 of part md5s>-<part count>"`). */
  etag: string;
  // (An output: its optional fields have no `| undefined`, so that it stays assignable to what the
  // consumer's `complete` callback returns under exactOptionalPropertyTypes.)
  /** URL of the object, as S3 reports it. */
  location?: string;
  /** Version of the object, in a versioned bucket. */
  versionId?: string;
  /** The object's checksum as S3 reports it (base64; `-N` for a composite one), with its algorithm and type. */
  checksum?: {
    /** The upload's algorithm. */
    algorithm: ChecksumAlgorithm;
    /** Base64 of the object's checksum. */
    value: string;
    /** How it was derived from the parts, as S3 reports it. */
    type?: ChecksumType;
  };
}

/** The options of {@link Presigner.abortMultipart}. */
export interface AbortMultipartOptions extends UploadTarget {
  /**
   * Cancels the call to S3: the call rejects with `ERR_ABORTED`.
   * @example AbortSignal.timeout(10_000)
   */
  signal?: AbortSignal | undefined;
}

/** The options of {@link Presigner.listParts}. */
export interface ListPartsOptions extends UploadTarget {
  /**
   * Cancels the calls to S3 (one per page of 1,000 parts): the call rejects with `ERR_ABORTED`.
   * @example AbortSignal.timeout(10_000)
   */
  signal?: AbortSignal | undefined;
}
