/**
 * The time strings of a signature: `X-Amz-Date` and the descriptor's `expiresAt`, formatted once
 * per signing second and lifetime (a presigner signing many URLs in one second formats them once).
 */
import { PresignError } from '../errors.js';

/**
 * `X-Amz-Date` is `YYYYMMDDTHHMMSSZ`: four-digit years only. A signing instant before 1970 or a
 * signature that would outlive 9999-12-31T23:59:59Z has no such form (a `Date` of year 10000
 * formats as `+010000-...`, one past 8.64e15 ms throws a `RangeError`), so it is refused.
 */
const LAST_SECOND = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The strings of one signing second and lifetime. */
export interface SigningTimes {
  /** Signing instant, whole seconds, in ms since the epoch. */
  signedAt: number;
  /** Seconds the signature lives. */
  expiresIn: number;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** ISO 8601 UTC, whole seconds. */
  expiresAt: string;
}

function amzDateOf(ms: number): string {
  // 2013-05-24T00:00:00.000Z -> 20130524T000000Z
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The times of `signedAt` and `expiresIn`: `previous` itself when it has them, else new ones. */
export function signingTimes(previous: SigningTimes | undefined, signedAt: number, expiresIn: number): SigningTimes {
  if (previous !== undefined && previous.signedAt === signedAt && previous.expiresIn === expiresIn) return previous;
  if (!(signedAt >= 0 && signedAt + expiresIn * 1000 <= LAST_SECOND)) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `The signing date (signingDate or now()) must be from 1970 on, and the signature must expire by 9999-12-31T23:59:59Z (X-Amz-Date has four-digit years), got ${Number.isFinite(signedAt) ? new Date(Math.max(-8.64e15, Math.min(8.64e15, signedAt))).toISOString() : String(signedAt)}`,
    );
  }
  return {
    signedAt,
    expiresIn,
    amzDate: previous?.signedAt === signedAt ? previous.amzDate : amzDateOf(signedAt),
    expiresAt: isoSeconds(signedAt + expiresIn * 1000),
  };
}

/** `signedAt` of a signing instant: whole seconds, as `X-Amz-Date` has them (rounded down). */
export function wholeSeconds(ms: number): number {
  return ms - (((ms % 1000) + 1000) % 1000);
}
