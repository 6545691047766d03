/**
 * `presignMultipart`: CreateMultipartUpload through the SDK, with the object options set once, then
 * the first parts, the complete and the abort signed for the new upload.
 */
import type { PresignedMultipart } from '../../contract/multipart.js';
import { PresignError } from '../../errors.js';
import { type ChecksumType, checksumTypeOf } from '../../s3/headers.js';
import { assertObjectKey } from '../../s3/key.js';
import { planParts } from '../../s3/multipart-plan.js';
import { objectHeaders, type RequestParts } from '../requests.js';
import { sendCommand } from '../sdk.js';
import type { Signer } from '../signing.js';
import { assertAlgorithm, assertChecksums, assertOptions, conditionHeaders, ownerHeaders, ownerOf } from './checks.js';
import { abortQuietly } from './control.js';
import { CREATE_FIELDS } from './create-fields.js';
import type { PresignMultipartOptions } from './options.js';
import { partHeaders, signPartBatch, signUploadRequest } from './parts.js';

/**
 * The CreateMultipartUpload input for the object options: validated and canonicalised by the same
 * code as a presigned PUT's headers, then named the way the SDK wants them.
 */
function createInput(options: PresignMultipartOptions, bucket: string, signer: Signer): Record<string, unknown> {
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
  if (options.checksumAlgorithm !== undefined) {
    const algorithm = assertAlgorithm(options.checksumAlgorithm);
    input.ChecksumAlgorithm = algorithm;
    input.ChecksumType = checksumTypeOf(algorithm, options.checksumType);
  } else if (options.checksumType !== undefined) {
    throw new PresignError('ERR_INVALID_CHECKSUM', 'checksumType needs the checksumAlgorithm it applies to');
  }
  const owner = ownerOf(options.expectedBucketOwner, signer);
  if (owner !== undefined) input.ExpectedBucketOwner = owner;
  return input;
}

/**
 * {@link Presigner.presignMultipart} (documented there): every option checked, credentials and expiry
 * included, before S3 is asked to create anything; the upload aborted (best effort) when signing
 * fails after it was created.
 */
export async function presignMultipart(signer: Signer, options: PresignMultipartOptions): Promise<PresignedMultipart> {
  assertOptions(options, 'presignMultipart');
  assertObjectKey(options.key);
  assertChecksums(options.checksums);
  const bucket = signer.bucketOf(options.bucket);
  const plan = planParts(options.size, options.partSize);
  const input = createInput(options, bucket, signer);
  const completeHeaders = conditionHeaders(options);
  const checksumAlgorithm = options.checksumAlgorithm;
  let count: number;
  if (options.initialParts !== undefined) {
    // A whole number >= 0: checked by assertOptions.
    count = Math.min(options.initialParts, plan.partCount);
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
    owner: input.ExpectedBucketOwner as string | undefined,
    expiresIn: options.expiresIn,
    signingDate: options.signingDate,
  };
  const headers = partHeaders(partNumbers, signing);
  // Credentials and expiry are checked before S3 is asked to create anything.
  await signer.signingContext(options.signingDate, options.expiresIn);

  const created = await sendCommand<{ UploadId?: string }>(signer, 'CreateMultipartUpload', input, options.signal);
  const uploadId = created?.UploadId;
  if (typeof uploadId !== 'string' || uploadId === '') {
    throw new PresignError('ERR_S3', 'CreateMultipartUpload answered without an UploadId');
  }
  try {
    // One instant for every signature of the upload, read once it exists (after the credentials
    // resolved, unless the caller pinned it): they all expire together, none is born old.
    const { signedAt } = await signer.signingContext(options.signingDate, options.expiresIn);
    const s = { ...signing, uploadId, signingDate: new Date(signedAt) };
    const parts = await signPartBatch(signer, partNumbers, headers, s);
    const complete = await signUploadRequest(signer, 'POST', s, completeHeaders);
    const abort = await signUploadRequest(signer, 'DELETE', s);
    const head = await signer.sign({
      method: 'HEAD',
      bucket,
      key: options.key,
      query: [],
      headers: ownerHeaders(s.owner),
      expiresIn: s.expiresIn,
      signingDate: s.signingDate,
    });
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
      head,
      expiresAt: complete.expiresAt,
    };
    if (checksumAlgorithm !== undefined) {
      result.checksumAlgorithm = checksumAlgorithm;
      result.checksumType = input.ChecksumType as ChecksumType;
    }
    return result;
  } catch (error) {
    await abortQuietly(signer, { bucket, key: options.key, uploadId });
    throw error;
  }
}
