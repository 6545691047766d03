/** ListParts through the SDK, every page: the parts S3 holds, which a resumed upload skips. */
import type { ListedPart } from '../../contract/multipart.js';
import { assertObjectKey } from '../../s3/key.js';
import { MAX_PARTS } from '../../s3/limits.js';
import { sendCommand } from '../sdk.js';
import type { Signer } from '../signing.js';
import { assertOptions, assertUploadId, ownerOf } from './checks.js';
import type { ListPartsOptions } from './options.js';

interface SdkPart {
  PartNumber?: number;
  ETag?: string;
  Size?: number;
  LastModified?: Date;
  [checksum: `Checksum${string}`]: string | undefined;
}

/**
 * {@link Presigner.listParts} (documented there): ListParts through the SDK, page after page, sorted
 * by part number.
 */
export async function listParts(signer: Signer, options: ListPartsOptions): Promise<ListedPart[]> {
  assertOptions(options, 'listParts');
  assertObjectKey(options.key);
  assertUploadId(options.uploadId);
  const bucket = signer.bucketOf(options.bucket);
  const owner = ownerOf(options.expectedBucketOwner, signer);
  const parts: ListedPart[] = [];
  let marker: string | undefined;
  // A server that keeps answering IsTruncated with the same marker must not loop forever.
  for (let page = 0; page <= MAX_PARTS; page++) {
    const input: Record<string, unknown> = { Bucket: bucket, Key: options.key, UploadId: options.uploadId };
    if (marker !== undefined) input.PartNumberMarker = marker;
    if (owner !== undefined) input.ExpectedBucketOwner = owner;
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
