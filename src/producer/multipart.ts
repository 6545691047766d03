import type { CompletedPart, ListedPart, PresignedMultipart, PresignedPart } from '../contract/multipart.js';
import type { PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { CHECKSUM_BYTES, type ChecksumAlgorithm, checksumHeader } from '../s3/headers.js';
import { assertObjectKey } from '../s3/key.js';
import { MAX_PARTS } from '../s3/limits.js';
import { assertPartNumber, type PartPlan, partRange, planParts } from '../s3/multipart-plan.js';
import { encodeKeyPath, uriEncode } from '../sigv4/encode.js';
import { objectHeaders, type RequestParts } from './requests.js';
import { sendCommand } from './sdk.js';
import { type Signer, signAt } from './signing.js';
import type { PutOptions } from './types.js';

/** The object options that apply to a multipart upload: they are set once, at create. */
export type MultipartObjectOptions = Omit<
  PutOptions,
  'contentLength' | 'contentMd5' | 'checksum' | 'ifNoneMatch' | 'hoist'
>;

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
  partSize?: number;
  /**
   * How many parts to sign now, from part 1. For uploads of thousands of parts, sign a few and let
   * the consumer ask for more through its `signParts` callback (see {@link presignParts}).
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
  checksumAlgorithm?: ChecksumAlgorithm;
  /**
   * Base64 checksums of the parts signed now, by part number (requires `checksumAlgorithm`).
   * @example { 1: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }
   */
  checksums?: Readonly<Record<number, string>>;
  /** Cancels the calls to S3 (create, and the abort that follows a failure). */
  signal?: AbortSignal;
}

/** What names one existing upload. */
export interface UploadTarget {
  /** Object key of the upload. */
  key: string;
  /** Bucket; falls back to the presigner's `bucket`. */
  bucket?: string;
  /** The `uploadId` `presignMultipart` returned. */
  uploadId: string;
}

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
  size?: number;
  /**
   * Bytes of every part but the last, as `presignMultipart` returned it (needed with `size`).
   * @example 8_388_608
   */
  partSize?: number;
  /** The algorithm the upload was created with, when parts carry checksums. */
  checksumAlgorithm?: ChecksumAlgorithm;
  /**
   * Base64 checksum of each part to sign, by part number (required with `checksumAlgorithm`).
   * @example { 5: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }
   */
  checksums?: Readonly<Record<number, string>>;
  /**
   * Lifetime of the signatures in whole seconds.
   * @default the presigner's expiresIn (900)
   */
  expiresIn?: number;
  /**
   * The instant of signing.
   * @default now
   */
  signingDate?: Date;
}

export interface CompleteMultipartOptions extends UploadTarget {
  /**
   * The uploaded parts, in any order (they are sent sorted by part number, as S3 requires).
   * @example [{ partNumber: 1, etag: '"b54357faf0632cce46e942fa68356b38"' }]
   */
  parts: readonly CompletedPart[];
  /** The algorithm the upload was created with, when parts carry checksums. */
  checksumAlgorithm?: ChecksumAlgorithm;
  /**
   * Keep the upload when completion fails (to fix a part and complete again). By default it is
   * aborted (best effort), so no orphaned parts keep costing money.
   * @default false
   */
  keepOnFailure?: boolean;
  signal?: AbortSignal;
}

/** The stored object. */
export interface CompletedMultipart {
  bucket: string;
  key: string;
  /** ETag of the whole object (for a multipart object, `"<md5 of part md5s>-<part count>"`). */
  etag: string;
  /** URL of the object, as S3 reports it. */
  location?: string;
  /** Version of the object, in a versioned bucket. */
  versionId?: string;
}

export interface AbortMultipartOptions extends UploadTarget {
  signal?: AbortSignal;
}

export interface ListPartsOptions extends UploadTarget {
  signal?: AbortSignal;
}

const CREATE_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['content-type', 'ContentType'],
  ['cache-control', 'CacheControl'],
  ['content-disposition', 'ContentDisposition'],
  ['content-encoding', 'ContentEncoding'],
  ['content-language', 'ContentLanguage'],
  ['x-amz-acl', 'ACL'],
  ['x-amz-storage-class', 'StorageClass'],
  ['x-amz-tagging', 'Tagging'],
  ['x-amz-server-side-encryption', 'ServerSideEncryption'],
  ['x-amz-server-side-encryption-aws-kms-key-id', 'SSEKMSKeyId'],
  ['x-amz-server-side-encryption-context', 'SSEKMSEncryptionContext'],
];

/**
 * The CreateMultipartUpload input for the object options: validated and canonicalised by the same
 * code as a presigned PUT's headers, then named the way the SDK wants them.
 */
function createInput(options: PresignMultipartOptions, bucket: string): Record<string, unknown> {
  const parts: RequestParts = { query: [], headers: {} };
  objectHeaders({ ...options, hoist: false }, parts);
  const h = parts.headers;
  const input: Record<string, unknown> = { Bucket: bucket, Key: options.key };
  for (const [header, field] of CREATE_FIELDS) if (h[header] !== undefined) input[field] = h[header];
  if (h.expires !== undefined) input.Expires = new Date(h.expires);
  const bucketKey = h['x-amz-server-side-encryption-bucket-key-enabled'];
  if (bucketKey !== undefined) input.BucketKeyEnabled = bucketKey === 'true';
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  if (Object.keys(metadata).length > 0) input.Metadata = metadata;
  if (options.checksumAlgorithm !== undefined) input.ChecksumAlgorithm = assertAlgorithm(options.checksumAlgorithm);
  return input;
}

function assertAlgorithm(algorithm: unknown): ChecksumAlgorithm {
  if (typeof algorithm !== 'string' || !(algorithm in CHECKSUM_BYTES)) {
    throw new PresignError(
      'ERR_INVALID_CHECKSUM',
      `Unknown checksum algorithm ${JSON.stringify(algorithm)}; use one of ${Object.keys(CHECKSUM_BYTES).join(', ')}`,
    );
  }
  return algorithm as ChecksumAlgorithm;
}

function assertUploadId(uploadId: unknown): asserts uploadId is string {
  if (typeof uploadId !== 'string' || uploadId === '') {
    throw new PresignError('ERR_INVALID_OPTION', 'uploadId must be the non-empty id presignMultipart returned');
  }
}

function assertOptions(options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new PresignError('ERR_INVALID_OPTION', 'An options object is required');
  }
}

interface PartSigning {
  bucket: string;
  key: string;
  uploadId: string;
  plan: PartPlan | undefined;
  checksumAlgorithm: ChecksumAlgorithm | undefined;
  checksums: Readonly<Record<number, string>> | undefined;
  expiresIn: number | undefined;
  signingDate: Date;
}

/** Validates the parts to sign and their checksums before anything is sent or signed. */
function partHeaders(partNumbers: readonly number[], s: Omit<PartSigning, 'uploadId'>): Array<Record<string, string>> {
  if (s.checksums !== undefined && s.checksumAlgorithm === undefined) {
    throw new PresignError('ERR_INVALID_CHECKSUM', 'checksums need the checksumAlgorithm the upload was created with');
  }
  const seen = new Set<number>();
  return partNumbers.map((partNumber) => {
    assertPartNumber(partNumber, s.plan?.partCount ?? MAX_PARTS);
    if (seen.has(partNumber)) {
      throw new PresignError('ERR_INVALID_OPTION', `Part ${partNumber} is listed twice`);
    }
    seen.add(partNumber);
    const headers: Record<string, string> = {};
    if (s.plan !== undefined) {
      const { start, end } = partRange(s.plan, partNumber);
      headers['content-length'] = String(end - start);
    }
    if (s.checksumAlgorithm !== undefined) {
      const value = s.checksums?.[partNumber];
      if (value === undefined) {
        throw new PresignError(
          'ERR_INVALID_CHECKSUM',
          `Part ${partNumber} needs its ${s.checksumAlgorithm} checksum: the upload checks one on every part`,
        );
      }
      const [name, canonical] = checksumHeader({ algorithm: s.checksumAlgorithm, value });
      headers[name] = canonical;
    }
    return headers;
  });
}

/**
 * Signs a batch of parts at one instant: one signing context (credentials, lifetime, signing key) and
 * one target for all of them, then only the per-part canonical request and HMAC. The same steps as
 * `Signer.sign`, hoisted out of the loop: 10,000 parts sign in the time of a few dozen
 * `getSignedUrl` calls, and every part of a batch expires together.
 */
async function signPartBatch(
  signer: Signer,
  partNumbers: readonly number[],
  headers: Array<Record<string, string>>,
  s: PartSigning,
): Promise<PresignedPart[]> {
  const context = await signer.signingContext(s.signingDate, s.expiresIn);
  const target = context.target(s.bucket);
  const encodedPath = target.pathPrefix + encodeKeyPath(s.key);
  const uploadId: readonly [string, string] = ['uploadId', uriEncode(s.uploadId)];
  const out: PresignedPart[] = new Array(partNumbers.length);
  for (let i = 0; i < partNumbers.length; i++) {
    const partNumber = partNumbers[i] as number;
    const partHeaders = headers[i] as Record<string, string>;
    const query: ReadonlyArray<readonly [string, string]> = [['partNumber', String(partNumber)], uploadId];
    out[i] = { partNumber, request: signAt(context, target, 'PUT', encodedPath, query, partHeaders) };
  }
  return out;
}

function signUploadRequest(
  signer: Signer,
  method: 'POST' | 'DELETE',
  s: Pick<PartSigning, 'bucket' | 'key' | 'uploadId' | 'expiresIn' | 'signingDate'>,
): Promise<PresignedRequest> {
  return signer.sign({
    method,
    bucket: s.bucket,
    key: s.key,
    query: [['uploadId', uriEncode(s.uploadId)]],
    headers: {},
    expiresIn: s.expiresIn,
    signingDate: s.signingDate,
  });
}

/**
 * Creates a multipart upload (CreateMultipartUpload through the presigner's `client`, with the
 * object's content-type, metadata, ACL, SSE... set there once) and signs its parts, its complete
 * and its abort. Every option is checked before the upload is created; if signing fails after it,
 * the upload is aborted (best effort) and the original error is thrown.
 *
 * @example
 * const upload = await presignMultipart(presigner, { key: 'videos/a.mp4', size: file.size, contentType: 'video/mp4' });
 * // hand `upload` to the browser: uploadMultipart(upload, file)
 */
export async function presignMultipart(signer: Signer, options: PresignMultipartOptions): Promise<PresignedMultipart> {
  assertOptions(options);
  assertObjectKey(options.key);
  const bucket = signer.bucketOf(options.bucket);
  const plan = planParts(options.size, options.partSize);
  const input = createInput(options, bucket);
  const checksumAlgorithm = options.checksumAlgorithm;
  let count: number;
  if (options.initialParts !== undefined) {
    const n = options.initialParts;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new PresignError('ERR_INVALID_OPTION', `initialParts must be a whole number >= 0; got ${String(n)}`);
    }
    count = Math.min(n, plan.partCount);
  } else if (checksumAlgorithm !== undefined) {
    count = 0;
    while (count < plan.partCount && options.checksums?.[count + 1] !== undefined) count++;
  } else {
    count = plan.partCount;
  }
  const partNumbers = Array.from({ length: count }, (_, i) => i + 1);
  const signing = {
    bucket,
    key: options.key,
    plan,
    checksumAlgorithm,
    checksums: options.checksums,
    expiresIn: options.expiresIn,
    // One instant for every signature of the upload: they all expire together.
    signingDate: options.signingDate ?? signer.options.now?.() ?? new Date(),
  };
  const headers = partHeaders(partNumbers, signing);
  // Credentials and expiry are checked before S3 is asked to create anything.
  await signer.signingContext(signing.signingDate, signing.expiresIn);

  const created = await sendCommand<{ UploadId?: string }>(signer, 'CreateMultipartUpload', input, options.signal);
  const uploadId = created?.UploadId;
  if (typeof uploadId !== 'string' || uploadId === '') {
    throw new PresignError('ERR_S3', 'CreateMultipartUpload answered without an UploadId');
  }
  try {
    const s = { ...signing, uploadId };
    const parts = await signPartBatch(signer, partNumbers, headers, s);
    const complete = await signUploadRequest(signer, 'POST', s);
    const abort = await signUploadRequest(signer, 'DELETE', s);
    const result: PresignedMultipart = {
      bucket,
      key: options.key,
      uploadId,
      size: plan.size,
      partSize: plan.partSize,
      partCount: plan.partCount,
      parts,
      complete,
      abort,
      expiresAt: complete.expiresAt,
    };
    if (checksumAlgorithm !== undefined) result.checksumAlgorithm = checksumAlgorithm;
    return result;
  } catch (error) {
    await abortQuietly(signer, { bucket, key: options.key, uploadId });
    throw error;
  }
}

/**
 * Signs more parts of an existing upload (lazily, as the consumer's `signParts` callback asks), or
 * re-signs parts whose signatures expired. Pure signing: no call to S3.
 *
 * @example
 * app.post('/uploads/:id/parts', async (req) => presignPartBatch(signer, { key, uploadId, partNumbers: req.body.partNumbers, size, partSize }));
 */
export async function presignParts(signer: Signer, options: PresignPartsOptions): Promise<PresignedPart[]> {
  assertOptions(options);
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  if (!Array.isArray(options.partNumbers)) {
    throw new PresignError('ERR_INVALID_OPTION', 'partNumbers must be an array of part numbers');
  }
  if ((options.size === undefined) !== (options.partSize === undefined)) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      'size and partSize go together: both, to sign content-length, or neither',
    );
  }
  const plan = options.size === undefined ? undefined : planParts(options.size, options.partSize);
  const checksumAlgorithm =
    options.checksumAlgorithm === undefined ? undefined : assertAlgorithm(options.checksumAlgorithm);
  const signing = {
    bucket,
    key: options.key,
    uploadId: options.uploadId,
    plan,
    checksumAlgorithm,
    checksums: options.checksums,
    expiresIn: options.expiresIn,
    signingDate: options.signingDate ?? signer.options.now?.() ?? new Date(),
  };
  const headers = partHeaders(options.partNumbers, signing);
  return signPartBatch(signer, options.partNumbers, headers, signing);
}

/** The `<CompleteMultipartUpload>` parts, validated and sorted by part number. */
function completedParts(
  parts: unknown,
  checksumAlgorithm: ChecksumAlgorithm | undefined,
): Array<Record<string, unknown>> {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new PresignError('ERR_INVALID_OPTION', 'parts must list every uploaded part (at least one)');
  }
  const seen = new Set<number>();
  const out = (parts as CompletedPart[]).map((part) => {
    assertPartNumber(part?.partNumber);
    if (seen.has(part.partNumber))
      throw new PresignError('ERR_INVALID_OPTION', `Part ${part.partNumber} is listed twice`);
    seen.add(part.partNumber);
    if (typeof part.etag !== 'string' || part.etag === '') {
      throw new PresignError('ERR_INVALID_OPTION', `Part ${part.partNumber} has no ETag`);
    }
    const entry: Record<string, unknown> = { PartNumber: part.partNumber, ETag: part.etag };
    if (checksumAlgorithm !== undefined) {
      if (part.checksum === undefined) {
        throw new PresignError(
          'ERR_INVALID_CHECKSUM',
          `Part ${part.partNumber} needs its ${checksumAlgorithm} checksum`,
        );
      }
      const [, value] = checksumHeader({ algorithm: checksumAlgorithm, value: part.checksum });
      entry[`Checksum${checksumAlgorithm}`] = value;
    }
    return entry;
  });
  return out.sort((a, b) => (a.PartNumber as number) - (b.PartNumber as number));
}

/**
 * Completes an upload server-side (CompleteMultipartUpload through the `client`). On failure the
 * upload is aborted (best effort) unless `keepOnFailure`, and the completion's error is thrown.
 *
 * @example
 * const { etag } = await completeMultipart(presigner, { key, uploadId, parts });
 */
export async function completeMultipart(
  signer: Signer,
  options: CompleteMultipartOptions,
): Promise<CompletedMultipart> {
  assertOptions(options);
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  const checksumAlgorithm =
    options.checksumAlgorithm === undefined ? undefined : assertAlgorithm(options.checksumAlgorithm);
  const parts = completedParts(options.parts, checksumAlgorithm);
  let output: { ETag?: string; Location?: string; VersionId?: string };
  try {
    output = await sendCommand(
      signer,
      'CompleteMultipartUpload',
      { Bucket: bucket, Key: options.key, UploadId: options.uploadId, MultipartUpload: { Parts: parts } },
      options.signal,
    );
  } catch (error) {
    if (options.keepOnFailure !== true) {
      await abortQuietly(signer, { bucket, key: options.key, uploadId: options.uploadId });
    }
    throw error;
  }
  const result: CompletedMultipart = { bucket, key: options.key, etag: output?.ETag ?? '' };
  if (output?.Location !== undefined) result.location = output.Location;
  if (output?.VersionId !== undefined) result.versionId = output.VersionId;
  return result;
}

/**
 * Aborts an upload server-side (AbortMultipartUpload through the `client`): S3 frees its parts.
 *
 * @example
 * await abortMultipart(signer, { key, uploadId });
 */
export async function abortMultipart(signer: Signer, options: AbortMultipartOptions): Promise<void> {
  assertOptions(options);
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  await sendCommand(
    signer,
    'AbortMultipartUpload',
    { Bucket: bucket, Key: options.key, UploadId: options.uploadId },
    options.signal,
  );
}

/** Best-effort cleanup after another failure: its own failure must not hide the first one. */
async function abortQuietly(signer: Signer, target: { bucket: string; key: string; uploadId: string }): Promise<void> {
  try {
    await abortMultipart(signer, target);
  } catch {
    // The original error is what the caller needs; a lifecycle rule cleans up what this could not.
  }
}

interface SdkPart {
  PartNumber?: number;
  ETag?: string;
  Size?: number;
  LastModified?: Date;
  [checksum: `Checksum${string}`]: string | undefined;
}

/**
 * Lists the parts S3 holds for an upload, following every page (1,000 parts a page), sorted by
 * part number: what a resumed upload skips.
 *
 * @example
 * const done = await listParts(presigner, { key, uploadId });
 * // the browser: uploadMultipart(upload, file, { resume: done })
 */
export async function listParts(signer: Signer, options: ListPartsOptions): Promise<ListedPart[]> {
  assertOptions(options);
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  const parts: ListedPart[] = [];
  let marker: string | undefined;
  // A server that keeps answering IsTruncated with the same marker must not loop forever.
  for (let page = 0; page <= MAX_PARTS; page++) {
    const input: Record<string, unknown> = { Bucket: bucket, Key: options.key, UploadId: options.uploadId };
    if (marker !== undefined) input.PartNumberMarker = marker;
    const output = await sendCommand<{
      Parts?: SdkPart[];
      IsTruncated?: boolean;
      NextPartNumberMarker?: string | number;
      ChecksumAlgorithm?: string;
    }>(signer, 'ListParts', input, options.signal);
    for (const p of output?.Parts ?? []) {
      if (typeof p.PartNumber !== 'number' || typeof p.ETag !== 'string') continue;
      const part: ListedPart = { partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 };
      if (p.LastModified !== undefined) part.lastModified = p.LastModified;
      const checksum = output.ChecksumAlgorithm === undefined ? undefined : p[`Checksum${output.ChecksumAlgorithm}`];
      if (checksum !== undefined) part.checksum = checksum;
      parts.push(part);
    }
    const next = output?.NextPartNumberMarker === undefined ? undefined : String(output.NextPartNumberMarker);
    if (output?.IsTruncated !== true || next === undefined || next === marker) break;
    marker = next;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}
