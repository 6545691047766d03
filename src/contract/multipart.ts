/**
 * A multipart upload as the producer creates it and the consumer uploads it: plain JSON, so a
 * server returns it to a browser as it is.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import type { ChecksumAlgorithm, ChecksumType } from '../s3/headers.js';
import type { PresignedRequest } from './request.js';

/** One part of a multipart upload and the signed request that uploads it. */
export interface PresignedPart {
  /** 1-based part number (S3's `partNumber`). */
  partNumber: number;
  /** A signed `PUT ?partNumber=&uploadId=`: `content-length` (and the checksum, when asked) signed. */
  request: PresignedRequest;
}

/** A part S3 holds: what CompleteMultipartUpload needs, and what a resumed upload skips. */
export interface CompletedPart {
  /** 1-based part number. */
  partNumber: number;
  /**
   * The ETag S3 answered the part's upload with, quotes kept.
   * @example '"b54357faf0632cce46e942fa68356b38"'
   */
  etag: string;
  /** The part's base64 checksum, when the upload was created with a `checksumAlgorithm`. */
  checksum?: string | undefined;
  /** Bytes of the part, when known (a resumed part of another size than the plan's is sent again). */
  size?: number | undefined;
}

/** A part as `listParts` reports it. */
export interface ListedPart extends CompletedPart {
  /** Bytes of the part. */
  size: number;
  /** When S3 received the part. */
  lastModified?: Date | undefined;
}

/**
 * A created multipart upload: the plan, the signed parts, and the signed complete and abort. What
 * `presignMultipart` returns and `uploadMultipart` takes.
 */
export interface PresignedMultipart {
  /** Bucket of the upload. */
  bucket: string;
  /** Object key of the upload. */
  key: string;
  /** S3's id of the upload: keep it to resume, complete or abort. */
  uploadId: string;
  /** Bytes of the object: the body must be exactly this long. */
  size: number;
  /** Bytes of every part but the last. */
  partSize: number;
  /** Number of parts. */
  partCount: number;
  /** The checksum algorithm the upload was created with, if any. */
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  /** With `checksumAlgorithm`: how S3 derives the object's checksum from the parts'. */
  checksumType?: ChecksumType | undefined;
  /** Signed part uploads: every part, or the first `initialParts`. */
  parts: PresignedPart[];
  /** A signed `POST ?uploadId=` (CompleteMultipartUpload); the consumer builds its XML body. */
  complete: PresignedRequest;
  /** A signed `DELETE ?uploadId=` (AbortMultipartUpload). */
  abort: PresignedRequest;
  /**
   * A signed `HEAD` of the object: how `uploadMultipart` learns whether a completion whose answer was
   * lost on the way took effect, before it does anything else (it never aborts an upload S3 completed).
   */
  head: PresignedRequest;
  /** When the signatures above stop working (ISO 8601 UTC). */
  expiresAt: string;
}

/**
 * What `uploadMultipart` needs of a {@link PresignedMultipart}: the upload id and the plan. The parts
 * can all come from a `signParts` callback, and the completion and abort from callbacks.
 */
export type MultipartUpload = Pick<PresignedMultipart, 'uploadId' | 'size' | 'partSize'> & {
  [K in Exclude<keyof PresignedMultipart, 'uploadId' | 'size' | 'partSize'>]?: PresignedMultipart[K] | undefined;
};
