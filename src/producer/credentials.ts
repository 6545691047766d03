import { PresignError } from '../errors.js';
import { isWellFormed } from '../s3/check.js';
import type { Credentials } from './types.js';

const ACCESS_KEY_ID = /^[\x21-\x2e\x30-\x7e]+$/; // printable ASCII but '/', the scope separator
const valid = new WeakSet<object>();

/** Checks credentials once per object; messages name the field, never its value. */
export function assertCredentials(value: unknown, now: number): asserts value is Credentials {
  if (typeof value === 'object' && value !== null && valid.has(value)) {
    checkExpiration(value as Credentials, now);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'Credentials are required: pass `credentials` ({ accessKeyId, secretAccessKey }) or a `client`',
    );
  }
  const c = value as Record<string, unknown>;
  if (typeof c.accessKeyId !== 'string' || !ACCESS_KEY_ID.test(c.accessKeyId)) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'credentials.accessKeyId must be a non-empty string of printable ASCII without "/"',
    );
  }
  if (typeof c.secretAccessKey !== 'string' || c.secretAccessKey === '') {
    throw new PresignError('ERR_INVALID_CREDENTIALS', 'credentials.secretAccessKey must be a non-empty string');
  }
  if (
    c.sessionToken !== undefined &&
    (typeof c.sessionToken !== 'string' || c.sessionToken === '' || !isWellFormed(c.sessionToken))
  ) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'credentials.sessionToken, when present, must be a non-empty string with a UTF-8 form (no lone surrogate)',
    );
  }
  if (c.expiration !== undefined && !(c.expiration instanceof Date && Number.isFinite(c.expiration.getTime()))) {
    throw new PresignError('ERR_INVALID_CREDENTIALS', 'credentials.expiration, when present, must be a valid Date');
  }
  checkExpiration(value as Credentials, now);
  valid.add(value);
}

function checkExpiration(credentials: Credentials, now: number): void {
  if (credentials.expiration !== undefined && credentials.expiration.getTime() <= now) {
    throw new PresignError(
      'ERR_CREDENTIALS_EXPIRED',
      `The temporary credentials expired at ${credentials.expiration.toISOString()}`,
      {
        hint: 'refresh them (a credential provider does) before presigning',
      },
    );
  }
}
