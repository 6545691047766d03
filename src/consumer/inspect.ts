import { Q_CREDENTIAL, Q_SECURITY_TOKEN } from '../contract/query.js';
import type { PresignedMethod, PresignedRequest } from '../contract/request.js';
import { readPresignedUrl } from './descriptor.js';

/** What a presigned URL says about itself; nothing secret (no signature, no token). */
export interface PresignedUrlInfo {
  /** Known only when a descriptor is inspected: a URL does not carry its method. */
  method?: PresignedMethod;
  /** The `host` the URL goes to (and was signed for), with its port when it has one. */
  host: string;
  /** A best guess: from a `BUCKET.s3.*` host name (virtual-hosted), else the first path segment. */
  bucket: string | undefined;
  /** The object key, decoded. */
  key: string;
  /** The region of the signature's credential scope. */
  region: string;
  /** The service of the signature's credential scope (`s3`). */
  service: string;
  /** The access key id that signed it (not a secret; the signature is left out). */
  accessKeyId: string;
  /** Whether it was signed with temporary credentials (it carries a session token). */
  temporaryCredentials: boolean;
  /** The headers the signature covers (`X-Amz-SignedHeaders`), `host` included: the request must send each. */
  signedHeaders: string[];
  /** ISO 8601 UTC instant of signing (`X-Amz-Date`). */
  issuedAt: string;
  /** ISO 8601 UTC instant the signature stops working. */
  expiresAt: string;
  /** Whether `expiresAt` has passed, by `options.now` (this machine's clock by default). */
  expired: boolean;
}

const VIRTUAL_HOST = /^(.+)\.s3[.-]/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Explains a presigned URL (or a descriptor) someone pasted, for debugging: who signed it for which
 * region and object, what headers it needs, and whether it has expired. Nothing secret is returned.
 *
 * @param url A presigned URL, or a descriptor (whose method is then reported too).
 * @param options `now`: the clock `expired` is judged by.
 * @returns What the URL says about itself.
 * @throws {@link PresignError} `ERR_INVALID_DESCRIPTOR` for a URL that is not an http(s) SigV4
 *   query-signed URL (no signature or credential, a malformed `X-Amz-Date` or `X-Amz-Expires`, no
 *   signed `host`).
 * @example
 * ```ts
 * const info = inspectPresignedUrl(url);
 * console.log(info.bucket, info.key, info.signedHeaders, info.expiresAt); // ... '2026-11-29T01:15:00Z'
 * ```
 */
export function inspectPresignedUrl(
  url: string | PresignedRequest,
  options: {
    /**
     * The clock.
     * @default () => new Date()
     */
    now?: (() => Date | number) | undefined;
  } = {},
): PresignedUrlInfo {
  const request = typeof url === 'string' ? undefined : url;
  const { url: parsedUrl, signedAt, expiresAt, signedHeaders } = readPresignedUrl(request ? request.url : url);
  const [accessKeyId = '', , region = '', service = ''] = (parsedUrl.searchParams.get(Q_CREDENTIAL) ?? '').split('/');
  const host = parsedUrl.host;
  const segments = parsedUrl.pathname.slice(1).split('/');
  const bucket = VIRTUAL_HOST.exec(parsedUrl.hostname)?.[1] ?? segments.shift();
  return {
    ...(request ? { method: request.method } : {}),
    host,
    bucket: bucket || undefined,
    key: segments.map(decode).join('/'),
    region,
    service,
    accessKeyId,
    temporaryCredentials: parsedUrl.searchParams.has(Q_SECURITY_TOKEN),
    signedHeaders,
    issuedAt: new Date(signedAt).toISOString().replace('.000Z', 'Z'),
    expiresAt: new Date(expiresAt).toISOString().replace('.000Z', 'Z'),
    expired: expiresAt <= +(options.now?.() ?? Date.now()),
  };
}
