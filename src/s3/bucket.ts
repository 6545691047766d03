import { PresignError } from '../errors.js';
import { describe } from './check.js';

/**
 * General purpose bucket naming rules:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

const checked = new Set<string>();

export function assertBucketName(bucket: unknown): asserts bucket is string {
  if (typeof bucket === 'string' && checked.has(bucket)) return;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new PresignError(
      'ERR_INVALID_BUCKET',
      `A bucket name is required: pass \`bucket\` (a string) to the call or to createPresigner; got ${describe(bucket)}`,
    );
  }
  const why = !BUCKET.test(bucket)
    ? 'it must be 3 to 63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit'
    : bucket.includes('..')
      ? 'it must not contain two adjacent dots'
      : IP_LIKE.test(bucket)
        ? 'it must not be formatted as an IP address'
        : RESERVED_PREFIXES.find((p) => bucket.startsWith(p))
          ? 'it starts with a prefix S3 reserves'
          : RESERVED_SUFFIXES.find((s) => bucket.endsWith(s))
            ? 'it ends with a suffix S3 reserves'
            : undefined;
  if (why !== undefined) {
    throw new PresignError('ERR_INVALID_BUCKET', `Invalid bucket name ${describe(bucket)}: ${why}`);
  }
  if (checked.size > 1024) checked.clear();
  checked.add(bucket);
}

/**
 * Whether the bucket can be the first label of a host name (virtual-hosted style). A dotted bucket
 * would add labels: it breaks the `*.s3.amazonaws.com` wildcard certificate, so the SDK sends it
 * path-style, and so does this library.
 */
export function isVirtualHostable(bucket: string): boolean {
  return !bucket.includes('.');
}
