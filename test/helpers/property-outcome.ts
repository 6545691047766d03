/**
 * What the producer's property tests require of every call, whatever its input: it returns a
 * promise (never throws synchronously), and it either resolves, or rejects with a `PresignError`
 * whose code is in the closed union and whose message and fields carry no secret.
 */
import { expect } from 'vitest';
import { isPresignError, type PresignError } from '../../src/index.js';

/** The codes a producer call may reject with (PresignErrorCode, producer and wire parts). */
export const PRODUCER_CODES = new Set<string>([
  'ERR_INVALID_CREDENTIALS',
  'ERR_CREDENTIALS_EXPIRED',
  'ERR_INVALID_REGION',
  'ERR_INVALID_ENDPOINT',
  'ERR_INVALID_BUCKET',
  'ERR_INVALID_KEY',
  'ERR_INVALID_EXPIRES',
  'ERR_INVALID_HEADER',
  'ERR_UNSENDABLE_HEADER',
  'ERR_INVALID_METADATA',
  'ERR_INVALID_CHECKSUM',
  'ERR_INVALID_OPTION',
  'ERR_INVALID_PART_SIZE',
  'ERR_TOO_LARGE',
  'ERR_INVALID_POLICY',
  'ERR_MISSING_CLIENT',
  'ERR_S3',
  'ERR_ABORTED',
]);

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PresignError };

/** Runs one call and checks the contract above; returns what it resolved or rejected with. */
export async function outcome<T>(call: () => Promise<T>, secrets: readonly string[]): Promise<Outcome<T>> {
  let promise: Promise<T>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`threw synchronously instead of rejecting: ${String(error)}`);
  }
  expect(promise).toBeInstanceOf(Promise);
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (!isPresignError(error)) {
      throw new Error(`rejected with ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message}`);
    }
    if (!PRODUCER_CODES.has(error.code)) throw new Error(`unknown code ${error.code}`);
    const text = `${error.message} ${JSON.stringify({ ...error, cause: undefined })}`;
    for (const secret of secrets) if (text.includes(secret)) throw new Error(`a secret in: ${error.message}`);
    return { ok: false, error };
  }
}

/** Counts of signed and refused calls, so a test can require both kinds in its mix. */
export class Tally {
  signed = 0;
  refused = 0;
  readonly codes = new Map<string, number>();

  add(result: Outcome<unknown>): void {
    if (result.ok) {
      this.signed++;
    } else {
      this.refused++;
      this.codes.set(result.error.code, (this.codes.get(result.error.code) ?? 0) + 1);
    }
  }

  /** Both kinds at least `share` of the runs: the mix tests signing and refusing alike. */
  expectMix(runs: number, share = 0.1): void {
    expect(this.signed + this.refused).toBe(runs);
    expect(this.signed).toBeGreaterThan(runs * share);
    expect(this.refused).toBeGreaterThan(runs * share);
  }
}
