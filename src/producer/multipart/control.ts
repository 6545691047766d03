/**
 * Completing and aborting an upload server-side, through the SDK: CompleteMultipartUpload (aborting
 * on failure unless asked to keep the upload) and AbortMultipartUpload.
 */
import type { CompletedPart } from '../../contract/multipart.js';
import { isPresignError, PresignError } from '../../errors.js';
import { readString, refuse } from '../../s3/check.js';
import { CHECKSUM_TYPES, type ChecksumAlgorithm, checksumHeader, checksumTypeOf } from '../../s3/headers.js';
import { assertObjectKey } from '../../s3/key.js';
import { MAX_PARTS } from '../../s3/limits.js';
import { assertPartNumber } from '../../s3/multipart-plan.js';
import { sendCommand } from '../sdk.js';
import type { Signer } from '../signing.js';
import { assertAlgorithm, assertOptions, assertUploadId, conditionHeaders, ownerOf } from './checks.js';
import type { AbortMultipartOptions, CompletedMultipart, CompleteMultipartOptions } from './options.js';

/** What the SDK answers to CompleteMultipartUpload (and, ETag and VersionId, to HeadObject). */
interface CompleteOutput {
  ETag?: string | undefined;
  Location?: string | undefined;
  VersionId?: string | undefined;
  ChecksumType?: string | undefined;
  [checksum: `Checksum${string}`]: string | undefined;
}
/** An ETag as S3 sends it (a header value): printable ASCII. */
const PRINTABLE = /^[\x20-\x7e]+$/;

/** The `<CompleteMultipartUpload>` parts, validated and sorted by part number. */
function completedParts(
  parts: unknown,
  checksumAlgorithm: ChecksumAlgorithm | undefined,
): Array<Record<string, unknown>> {
  if (!Array.isArray(parts) || parts.length === 0 || parts.length > MAX_PARTS) {
    refuse('parts', `an array of the 1 to ${MAX_PARTS} uploaded parts`, parts);
  }
  const seen = new Set<number>();
  const out = (parts as CompletedPart[]).map((part) => {
    if (typeof part !== 'object' || part === null) refuse('Each of parts', 'an object { partNumber, etag }', part);
    assertPartNumber(part.partNumber);
    if (seen.has(part.partNumber))
      throw new PresignError('ERR_INVALID_OPTION', `Part ${part.partNumber} is listed twice`);
    seen.add(part.partNumber);
    readString(`The etag of part ${part.partNumber}`, part.etag, true);
    if (!PRINTABLE.test(part.etag)) {
      throw new PresignError('ERR_INVALID_OPTION', `The etag of part ${part.partNumber} is not printable ASCII`);
    }
    const entry: Record<string, unknown> = { PartNumber: part.partNumber, ETag: part.etag };
    if (checksumAlgorithm !== undefined) {
      if (part.checksum === undefined) {
        throw new PresignError(
          'ERR_INVALID_CHECKSUM',
          `Part ${part.partNumber} needs its ${checksumAlgorithm} checksum`,
        );
      }
      const [, value] = checksumHeader(
        { algorithm: checksumAlgorithm, value: part.checksum },
        `The checksum of part ${part.partNumber}`,
      );
      entry[`Checksum${checksumAlgorithm}`] = value;
    }
    return entry;
  });
  return out.sort((a, b) => (a.PartNumber as number) - (b.PartNumber as number));
}

/**
 * {@link Presigner.completeMultipart} (documented there): CompleteMultipartUpload through the SDK,
 * aborting the upload (best effort) on failure unless `keepOnFailure`.
 */
export async function completeMultipart(
  signer: Signer,
  options: CompleteMultipartOptions,
): Promise<CompletedMultipart> {
  assertOptions(options, 'completeMultipart');
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  const checksumAlgorithm =
    options.checksumAlgorithm === undefined ? undefined : assertAlgorithm(options.checksumAlgorithm);
  const parts = completedParts(options.parts, checksumAlgorithm);
  const input = completeInput(options, checksumAlgorithm, signer);
  input.Bucket = bucket;
  input.MultipartUpload = { Parts: parts };
  const owner = input.ExpectedBucketOwner as string | undefined;
  let output: CompleteOutput;
  try {
    output = await sendCommand(signer, 'CompleteMultipartUpload', input, options.signal);
  } catch (error) {
    const target = { bucket, key: options.key, uploadId: options.uploadId };
    // No answer (the SDK retried, and may have completed it on an attempt whose answer was lost), or
    // S3 no longer knows the upload: look at the object before anything else, and never abort then.
    const gone = isPresignError(error, 'ERR_S3') && error.s3Code === 'NoSuchUpload';
    if (gone || (isPresignError(error, 'ERR_S3') && error.status === undefined)) {
      const found = await completedObject(signer, { ...target, owner }, parts.length, options.signal).catch(
        () => undefined,
      );
      if (found) output = found;
      else throw Object.assign(error as PresignError, { leftOpen: !gone });
    } else {
      const aborted =
        options.keepOnFailure !== true && (await abortQuietly(signer, { ...target, expectedBucketOwner: owner }));
      throw PresignError.is(error) ? Object.assign(error, { leftOpen: !aborted }) : error;
    }
  }
  const result: CompletedMultipart = { bucket, key: options.key, etag: output?.ETag ?? '' };
  if (output?.Location !== undefined) result.location = output.Location;
  if (output?.VersionId !== undefined) result.versionId = output.VersionId;
  const algorithm = checksumAlgorithm ?? options.checksum?.algorithm;
  const value = algorithm === undefined ? undefined : output?.[`Checksum${algorithm}`];
  if (algorithm !== undefined && value !== undefined) {
    result.checksum = { algorithm, value };
    const type = output?.ChecksumType;
    if (type === 'FULL_OBJECT' || type === 'COMPOSITE') result.checksum.type = type;
  }
  return result;
}

/**
 * The CompleteMultipartUpload input but its parts: the upload, its checksum type and full-object
 * checksum, the conditions (`If-None-Match: *`, `If-Match`) and the expected bucket owner, checked.
 */
function completeInput(
  options: CompleteMultipartOptions,
  checksumAlgorithm: ChecksumAlgorithm | undefined,
  signer: Signer,
): Record<string, unknown> {
  const input: Record<string, unknown> = { Key: options.key, UploadId: options.uploadId };
  if (options.checksumType !== undefined) {
    if (checksumAlgorithm === undefined) {
      throw new PresignError('ERR_INVALID_CHECKSUM', 'checksumType needs the checksumAlgorithm it applies to');
    }
    input.ChecksumType = checksumTypeOf(checksumAlgorithm, options.checksumType);
  }
  if (options.checksum !== undefined) {
    checksumHeader(options.checksum, 'checksum');
    const { algorithm, value } = options.checksum;
    if (!CHECKSUM_TYPES.FULL_OBJECT.includes(algorithm) || input.ChecksumType === 'COMPOSITE') {
      throw new PresignError(
        'ERR_INVALID_CHECKSUM',
        `A whole-object checksum is a FULL_OBJECT CRC (CRC64NVME, CRC32, CRC32C), not ${algorithm}${input.ChecksumType === 'COMPOSITE' ? ' COMPOSITE' : ''}`,
      );
    }
    if (checksumAlgorithm !== undefined && checksumAlgorithm !== algorithm) {
      throw new PresignError(
        'ERR_INVALID_CHECKSUM',
        `The object's checksum is ${algorithm}, the upload's parts ${checksumAlgorithm}: they must be one algorithm`,
      );
    }
    input[`Checksum${algorithm}`] = value;
    input.ChecksumType = 'FULL_OBJECT';
  }
  const conditions = conditionHeaders(options);
  if (conditions['if-none-match'] !== undefined) input.IfNoneMatch = conditions['if-none-match'];
  if (conditions['if-match'] !== undefined) input.IfMatch = conditions['if-match'];
  const owner = ownerOf(options.expectedBucketOwner, signer);
  if (owner !== undefined) input.ExpectedBucketOwner = owner;
  return input;
}

/**
 * The object an upload of `partCount` parts made, when S3 holds it: HeadObject finds an ETag that is a
 * multipart one of as many parts (`"…-N"`). `undefined` when there is none or it is another one.
 */
async function completedObject(
  signer: Signer,
  target: { bucket: string; key: string; owner: string | undefined },
  partCount: number,
  signal: AbortSignal | undefined,
): Promise<CompleteOutput | undefined> {
  const input: Record<string, unknown> = { Bucket: target.bucket, Key: target.key };
  if (target.owner !== undefined) input.ExpectedBucketOwner = target.owner;
  const head = await sendCommand<CompleteOutput>(signer, 'HeadObject', input, signal);
  return head?.ETag?.endsWith(`-${partCount}"`) ? { ETag: head.ETag, VersionId: head.VersionId } : undefined;
}

/** {@link Presigner.abortMultipart} (documented there): AbortMultipartUpload through the SDK. */
export async function abortMultipart(signer: Signer, options: AbortMultipartOptions): Promise<void> {
  assertOptions(options, 'abortMultipart');
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  const input: Record<string, unknown> = { Bucket: bucket, Key: options.key, UploadId: options.uploadId };
  const owner = ownerOf(options.expectedBucketOwner, signer);
  if (owner !== undefined) input.ExpectedBucketOwner = owner;
  await sendCommand(signer, 'AbortMultipartUpload', input, options.signal);
}

/**
 * Cleanup after another failure, whose own failure must not hide the first one: whether the upload
 * is gone (aborted now, or S3 no longer knows it).
 */
export async function abortQuietly(
  signer: Signer,
  target: { bucket: string; key: string; uploadId: string; expectedBucketOwner?: string | undefined },
): Promise<boolean> {
  try {
    await abortMultipart(signer, target);
    return true;
  } catch (error) {
    // The original error is what the caller needs; a lifecycle rule cleans up what this could not.
    return isPresignError(error, 'ERR_S3') && error.s3Code === 'NoSuchUpload';
  }
}
