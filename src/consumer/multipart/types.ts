/** The public shapes of `s3-presign/consumer/multipart`: its options, its result and its resumable state. */
import type { CompletedPart, PresignedPart } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import type { TransferOptions } from '../types.js';

/** What a caller saves to resume later: everything but the body. */
export interface MultipartState {
  /** The bucket, when the upload descriptor names it. */
  bucket?: string | undefined;
  /** The object key, when the upload descriptor names it. */
  key?: string | undefined;
  /** S3's id of the upload, for `listParts`, `completeMultipart` or `abortMultipart` on your server. */
  uploadId: string;
  /** The body's size in bytes. */
  size: number;
  /** Bytes in every part but the last. */
  partSize: number;
  /** How many parts the body is cut into. */
  partCount: number;
  /** Parts S3 holds, sorted by part number. */
  parts: CompletedPart[];
}

/** What `uploadMultipart` resolves with once S3 has completed the upload. */
export interface MultipartResult {
  /** ETag of the whole object, quotes kept (`''` when a `complete` callback returned none). */
  etag: string;
  /** URL of the object, as S3 reports it. */
  location?: string | undefined;
  /** The object's version, when the bucket is versioned and S3 reports it. */
  versionId?: string | undefined;
  /** Every part, sorted by part number. */
  parts: CompletedPart[];
  /**
   * The object's checksum: for a `FULL_OBJECT` upload, the CRC of the whole object, combined from the
   * parts' and checked against S3's answer; else S3's, when it reported one.
   */
  checksum?: ObjectChecksum | undefined;
}

/** An object's checksum: its algorithm, base64 value (`-N` for a composite one of N parts), and type. */
export interface ObjectChecksum {
  /** S3's name of the algorithm. */
  algorithm: 'CRC64NVME' | 'CRC32' | 'CRC32C' | 'SHA256' | 'SHA1';
  /** Base64 of the checksum. */
  value: string;
  /** `FULL_OBJECT` (a CRC of every byte) or `COMPOSITE` (a checksum of the part checksums). */
  type?: string | undefined;
}

/** What completing an upload reports, from S3's answer or from a `complete` callback. */
export interface CompletionAnswer {
  /**
   * The object's checksum as S3 reports it. For a `FULL_OBJECT` upload, `uploadMultipart` checks it is
   * the CRC it combined from the parts (`ERR_CHECKSUM_MISMATCH` otherwise).
   */
  checksum?: ObjectChecksum | undefined;
  /** ETag of the whole object, quotes kept. */
  etag?: string | undefined;
  /** URL of the object. */
  location?: string | undefined;
  /** The object's version, in a versioned bucket. */
  versionId?: string | undefined;
}

/**
 * Options of `uploadMultipart`: how the parts are signed, completed and resumed, and what every
 * transfer takes. `retry` applies to each part and to the completion; `onProgress` reports the whole
 * object (parts given in `resume` count as transferred); `signal` stops every transfer at once and
 * aborts the upload on S3 unless `keepOnFailure`.
 */
export interface MultipartOptions extends TransferOptions {
  /**
   * Parts in flight at once.
   * @default 4
   * @example 6
   */
  concurrency?: number | undefined;
  /**
   * Signs parts the upload does not carry yet, and re-signs parts whose signature expired (before
   * sending, or after S3 answered that it expired). Your server answers it with the presigner's
   * `presignParts`. Parts are asked for in batches. When the upload was created with
   * `checksumAlgorithm` `SHA256` or `SHA1`, the base64 checksum of each part is computed here (WebCrypto,
   * one part in memory at a time) and passed as `checksums`, for your server to sign with each part.
   * @example (partNumbers) => fetch(`/uploads/${id}/parts`, { method: 'POST', body: JSON.stringify({ partNumbers }) }).then((r) => r.json())
   */
  signParts?:
    | ((partNumbers: number[], checksums?: Record<number, string>) => Promise<readonly PresignedPart[]>)
    | undefined;
  /**
   * Completes on your server (e.g. with `completeMultipart`) instead of with the presigned `complete`.
   * For a `FULL_OBJECT` upload, `object.checksum` is the whole object's CRC, combined from the parts':
   * pass it to `completeMultipart` as `checksum` and S3 checks it too.
   * @example (parts, { checksum }) => fetch(`/uploads/${id}/complete`, { method: 'POST', body: JSON.stringify({ parts, checksum }) }).then((r) => r.json())
   */
  complete?:
    | ((
        parts: CompletedPart[],
        object: { checksum?: ObjectChecksum | undefined },
      ) => Promise<CompletionAnswer | undefined>)
    | undefined;
  /**
   * Aborts on your server (e.g. with `abortMultipart`) instead of with the presigned `abort`.
   * @example () => fetch(`/uploads/${id}`, { method: 'DELETE' }).then(() => undefined)
   */
  abort?: (() => Promise<void>) | undefined;
  /**
   * Signs the upload's complete, abort or head request again when the one it carries expired
   * (`presignMultipart` returns all three; `head` is a signed HEAD of the object).
   * @example (kind) => fetch(`/uploads/${id}/${kind}`).then((r) => r.json())
   */
  signRequest?: ((kind: 'complete' | 'abort' | 'head') => Promise<PresignedRequest>) | undefined;
  /**
   * Parts S3 already holds (from `listParts` on your server, or saved from `onState`): they are
   * skipped, and only the rest is sent.
   * @example saved.parts
   */
  resume?: readonly CompletedPart[] | undefined;
  /**
   * Called with the state needed to resume (upload id, plan, parts done) at the start and after
   * every part: save it (e.g. in localStorage) to resume after a crash or a reload.
   * @example (state) => localStorage.setItem('upload', JSON.stringify(state))
   */
  onState?: ((state: MultipartState) => void) | undefined;
  /**
   * Keep the upload on S3 when it fails or is aborted, to resume it later. By default it is aborted
   * (best effort), so no orphaned parts keep costing money.
   * @default false
   */
  keepOnFailure?: boolean | undefined;
}

/** A body the parts are cut from without copying it: a Blob/File (in Node, `await fs.openAsBlob(path)`) or bytes. */
export type MultipartBody = Blob | ArrayBuffer | ArrayBufferView;
