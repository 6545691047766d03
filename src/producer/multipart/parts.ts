/**
 * Part signing: the per-part headers (exact `content-length`, checksums), batches of parts signed at
 * one instant, the upload's complete and abort requests, and `presignParts`. Pure signing: no call
 * to S3.
 */
import type { PresignedPart } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { PresignError } from '../../errors.js';
import { refuse } from '../../s3/check.js';
import { type ChecksumAlgorithm, checksumHeader } from '../../s3/headers.js';
import { assertObjectKey } from '../../s3/key.js';
import { MAX_PARTS } from '../../s3/limits.js';
import { assertPartNumber, type PartPlan, partRange, planParts } from '../../s3/multipart-plan.js';
import { encodeKeyPath, uriEncode } from '../../sigv4/encode.js';
import { type Signer, signAt } from '../signing.js';
import { assertAlgorithm, assertChecksums, assertOptions, assertUploadId, ownerHeaders, ownerOf } from './checks.js';
import type { PresignPartsOptions } from './options.js';

export interface PartSigning {
  bucket: string;
  key: string;
  uploadId: string;
  plan: PartPlan | undefined;
  checksumAlgorithm: ChecksumAlgorithm | undefined;
  checksums: Readonly<Record<number, string>> | undefined;
  /** The bucket's expected owner, signed on every request of the upload. */
  owner: string | undefined;
  expiresIn: number | undefined;
  /** The caller's pinned instant; without one, the signing context reads the clock. */
  signingDate: Date | undefined;
}

/** Validates the parts to sign and their checksums before anything is sent or signed. */
export function partHeaders(
  partNumbers: readonly number[],
  s: Omit<PartSigning, 'uploadId'>,
): Array<Record<string, string>> {
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
    const headers = ownerHeaders(s.owner);
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
      const [name, canonical] = checksumHeader(
        { algorithm: s.checksumAlgorithm, value },
        `The checksum of part ${partNumber}`,
      );
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
export async function signPartBatch(
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

/** The upload's `complete` (POST, with the completion's conditions) or `abort` (DELETE). */
export function signUploadRequest(
  signer: Signer,
  method: 'POST' | 'DELETE',
  s: Pick<PartSigning, 'bucket' | 'key' | 'uploadId' | 'owner' | 'expiresIn' | 'signingDate'>,
  conditions: Record<string, string> = {},
): Promise<PresignedRequest> {
  return signer.sign({
    method,
    bucket: s.bucket,
    key: s.key,
    query: [['uploadId', uriEncode(s.uploadId)]],
    headers: { ...ownerHeaders(s.owner), ...conditions },
    expiresIn: s.expiresIn,
    signingDate: s.signingDate,
  });
}

/**
 * {@link Presigner.presignParts} (documented there): the options checked, then one batch signed at
 * one instant. Pure signing: no call to S3.
 */
export async function presignParts(signer: Signer, options: PresignPartsOptions): Promise<PresignedPart[]> {
  assertOptions(options, 'presignParts');
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  assertChecksums(options.checksums);
  const bucket = signer.bucketOf(options.bucket);
  if (!Array.isArray(options.partNumbers) || options.partNumbers.length > MAX_PARTS) {
    refuse('partNumbers', `an array of at most ${MAX_PARTS} part numbers`, options.partNumbers);
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
    owner: ownerOf(options.expectedBucketOwner, signer),
    expiresIn: options.expiresIn,
    signingDate: options.signingDate,
  };
  const headers = partHeaders(options.partNumbers, signing);
  return signPartBatch(signer, options.partNumbers, headers, signing);
}
