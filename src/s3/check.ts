/**
 * Run-time types of the producer's options, in one place (the producer's modules and the S3 rules
 * they call use it; the consumer has its own checks): typed readers that refuse a wrong type
 * or an out-of-range value with a {@link PresignError} that names the option, says what was
 * expected and what was given, and never coerce (`'5120'` is not a length, `'yes'` is not `true`,
 * `null` is not "absent"). `undefined` is "absent": callers read an optional option only when it is
 * not `undefined`. Descriptions of what was given never quote more than a short string, and no
 * reader here is used for a secret (credentials are checked in credentials.ts, by field name only).
 */
import { PresignError, type PresignErrorCode } from '../errors.js';

const QUOTED_MAX = 64;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What a value is, for a message: `the string "5120"`, `null`, `an array`, `the number NaN`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      // JSON.stringify escapes control characters and lone surrogates, so the message stays printable.
      return value.length > QUOTED_MAX
        ? `a string of ${value.length} characters`
        : `the string ${JSON.stringify(value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'bigint':
      return 'a bigint';
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? 'a Date' : 'an invalid Date';
  return 'an object';
}

/** Refuses `value` for option `name`: "NAME must be EXPECTED, got WHAT". */
export function refuse(
  name: string,
  expected: string,
  value: unknown,
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
): never {
  throw new PresignError(code, `${name} must be ${expected}, got ${describe(value)}`);
}

/** Whether a string has a UTF-8 form (no lone UTF-16 surrogate): what every encoder needs. */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** An object of named fields: non-null, not an array; refused as "NAME must be EXPECTED, got WHAT". */
export function readObject(
  name: string,
  expected: string,
  value: unknown,
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(name, expected, value, code);
  return value as Record<string, unknown>;
}

/** The options object of a call: a non-null object, not an array. */
export function readOptions(call: string, value: unknown, needs = ''): Record<string, unknown> {
  return readObject(`The options of ${call}`, `an object${needs}`, value);
}

/** A string with a UTF-8 form (no lone surrogate); `nonEmpty` refuses `''` too. */
export function readString(
  name: string,
  value: unknown,
  nonEmpty = false,
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
): string {
  if (typeof value !== 'string' || (nonEmpty && value === '')) {
    refuse(name, nonEmpty ? 'a non-empty string' : 'a string', value, code);
  }
  if (!isWellFormed(value)) {
    throw new PresignError(code, `${name} contains a lone UTF-16 surrogate, which has no UTF-8 form`);
  }
  return value;
}

/** `true` or `false`, never a truthy string. */
export function readBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') refuse(name, 'true or false', value);
  return value;
}

/** A whole number from `min` to `max` (a number, never a numeric string). */
export function readInteger(
  name: string,
  value: unknown,
  min: number,
  max: number,
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
  unit = '',
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    refuse(name, `a whole number${unit} from ${min} to ${max}`, value, code);
  }
  return value;
}

/** A record: a non-null object that is not an array, a Date or a function; its own entries. */
export function readRecord(
  name: string,
  value: unknown,
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    refuse(name, 'a record of names to values', value, code);
  }
  return Object.entries(value);
}

/** A record of strings: entries whose value is `undefined` are left out. */
export function readStringRecord(
  name: string,
  value: unknown,
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, item] of readRecord(name, value, code)) {
    if (item === undefined) continue;
    if (!isWellFormed(key)) throw new PresignError(code, `A name in ${name} contains a lone UTF-16 surrogate`);
    out.push([key, readString(`${name}[${JSON.stringify(key)}]`, item, false, code)]);
  }
  return out;
}

/** A valid `Date` (not a date string, not an invalid Date). */
export function readDate(name: string, value: unknown): Date {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) refuse(name, 'a valid Date', value);
  return value;
}

/** A function (a clock, a provider). */
export function readFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') refuse(name, 'a function', value);
}

/** One of a closed list of values, compared as they are (no `String()` first). */
export function readOneOf<T extends string | number>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  code: PresignErrorCode = 'ERR_INVALID_OPTION',
): T {
  if (!allowed.includes(value as T))
    refuse(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value, code);
  return value as T;
}

/** An `AbortSignal` (by shape, so one from another realm or polyfill passes). */
export function readSignal(name: string, value: unknown): AbortSignal {
  const s = value as AbortSignal;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof s.aborted !== 'boolean' ||
    typeof s.addEventListener !== 'function'
  ) {
    refuse(name, 'an AbortSignal', value);
  }
  return s;
}
