import { PresignError } from '../errors.js';
import { encodeKeyPath, uriEncode } from '../sigv4/encode.js';
import { isVirtualHostable } from './bucket.js';
import { describe } from './check.js';

export interface EndpointOptions {
  region: string;
  /** Custom endpoint: `https://host[:port][/base]`. */
  endpoint?: string | undefined;
  forcePathStyle?: boolean | undefined;
  dualstack?: boolean | undefined;
}

/** Where requests for one bucket go. */
export interface BucketTarget {
  origin: string;
  host: string;
  /** Encoded path prefix before the key, ending in `/`: `/` or `/bucket/` or `/base/bucket/`. */
  pathPrefix: string;
}

const REGION = /^[a-z0-9-]{1,64}$/;
// What a URL parser drops or rewrites before the request is sent: spaces, tabs, newlines and other
// control characters (stripped or removed), and `\` (read as `/` in http(s) URLs).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern
const REWRITTEN = /[\u0000-\u0020\u007f\\]/;
// A `.` or `..` path segment, plain or percent-encoded: URL parsers resolve it away.
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?=[/?#]|$)/i;
const IP_V4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function assertRegion(region: unknown): asserts region is string {
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw new PresignError(
      'ERR_INVALID_REGION',
      `region must be a region name like "us-east-1", got ${describe(region)}`,
    );
  }
}

/**
 * Resolves endpoint and addressing style the way the AWS SDK does for S3:
 * virtual-hosted (`bucket.s3.region.amazonaws.com`) unless path style is forced or the bucket is
 * dotted. Unlike the SDK, an IP or `localhost` endpoint is path-style too: `bucket.localhost` does
 * not resolve in Node, and every local S3 server (MinIO, s3rver, LocalStack) takes path-style.
 */
export function createTargetResolver(options: EndpointOptions): (bucket: string) => BucketTarget {
  assertRegion(options.region);
  let base: URL;
  let basePath = '/';
  if (options.endpoint !== undefined) {
    if (typeof options.endpoint !== 'string') {
      throw new PresignError(
        'ERR_INVALID_ENDPOINT',
        `endpoint must be a URL string, got ${describe(options.endpoint)}`,
      );
    }
    if (REWRITTEN.test(options.endpoint) || DOT_SEGMENT.test(options.endpoint)) {
      throw new PresignError(
        'ERR_INVALID_ENDPOINT',
        'The endpoint has a space, a control character, a backslash or a "." / ".." path segment, which URL parsers rewrite: the request would not go where it was signed for',
      );
    }
    try {
      base = new URL(options.endpoint);
    } catch (cause) {
      throw new PresignError('ERR_INVALID_ENDPOINT', `The endpoint ${JSON.stringify(options.endpoint)} is not a URL`, {
        cause,
      });
    }
    if (
      (base.protocol !== 'https:' && base.protocol !== 'http:') ||
      base.search !== '' ||
      base.hash !== '' ||
      base.username !== '' ||
      base.password !== ''
    ) {
      throw new PresignError(
        'ERR_INVALID_ENDPOINT',
        'The endpoint must be an http(s) URL without credentials, query or fragment',
      );
    }
    basePath = canonicalBasePath(base.pathname);
  } else {
    const suffix = options.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    base = new URL(`https://s3.${options.dualstack ? 'dualstack.' : ''}${options.region}.${suffix}`);
  }
  const hostOnly = base.hostname;
  const noVirtualHost =
    options.forcePathStyle === true || IP_V4.test(hostOnly) || hostOnly.startsWith('[') || hostOnly === 'localhost';

  const cache = new Map<string, BucketTarget>();
  return (bucket) => {
    let target = cache.get(bucket);
    if (target === undefined) {
      if (noVirtualHost || !isVirtualHostable(bucket)) {
        target = { origin: base.origin, host: base.host, pathPrefix: `${basePath}${encodeKeyPath(bucket)}/` };
      } else {
        const host = `${bucket}.${base.host}`;
        target = { origin: `${base.protocol}//${host}`, host, pathPrefix: basePath };
      }
      if (cache.size > 256) cache.clear();
      cache.set(bucket, target);
    }
    return target;
  };
}

/**
 * The endpoint's path as SigV4 canonicalises it, ending in `/`: each segment decoded, then
 * RFC 3986-encoded (upper-case hex, only `A-Z a-z 0-9 - . _ ~` left as they are). The URL then carries
 * exactly the canonical path, so whether a server canonicalises the path as received or decoded and
 * re-encoded, it computes the same signature (URL parsers leave `!`, `'`, `(`, `)`, `*`, `$`, `+`...
 * as typed). An encoded `/` (`%2F`) has no single reading (one segment or two), so it is refused.
 */
function canonicalBasePath(pathname: string): string {
  const segments = pathname.split('/').map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch (cause) {
      throw new PresignError('ERR_INVALID_ENDPOINT', 'The endpoint path has percent-encoding that is not UTF-8', {
        cause,
      });
    }
    if (decoded.includes('/') || decoded.includes('\\')) {
      throw new PresignError(
        'ERR_INVALID_ENDPOINT',
        'The endpoint path has an encoded "/" or "\\" (%2F, %5C): servers differ on whether it splits the segment',
      );
    }
    return uriEncode(decoded);
  });
  const path = segments.join('/');
  return path.endsWith('/') ? path : `${path}/`;
}
