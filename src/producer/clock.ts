/**
 * The time strings of a signature: `X-Amz-Date` and the descriptor's `expiresAt`, formatted once
 * per signing second and lifetime (a presigner signing many URLs in one second formats them once).
 */

import { PresignError } from '../errors.js';
import { MAX_EXPIRES_IN } from '../s3/limits.js';

/**
 * The latest instant a signature can be made at: its longest lifetime must end before the year
 * 10000, the last that `X-Amz-Date` (`YYYYMMDD...`) and an ISO `expiresAt` can write.
 */
const LATEST_SIGNING_MS = Date.UTC(10000, 0, 1) - MAX_EXPIRES_IN * 1000;

/** Refuses a signing instant before 1970 or too late for a four-digit year (see above). */
export function assertSigningInstant(ms: number, what: string): void {
  if (ms < 0 || ms >= LATEST_SIGNING_MS) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `${what} must be between 1970 and the last week of 9999; got ${new Date(ms).toISOString()}`,
    );
  }
}

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
