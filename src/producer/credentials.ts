/**
 * Credentials read once per presign into a snapshot: each field of the caller's object (or of what a
 * provider returned) is read exactly once, checked, and copied, so an object mutated while a presign
 * runs (or between two) never yields a URL that mixes one key id with another key's signature.
 * Messages name the field, never its value.
 */
import { PresignError } from '../errors.js';
import { isWellFormed } from '../s3/check.js';
import type { Credentials } from './types.js';

const ACCESS_KEY_ID = /^[\x21-\x2e\x30-\x7e]+$/; // printable ASCII but '/', the scope separator
// What a session token may hold: the query-safe printable ASCII of STS, SSO and instance-role tokens
// (base64 with `+`, `/`, `=`). Anything else (a lone surrogate, a control character) could not be
// encoded into the URL, or would mean a token that is not one.
const SESSION_TOKEN = /^[\x21-\x7e]+$/;

/** What a signature is made with: one consistent reading of the credentials. */
export interface CredentialSnapshot {
  /** What travels in the URL: the key id, the session token, the expiration (a copy). */
  readonly identity: Readonly<Pick<Credentials, 'accessKeyId' | 'sessionToken' | 'expiration'>>;
  /** What signs: derived into the signing key, never put anywhere else. */
  readonly secretAccessKey: string;
  /** `expiration` in ms since the epoch, when the credentials are temporary. */
  readonly expiresAtMs: number | undefined;
}

/**
 * Reads `value` once into a snapshot, checked. `previous` is returned when every field equals it by
 * value: the hot path (the same static credentials on every call) reads four fields, compares four
 * values, and allocates nothing.
 */
export function snapshotCredentials(value: unknown, previous: CredentialSnapshot | undefined): CredentialSnapshot {
  if (typeof value !== 'object' || value === null) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'Credentials are required: pass `credentials` ({ accessKeyId, secretAccessKey }) or a `client`',
    );
  }
  const c = value as Record<string, unknown>;
  const accessKeyId = c.accessKeyId;
  const secretAccessKey = c.secretAccessKey;
  const sessionToken = c.sessionToken;
  const expiration = c.expiration;
  if (
    previous !== undefined &&
    accessKeyId === previous.identity.accessKeyId &&
    secretAccessKey === previous.secretAccessKey &&
    sessionToken === previous.identity.sessionToken &&
    (expiration === undefined
      ? previous.expiresAtMs === undefined
      : expiration instanceof Date && expiration.getTime() === previous.expiresAtMs)
  ) {
    return previous;
  }
  return checkedSnapshot(accessKeyId, secretAccessKey, sessionToken, expiration);
}

/** The fields read once, checked and copied (the slow path: new or changed credentials). */
function checkedSnapshot(
  accessKeyId: unknown,
  secretAccessKey: unknown,
  sessionToken: unknown,
  expiration: unknown,
): CredentialSnapshot {
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'credentials.accessKeyId must be a non-empty string of printable ASCII without "/"',
    );
  }
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '' || !isWellFormed(secretAccessKey)) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'credentials.secretAccessKey must be a non-empty string (of whole Unicode characters)',
    );
  }
  if (sessionToken !== undefined && (typeof sessionToken !== 'string' || !SESSION_TOKEN.test(sessionToken))) {
    throw new PresignError(
      'ERR_INVALID_CREDENTIALS',
      'credentials.sessionToken, when present, must be a non-empty string of printable ASCII',
    );
  }
  const expiresAtMs = expiration === undefined ? undefined : expiration instanceof Date ? expiration.getTime() : NaN;
  if (expiresAtMs !== undefined && !Number.isFinite(expiresAtMs)) {
    throw new PresignError('ERR_INVALID_CREDENTIALS', 'credentials.expiration, when present, must be a valid Date');
  }
  const identity: CredentialSnapshot['identity'] = Object.freeze({
    accessKeyId,
    sessionToken,
    expiration: expiresAtMs === undefined ? undefined : new Date(expiresAtMs),
  });
  return Object.freeze({ identity, secretAccessKey, expiresAtMs });
}

/** Refuses temporary credentials that have expired at `now` (ms since the epoch). */
export function assertNotExpired(snapshot: CredentialSnapshot, now: number): void {
  if (snapshot.expiresAtMs !== undefined && snapshot.expiresAtMs <= now) {
    throw new PresignError(
      'ERR_CREDENTIALS_EXPIRED',
      `The temporary credentials expired at ${new Date(snapshot.expiresAtMs).toISOString()}`,
      {
        hint: 'refresh them (a credential provider does) before presigning',
      },
    );
  }
}
