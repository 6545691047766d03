/**
 * What a presigner signs with, resolved from its options: region, the endpoint of each bucket and
 * the credential source. Given outright (static credentials or a provider), or read from an
 * `S3Client`: its region, custom endpoint, path style, dual-stack setting and credential chain,
 * each of them overridden by the presigner's own option when that is set.
 */
import { type BucketTarget, createTargetResolver } from '../s3/endpoint.js';
import type { Credentials, CredentialsProvider, PresignerOptions, S3ClientLike } from './types.js';

/** What the presigner resolved from its options (some of it read asynchronously from a client). */
export interface ResolvedConfig {
  region: string;
  target: (bucket: string) => BucketTarget;
  credentials: Credentials | CredentialsProvider;
}

/** The configuration of a presigner without a client (its credentials already checked). */
export function configFromOptions(
  options: PresignerOptions,
  credentials: Credentials | CredentialsProvider,
): ResolvedConfig {
  const region = options.region as string;
  return {
    region,
    target: createTargetResolver({
      region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      dualstack: options.dualstack,
    }),
    credentials,
  };
}

/** The configuration read from an `S3Client`; the presigner's options win where they are set. */
export async function configFromClient(client: S3ClientLike, options: PresignerOptions): Promise<ResolvedConfig> {
  const config = client.config;
  const region = options.region ?? (typeof config.region === 'function' ? await config.region() : config.region);
  let endpoint = options.endpoint;
  if (endpoint === undefined && config.isCustomEndpoint === true && config.endpoint !== undefined) {
    const e = await config.endpoint();
    endpoint = `${e.protocol}//${e.hostname}${e.port === undefined ? '' : `:${e.port}`}${e.path}`;
  }
  const dualstack =
    options.dualstack ??
    (typeof config.useDualstackEndpoint === 'function'
      ? await config.useDualstackEndpoint()
      : config.useDualstackEndpoint === true);
  return {
    region,
    target: createTargetResolver({
      region,
      endpoint,
      forcePathStyle: options.forcePathStyle ?? config.forcePathStyle === true,
      dualstack,
    }),
    credentials: options.credentials ?? (() => config.credentials()),
  };
}
