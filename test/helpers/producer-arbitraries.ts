/**
 * fast-check arbitraries for the producer's options: each option absent, valid, or of a wrong type
 * or out of range, so that one run mixes calls that must sign with calls that must be refused.
 * `valid*` arbitraries give only values the producer must accept (the real-server sample uses them).
 */
import fc from 'fast-check';

/** A well-formed value of each checksum algorithm (base64 of the digest's length). */
const CHECKSUM_VALUES = [
  { algorithm: 'CRC32', value: 'AAAAAA==' },
  { algorithm: 'CRC32C', value: 'AAAAAA==' },
  { algorithm: 'CRC64NVME', value: 'AAAAAAAAAAA=' },
  { algorithm: 'SHA1', value: Buffer.alloc(20, 1).toString('base64') },
  { algorithm: 'SHA256', value: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' },
];

/** Values of every type, and the shapes that broke the producer before (issue 10). */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    ' ',
    'yes',
    '5120',
    'a=b',
    true,
    false,
    [],
    ['x'],
    {},
    '\ud800',
    'a\udc00b',
    '\r\n',
    '\u0000',
    '__proto__',
    10n,
    new Date(Number.NaN),
    new Date(8.64e15),
    () => 'x',
    Symbol('s'),
  ),
  fc.constant(circular()),
  fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withNullPrototype: true }),
);

function circular(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 'b' };
  o.self = o;
  return o;
}

/** An option: usually absent, often valid, sometimes hostile. */
export function option<T>(valid: fc.Arbitrary<T>, hostileWeight = 1): fc.Arbitrary<T | unknown> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(undefined) },
    { weight: 8, arbitrary: valid },
    { weight: hostileWeight, arbitrary: hostile },
  );
}

/**
 * Options objects: the `required` keys always there (their arbitraries may still give a bad value),
 * every other key present or absent (absent keys stay absent, not `undefined`).
 */
export function options<T extends Record<string, fc.Arbitrary<unknown>>>(
  fields: T,
  required: Array<keyof T & string> = [],
): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(fields, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Mostly one of `valid`, sometimes one of `invalid`. */
export function mostly<T, U>(valid: readonly T[], invalid: readonly U[]): fc.Arbitrary<T | U> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

const keyPiece = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ' ',
      '+',
      '%',
      '%2F',
      '%2e',
      '~',
      '*',
      "'",
      '!',
      '(',
      ')',
      '&',
      '=',
      '?',
      '#',
      ':',
      '@',
      '\\',
      '"',
      'é',
      'e\u0301',
      '日本',
      '🙂',
      '\u00a0',
      '//',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', '\u0000', '\n', '\u007f', '\ud800', 'x'.repeat(1025)) },
);

/** Object keys: mostly ones S3 takes, some it refuses or that cannot travel. */
export const key: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.array(keyPiece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 10, arbitrary: fc.array(keyPiece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/')) },
  { weight: 1, arbitrary: hostile },
);

/** Keys S3 takes and URL parsers leave alone. */
export const validKey: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }),
      fc.constantFrom(' ', '+', '%', '~', '*', "'", '!', '(', ')', '&', '=', '?', '#', 'é', '日本', '🙂'),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => `prop/${parts.join('')}`)
  .filter((k) => !/(^|\/)\.{1,2}(\/|$)/.test(k) && !k.includes('//'));

/** Header values: printable ASCII (some with runs of spaces) or not. */
export const headerText = fc.oneof(
  { weight: 12, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme-ascii' }) },
  { weight: 2, arbitrary: fc.constantFrom('  a  b  ', 'x\ty') },
  { weight: 1, arbitrary: fc.constantFrom('é', 'a\nb', '\ud800') },
);
export const validHeaderText = fc
  .string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' })
  .map((s) => s.replace(/[^\x21-\x7e]/g, 'x'));

/** Query texts (response overrides, version ids): any unicode, some without a UTF-8 form. */
export const queryText = fc.oneof(
  { weight: 10, arbitrary: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.constant('+ &=#%') },
  { weight: 1, arbitrary: fc.constantFrom('', '\ud800', 'a\udfff') },
);

const tokenChars = "!#$%&'*+-.^_`|~abcXYZ019";
export const token = fc
  .array(fc.constantFrom(...tokenChars.split('')), { minLength: 1, maxLength: 8 })
  .map((cs) => cs.join(''));

export const metadata = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(token, validHeaderText, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(headerText, hostile), { maxKeys: 3 }) },
);

const tagText = fc
  .array(fc.constantFrom(...'abcXYZ019 +-=._:/@é日'.split('')), { maxLength: 12 })
  .map((cs) => cs.join(''));
export const tagging = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.dictionary(
      tagText.filter((k) => k !== '' && !k.startsWith('aws:')),
      tagText,
      { maxKeys: 4 },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { minKeys: 11, maxKeys: 12 }),
      fc.constantFrom(
        { k: 'a&b' },
        { ['x'.repeat(129)]: 'v' },
        { k: 'v'.repeat(257) },
        { 'aws:x': 'v' },
        'a=b&c=d',
        'a=%zz',
      ),
    ),
  },
);

export const signingDate = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new Date(8.64e15),
      new Date(-8.64e15),
      new Date(Date.UTC(9999, 11, 31, 23, 59, 0)),
      new Date(Date.UTC(10000, 0, 1)),
      new Date(-1),
      new Date(Number.NaN),
    ),
  },
);

export const expiresIn = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 604_800 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 604_801, '900', null, Number.NaN) },
);

export const checksum = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...CHECKSUM_VALUES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { algorithm: 'MD5', value: 'AAAA' },
      { algorithm: 'SHA256', value: 'AAAA' },
      { algorithm: 'toString', value: 'x' },
    ),
  },
);

export const sse = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        algorithm: fc.constantFrom('aws:kms', 'aws:kms:dsse'),
        kmsKeyId: validHeaderText,
        context: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 }),
        bucketKeyEnabled: fc.boolean(),
      },
      { requiredKeys: ['algorithm'] },
    ),
  },
  { weight: 2, arbitrary: fc.constant({ algorithm: 'AES256' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { algorithm: 'AES256', kmsKeyId: 'k' },
      { algorithm: 'aws:kms', context: circular() },
      { algorithm: 'aws:kms', context: { a: 10n } },
      { algorithm: 'aws:kms', bucketKeyEnabled: 'yes' },
      { algorithm: 'rot13' },
    ),
  },
);
