import { PresignError } from '../errors.js';
import { refuse } from '../s3/check.js';
import { MAX_EXPIRES_IN } from '../s3/limits.js';
import type { Credentials } from './types.js';

export interface ExpiryPolicy {
  defaultExpiresIn: number;
  maxExpiresIn: number;
  onCredentialExpiry: 'clamp' | 'throw';
}

export function assertExpiresIn(value: unknown, max: number, what = 'expiresIn'): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_EXPIRES_IN) {
    refuse(what, `a whole number of seconds from 1 to ${MAX_EXPIRES_IN} (7 days)`, value, 'ERR_INVALID_EXPIRES');
  }
  if (value > max) {
    throw new PresignError(
      'ERR_INVALID_EXPIRES',
      `${what} is ${value} s, over this presigner's maxExpiresIn of ${max} s`,
    );
  }
}

/**
 * The lifetime to sign for, in seconds from `signedAt` (whole seconds, as X-Amz-Date has them).
 * Temporary credentials bound it: a URL is never signed to outlive them.
 */
export function effectiveExpiresIn(
  requested: number | undefined,
  policy: ExpiryPolicy,
  signedAt: number,
  credentials: Pick<Credentials, 'expiration'>,
): number {
  const expiresIn = requested ?? policy.defaultExpiresIn;
  if (requested !== undefined) assertExpiresIn(requested, policy.maxExpiresIn);
  const expiration = credentials.expiration?.getTime();
  if (expiration === undefined || signedAt + expiresIn * 1000 <= expiration) return expiresIn;
  const left = Math.floor((expiration - signedAt) / 1000);
  if (policy.onCredentialExpiry === 'throw' || left < 1) {
    throw new PresignError(
      'ERR_CREDENTIALS_EXPIRED',
      `The temporary credentials expire at ${credentials.expiration?.toISOString()}, ${left} s from signing, before the requested ${expiresIn} s`,
      { hint: "refresh them first, or set onCredentialExpiry: 'clamp' to sign for the time they have left" },
    );
  }
  return left;
}
