import { PresignError } from '../errors.js';
import { encodeKeyPath } from '../sigv4/encode.js';
import { isVirtualHostable } from './bucket.js';

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
const IP_V4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function assertRegion(region: unknown): asserts region is string {
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw new PresignError(
      'ERR_INVALID_REGION',
      `A region like "us-east-1" is required; got ${JSON.stringify(region)}`,
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
  if (options.endpoint !== undefined) {
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
  } else {
    const suffix = options.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    base = new URL(`https://s3.${options.dualstack ? 'dualstack.' : ''}${options.region}.${suffix}`);
  }
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
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
