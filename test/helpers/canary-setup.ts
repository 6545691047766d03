// A vitest setup file (vitest.config.ts `setupFiles`): every PresignError the library constructs
// while a test file runs is recorded, and after the file, each is scanned for canaries (the canary
// credentials of test/helpers/canary.ts, the suite's other secrets, and their signing keys): message,
// stack, cause chain, own and hidden properties. One found fails the file, naming the error.
//
// How errors are seen: PresignError's constructor calls `super()`, which calls whatever its
// prototype is at that moment; it is set here to a subclass of Error that records the new error.
// Nothing else changes (`instanceof Error`, the prototype chain of instances, `name`, `stack`), and
// every error path of src/ (producer and consumer, thrown or rejected, own or wrapping an SDK's,
// a provider's or fetch's error) goes through that constructor. Errors of the built package
// (dist/, the browser) are not seen here.
import { afterAll, expect } from 'vitest';
import { PresignError } from '../../src/errors.js';
import { canaryStrings, errorText } from './canary.js';

/** The frozen dates the suite signs on, besides the real clock's (see canaryStrings). */
const FIXED_DAYS = ['20130524', '20261129', '20261130', '20270101', '20300101'];

const recorded: Error[] = [];
const base = Object.getPrototypeOf(PresignError) as ErrorConstructor;
if (base === Error) {
  class Recorded extends Error {
    constructor(...args: ConstructorParameters<ErrorConstructor>) {
      super(...args);
      recorded.push(this);
    }
  }
  Object.setPrototypeOf(PresignError, Recorded);
}

/** The errors recorded so far in this file (the canary-scan test reads them). */
export function recordedErrors(): readonly Error[] {
  return recorded;
}

/** Forgets `error`: a test that plants a canary on purpose takes its error out of the final scan. */
export function forget(error: Error): void {
  const at = recorded.indexOf(error);
  if (at >= 0) recorded.splice(at, 1);
}

/** The leaks among `errors`: `code: canary` lines, empty when all are clean. */
export function leaks(errors: readonly Error[]): string[] {
  const strings = canaryStrings(FIXED_DAYS);
  const found: string[] = [];
  for (const error of errors) {
    const text = errorText(error);
    for (const [value, name] of strings) {
      if (text.includes(value)) found.push(`${(error as PresignError).code}: ${name} in "${error.message}"`);
    }
  }
  return found;
}

afterAll(() => {
  // Also proves the hook saw the file's errors: the scan-test checks that it records.
  expect(leaks(recorded), `${recorded.length} PresignErrors scanned for canaries`).toEqual([]);
});
