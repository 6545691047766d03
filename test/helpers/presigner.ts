import { S3Client } from '@aws-sdk/client-s3';
import { createPresigner, type Presigner, type PresignerOptions } from '../../src/index.js';
import { CANARY } from './canary.js';
import { TEST_BUCKET, TEST_REGION } from './s3-server.js';

/**
 * The presigner the integration and browser tests sign with, built through the public
 * `createPresigner`: the local s3rver at `endpoint` (`startS3().endpoint`, or a fault proxy in front
 * of it), the canary credentials (test/helpers/canary.ts, which s3rver accepts), its region and
 * bucket, path style. `overrides` replace any of those or add
 * other options (`now`, `expiresIn`, temporary `credentials`, ...).
 */
export function localPresigner(endpoint: string, overrides: Partial<PresignerOptions> = {}): Presigner {
  return createPresigner({
    region: TEST_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: CANARY,
    bucket: TEST_BUCKET,
    ...overrides,
  });
}

/** An `@aws-sdk/client-s3` client for the local s3rver at `endpoint` (path style, the canary credentials). */
function localClient(endpoint: string): S3Client {
  return new S3Client({ region: TEST_REGION, endpoint, forcePathStyle: true, credentials: { ...CANARY } });
}

/**
 * A presigner that takes everything from {@link localClient}`(endpoint)`: region, endpoint, path
 * style and credentials come from the SDK client (the way a service reuses its own), and the
 * multipart control calls (create, complete, abort, list) go through it. `overrides` can still point
 * the signed URLs elsewhere (e.g. `{ endpoint: proxy.endpoint, forcePathStyle: true }`) or set `now`.
 */
export function localClientPresigner(endpoint: string, overrides: Partial<PresignerOptions> = {}): Presigner {
  return createPresigner({ client: localClient(endpoint), bucket: TEST_BUCKET, ...overrides });
}
