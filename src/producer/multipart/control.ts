/**
 * Completing and aborting an upload server-side, through the SDK: CompleteMultipartUpload (aborting
 * on failure unless asked to keep the upload) and AbortMultipartUpload.
 */
import type { CompletedPart } from '../../contract/multipart.js';
import { isPresignError, PresignError } from '../../errors.js';
import { readString, refuse } from '../../s3/check.js';
import { type ChecksumAlgorithm, checksumHeader } from '../../s3/headers.js';
import { assertObjectKey } from '../../s3/key.js';
import { MAX_PARTS } from '../../s3/limits.js';
import { assertPartNumber } from '../../s3/multipart-plan.js';
import { sendCommand } from '../sdk.js';
import type { Signer } from '../signing.js';
import { assertAlgorithm, assertOptions, assertUploadId } from './checks.js';
import type { AbortMultipartOptions, CompletedMultipart, CompleteMultipartOptions } from './options.js';

/** What the SDK answers to CompleteMultipartUpload (and, ETag and VersionId, to HeadObject). */
interface CompleteOutput {
  ETag?: string | undefined;
  Location?: string | undefined;
  VersionId?: string | undefined;
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
  let output: CompleteOutput;
  try {
    output = await sendCommand(
      signer,
      'CompleteMultipartUpload',
      { Bucket: bucket, Key: options.key, UploadId: options.uploadId, MultipartUpload: { Parts: parts } },
      options.signal,
    );
  } catch (error) {
    const target = { bucket, key: options.key, uploadId: options.uploadId };
    // No answer (the SDK retried, and may have completed it on an attempt whose answer was lost), or
    // S3 no longer knows the upload: look at the object before anything else, and never abort then.
    const gone = isPresignError(error, 'ERR_S3') && error.s3Code === 'NoSuchUpload';
    if (gone || (isPresignError(error, 'ERR_S3') && error.status === undefined)) {
      const found = await completedObject(signer, target, parts.length, options.signal).catch(() => undefined);
      if (found) output = found;
      else throw Object.assign(error as PresignError, { leftOpen: !gone });
    } else {
      const aborted = options.keepOnFailure !== true && (await abortQuietly(signer, target));
      throw PresignError.is(error) ? Object.assign(error, { leftOpen: !aborted }) : error;
    }
  }
  const result: CompletedMultipart = { bucket, key: options.key, etag: output?.ETag ?? '' };
  if (output?.Location !== undefined) result.location = output.Location;
  if (output?.VersionId !== undefined) result.versionId = output.VersionId;
  return result;
}

/**
 * The object an upload of `partCount` parts made, when S3 holds it: HeadObject finds an ETag that is a
 * multipart one of as many parts (`"…-N"`). `undefined` when there is none or it is another one.
 */
async function completedObject(
  signer: Signer,
  target: { bucket: string; key: string },
  partCount: number,
  signal: AbortSignal | undefined,
): Promise<CompleteOutput | undefined> {
  const head = await sendCommand<CompleteOutput>(
    signer,
    'HeadObject',
    { Bucket: target.bucket, Key: target.key },
    signal,
  );
  return head?.ETag?.endsWith(`-${partCount}"`) ? { ETag: head.ETag, VersionId: head.VersionId } : undefined;
}

/** {@link Presigner.abortMultipart} (documented there): AbortMultipartUpload through the SDK. */
export async function abortMultipart(signer: Signer, options: AbortMultipartOptions): Promise<void> {
  assertOptions(options, 'abortMultipart');
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

/**
 * Cleanup after another failure, whose own failure must not hide the first one: whether the upload
 * is gone (aborted now, or S3 no longer knows it).
 */
export async function abortQuietly(
  signer: Signer,
  target: { bucket: string; key: string; uploadId: string },
): Promise<boolean> {
  try {
    await abortMultipart(signer, target);
    return true;
  } catch (error) {
    // The original error is what the caller needs; a lifecycle rule cleans up what this could not.
    return isPresignError(error, 'ERR_S3') && error.s3Code === 'NoSuchUpload';
  }
}
