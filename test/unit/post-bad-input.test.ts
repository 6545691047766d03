import { describe, expect, it } from 'vitest';
import { createPresigner, isPresignError, type PresignErrorCode, type PresignPostOptions } from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const GiB5 = 5 * 1024 ** 3;

type Case = [name: string, code: PresignErrorCode, options: PresignPostOptions];

const cases: Case[] = [
  ['no key and no prefix', 'ERR_INVALID_KEY', {}],
  ['an empty key', 'ERR_INVALID_KEY', { key: '' }],
  ['a key with a control character', 'ERR_INVALID_KEY', { key: 'a\nb' }],
  ['a key over 1024 bytes', 'ERR_INVALID_KEY', { key: 'é'.repeat(513) }],
  ['an empty prefix', 'ERR_INVALID_KEY', { keyPrefix: '' }],
  ['a key outside the prefix', 'ERR_INVALID_KEY', { keyPrefix: 'user/42/', key: 'user/43/a.png' }],
  [
    'a key breaking an extra key condition',
    'ERR_INVALID_KEY',
    { key: 'b/x', conditions: [['starts-with', '$key', 'a/']] },
  ],
  ['min over max', 'ERR_INVALID_POLICY', { key: 'k', minSize: 10, maxSize: 9 }],
  ['a negative size', 'ERR_INVALID_POLICY', { key: 'k', minSize: -1 }],
  ['a fractional size', 'ERR_INVALID_POLICY', { key: 'k', maxSize: 1.5 }],
  ['a size that is not a number', 'ERR_INVALID_POLICY', { key: 'k', maxSize: '10' as unknown as number }],
  ['maxSize over 5 GiB', 'ERR_TOO_LARGE', { key: 'k', maxSize: GiB5 + 1 }],
  ['minSize over 5 GiB', 'ERR_TOO_LARGE', { key: 'k', minSize: GiB5 + 1 }],
  [
    'a content-length-range condition over 5 GiB',
    'ERR_TOO_LARGE',
    { key: 'k', conditions: [['content-length-range', 0, GiB5 + 1]] },
  ],
  ['two size ranges', 'ERR_INVALID_POLICY', { key: 'k', maxSize: 10, conditions: [['content-length-range', 0, 5]] }],
  [
    'a content-length-range condition with min over max',
    'ERR_INVALID_POLICY',
    { key: 'k', conditions: [['content-length-range', 5, 1]] },
  ],
  ['an unknown operator', 'ERR_INVALID_POLICY', { key: 'k', conditions: [['ends-with', '$key', '.png'] as never] }],
  ['an "in" operator (not S3)', 'ERR_INVALID_POLICY', { key: 'k', conditions: [['in', '$acl', ['private']] as never] }],
  ['a condition with a missing operand', 'ERR_INVALID_POLICY', { key: 'k', conditions: [['eq', '$acl'] as never] }],
  ['a field without $', 'ERR_INVALID_POLICY', { key: 'k', conditions: [['eq', 'acl', 'private'] as never] }],
  ['a non-string value', 'ERR_INVALID_POLICY', { key: 'k', conditions: [['eq', '$acl', 1] as never] }],
  ['an exact match on two fields', 'ERR_INVALID_POLICY', { key: 'k', conditions: [{ acl: 'private', b: 'c' }] }],
  ['a condition that is a string', 'ERR_INVALID_POLICY', { key: 'k', conditions: ['acl' as never] }],
  ['conditions not an array', 'ERR_INVALID_POLICY', { key: 'k', conditions: {} as never }],
  [
    'a condition on the signature',
    'ERR_INVALID_POLICY',
    { key: 'k', conditions: [['starts-with', '$x-amz-signature', '']] },
  ],
  ['a condition on the bucket', 'ERR_INVALID_POLICY', { key: 'k', conditions: [{ bucket: 'other' }] }],
  [
    'a content type outside its prefix',
    'ERR_INVALID_POLICY',
    { key: 'k', contentType: 'text/plain', contentTypePrefix: 'image/' },
  ],
  ['a content type with a newline', 'ERR_INVALID_HEADER', { key: 'k', contentType: 'text/plain\r\nx: y' }],
  ['an unknown acl', 'ERR_INVALID_OPTION', { key: 'k', acl: 'everyone' as never }],
  ['an unknown status', 'ERR_INVALID_OPTION', { key: 'k', successActionStatus: 302 as never }],
  ['a relative redirect', 'ERR_INVALID_OPTION', { key: 'k', successActionRedirect: '/done' }],
  ['a javascript: redirect', 'ERR_INVALID_OPTION', { key: 'k', successActionRedirect: 'javascript:alert(1)' }],
  [
    'a redirect and a status',
    'ERR_INVALID_OPTION',
    { key: 'k', successActionRedirect: 'https://a.example/', successActionStatus: 201 },
  ],
  ['metadata with a bad name', 'ERR_INVALID_METADATA', { key: 'k', metadata: { 'a b': 'x' } }],
  ['metadata over 2 KB', 'ERR_INVALID_METADATA', { key: 'k', metadata: { big: 'x'.repeat(2100) } }],
  [
    'a checksum of the wrong length',
    'ERR_INVALID_CHECKSUM',
    { key: 'k', checksum: { algorithm: 'SHA256', value: 'AAAA' } },
  ],
  ['tagging as a query string', 'ERR_INVALID_OPTION', { key: 'k', tagging: 'a=b' }],
  ['a field the signer sets', 'ERR_INVALID_OPTION', { key: 'k', fields: { Policy: 'x' } }],
  ['a field for the key', 'ERR_INVALID_OPTION', { key: 'k', fields: { key: 'other' } }],
  ['a field an option sets', 'ERR_INVALID_OPTION', { key: 'k', contentType: 'a/b', fields: { 'content-type': 'c/d' } }],
  ['a field with a bad name', 'ERR_INVALID_HEADER', { key: 'k', fields: { 'a b': 'x' } }],
  ['expiresIn of 0', 'ERR_INVALID_EXPIRES', { key: 'k', expiresIn: 0 }],
  ['expiresIn over 7 days', 'ERR_INVALID_EXPIRES', { key: 'k', expiresIn: 604_801 }],
  ['an invalid signing date', 'ERR_INVALID_OPTION', { key: 'k', signingDate: new Date(Number.NaN) }],
  ['an invalid bucket', 'ERR_INVALID_BUCKET', { key: 'k', bucket: 'Not_A_Bucket!' }],
];

describe('presignPost refuses bad input with a code', () => {
  for (const [name, code, options] of cases) {
    it(`${name} -> ${code}`, async () => {
      let provided = 0;
      const presigner = createPresigner({
        region: 'eu-west-1',
        bucket: 'examplebucket',
        credentials: async () => {
          provided++;
          return { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN };
        },
      });
      const error = await presigner.presignPost(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isPresignError(error), String(error)).toBe(true);
      expect((error as { code: string }).code).toBe(code);
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      // Options are refused before any work: the credentials were not even fetched.
      if (code !== 'ERR_INVALID_EXPIRES' && name !== 'an invalid signing date') expect(provided).toBe(0);
    });
  }

  it('options that are not an object', async () => {
    const presigner = createPresigner({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
    });
    await expect(presigner.presignPost(null as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });

  it('a maxExpiresIn policy caps POST policies too', async () => {
    const presigner = createPresigner({
      region: 'eu-west-1',
      bucket: 'examplebucket',
      maxExpiresIn: 300,
      credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
    });
    await expect(presigner.presignPost({ key: 'k', expiresIn: 301 })).rejects.toMatchObject({
      code: 'ERR_INVALID_EXPIRES',
    });
  });

  it('expiring temporary credentials with onCredentialExpiry: throw', async () => {
    const presigner = createPresigner({
      region: 'eu-west-1',
      bucket: 'examplebucket',
      onCredentialExpiry: 'throw',
      credentials: {
        accessKeyId: 'A',
        secretAccessKey: SECRET,
        sessionToken: TOKEN,
        expiration: new Date('2026-11-29T00:01:00Z'),
      },
    });
    const error = await presigner
      .presignPost({ key: 'k', signingDate: new Date('2026-11-29T00:00:00Z') })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CREDENTIALS_EXPIRED' });
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });
});
