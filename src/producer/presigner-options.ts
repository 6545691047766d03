/**
 * The run-time types of {@link PresignerOptions}, checked once by `createPresigner` before anything
 * else: every option absent (`undefined`) or of its type, never coerced. Ranges and meanings
 * (region names, endpoint URLs, bucket names, expiry bounds, credentials) are checked by the code
 * that uses each option.
 */
import { readBoolean, readFunction, readOneOf, readOptions, refuse } from '../s3/check.js';
import type { PresignerOptions } from './types.js';

const STRINGS = ['region', 'endpoint', 'bucket'] as const;
const BOOLEANS = ['forcePathStyle', 'dualstack'] as const;

export function checkPresignerOptions(options: unknown): asserts options is PresignerOptions {
  const o = readOptions('createPresigner', options, ' with credentials or a client');
  for (const name of STRINGS) {
    const value = o[name];
    if (value !== undefined && typeof value !== 'string') {
      refuse(
        name,
        'a string',
        value,
        name === 'region' ? 'ERR_INVALID_REGION' : name === 'endpoint' ? 'ERR_INVALID_ENDPOINT' : 'ERR_INVALID_BUCKET',
      );
    }
  }
  for (const name of BOOLEANS) if (o[name] !== undefined) readBoolean(name, o[name]);
  if (o.onCredentialExpiry !== undefined) readOneOf('onCredentialExpiry', o.onCredentialExpiry, ['clamp', 'throw']);
  if (o.now !== undefined) readFunction('now', o.now);
  if (o.client !== undefined) {
    const client = o.client as { config?: { credentials?: unknown }; send?: unknown };
    if (
      typeof client !== 'object' ||
      client === null ||
      typeof client.send !== 'function' ||
      typeof client.config?.credentials !== 'function'
    ) {
      refuse('client', 'an S3Client from @aws-sdk/client-s3', o.client);
    }
  }
}
