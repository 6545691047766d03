import { describe, expect, it } from 'vitest';
import { createPresigner, isPresignError, type PresignErrorCode, type PresignerOptions } from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
const base: PresignerOptions = { region: 'eu-west-1', credentials, bucket: 'examplebucket' };
const signingDate = new Date('2026-11-29T12:00:00Z');

type Case = [name: string, code: PresignErrorCode, run: () => Promise<unknown> | unknown];

const p = createPresigner(base);
const cases: Case[] = [
  ['no credentials', 'ERR_INVALID_CREDENTIALS', () => createPresigner({ region: 'eu-west-1' })],
  [
    'empty access key id',
    'ERR_INVALID_CREDENTIALS',
    () => createPresigner({ ...base, credentials: { accessKeyId: '', secretAccessKey: SECRET } }),
  ],
  [
    'access key id with a slash',
    'ERR_INVALID_CREDENTIALS',
    () => createPresigner({ ...base, credentials: { accessKeyId: 'A/B', secretAccessKey: SECRET } }),
  ],
  [
    'empty secret',
    'ERR_INVALID_CREDENTIALS',
    () => createPresigner({ ...base, credentials: { accessKeyId: 'AKID', secretAccessKey: '' } }),
  ],
  [
    'empty session token',
    'ERR_INVALID_CREDENTIALS',
    () => createPresigner({ ...base, credentials: { ...credentials, sessionToken: '' } }),
  ],
  [
    'expiration not a date',
    'ERR_INVALID_CREDENTIALS',
    () => createPresigner({ ...base, credentials: { ...credentials, expiration: 'soon' as unknown as Date } }),
  ],
  [
    'a provider that fails',
    'ERR_INVALID_CREDENTIALS',
    () =>
      createPresigner({
        ...base,
        credentials: async () => {
          throw new Error('no IMDS');
        },
      }).presignGet({ key: 'k' }),
  ],
  [
    'a provider returning garbage',
    'ERR_INVALID_CREDENTIALS',
    () => createPresigner({ ...base, credentials: async () => ({}) as never }).presignGet({ key: 'k' }),
  ],
  [
    'expired temporary credentials',
    'ERR_CREDENTIALS_EXPIRED',
    () =>
      createPresigner({
        ...base,
        credentials: { ...credentials, sessionToken: TOKEN, expiration: new Date('2026-11-29T11:00:00Z') },
      }).presignGet({ key: 'k', signingDate }),
  ],
  ['no region', 'ERR_INVALID_REGION', () => createPresigner({ credentials })],
  ['a region with spaces', 'ERR_INVALID_REGION', () => createPresigner({ credentials, region: 'eu west 1' })],
  ['an endpoint that is not a URL', 'ERR_INVALID_ENDPOINT', () => createPresigner({ ...base, endpoint: 'not a url' })],
  [
    'an endpoint with a query',
    'ERR_INVALID_ENDPOINT',
    () => createPresigner({ ...base, endpoint: 'https://s3.example.com/?a=b' }),
  ],
  ['an ftp endpoint', 'ERR_INVALID_ENDPOINT', () => createPresigner({ ...base, endpoint: 'ftp://s3.example.com' })],
  [
    'no bucket anywhere',
    'ERR_INVALID_BUCKET',
    () => createPresigner({ region: 'eu-west-1', credentials }).presignGet({ key: 'k' }),
  ],
  ['a bucket with capitals', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'MyBucket', key: 'k' })],
  ['a bucket with underscores', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'my_bucket', key: 'k' })],
  ['a bucket too short', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'ab', key: 'k' })],
  ['a bucket too long', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'a'.repeat(64), key: 'k' })],
  ['a bucket like an IP', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: '192.168.1.1', key: 'k' })],
  ['a bucket with adjacent dots', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'my..bucket', key: 'k' })],
  ['a bucket with a reserved prefix', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'xn--bucket', key: 'k' })],
  ['a bucket with a reserved suffix', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'bucket-s3alias', key: 'k' })],
  ['a bucket ending in a hyphen', 'ERR_INVALID_BUCKET', () => p.presignGet({ bucket: 'bucket-', key: 'k' })],
  ['an empty key', 'ERR_INVALID_KEY', () => p.presignGet({ key: '' })],
  ['a missing key', 'ERR_INVALID_KEY', () => p.presignPut({} as never)],
  ['a key over 1024 UTF-8 bytes', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'é'.repeat(513) })],
  ['a key with NUL', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'a\u0000b' })],
  ['a key with a newline', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'a\nb' })],
  ['a key with DEL', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'a\u007fb' })],
  ['a key with a lone surrogate', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'a\ud800b' })],
  ['a key with a .. segment', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'a/../b' })],
  ['a key that is .', 'ERR_INVALID_KEY', () => p.presignGet({ key: '.' })],
  ['a key ending in /.', 'ERR_INVALID_KEY', () => p.presignGet({ key: 'a/.' })],
  ['expiresIn zero', 'ERR_INVALID_EXPIRES', () => p.presignGet({ key: 'k', expiresIn: 0 })],
  ['expiresIn negative', 'ERR_INVALID_EXPIRES', () => p.presignGet({ key: 'k', expiresIn: -5 })],
  ['expiresIn fractional', 'ERR_INVALID_EXPIRES', () => p.presignGet({ key: 'k', expiresIn: 1.5 })],
  ['expiresIn over seven days', 'ERR_INVALID_EXPIRES', () => p.presignGet({ key: 'k', expiresIn: 604801 })],
  [
    'expiresIn as a string',
    'ERR_INVALID_EXPIRES',
    () => p.presignGet({ key: 'k', expiresIn: '900' as unknown as number }),
  ],
  ['expiresIn NaN', 'ERR_INVALID_EXPIRES', () => p.presignGet({ key: 'k', expiresIn: Number.NaN })],
  [
    'expiresIn over maxExpiresIn',
    'ERR_INVALID_EXPIRES',
    () => createPresigner({ ...base, maxExpiresIn: 600 }).presignGet({ key: 'k', expiresIn: 601 }),
  ],
  [
    'a default expiresIn over maxExpiresIn',
    'ERR_INVALID_EXPIRES',
    () => createPresigner({ ...base, maxExpiresIn: 600, expiresIn: 900 }),
  ],
  [
    'a header value with CR/LF',
    'ERR_INVALID_HEADER',
    () => p.presignPut({ key: 'k', contentType: 'text/plain\r\nx-amz-acl: public-read' }),
  ],
  [
    'a non-ASCII content-disposition',
    'ERR_INVALID_HEADER',
    () => p.presignPut({ key: 'k', contentDisposition: 'attachment; filename="résumé.pdf"' }),
  ],
  ['a non-ASCII cache-control', 'ERR_INVALID_HEADER', () => p.presignPut({ key: 'k', cacheControl: 'max-age=60 ✓' })],
  ['a malformed range', 'ERR_INVALID_HEADER', () => p.presignGet({ key: 'k', range: '0-99' })],
  ['a backwards range', 'ERR_INVALID_HEADER', () => p.presignGet({ key: 'k', range: { start: 10, end: 5 } })],
  ...[
    'Connection',
    'transfer-encoding',
    'Expect',
    'date',
    'origin',
    'cookie',
    'sec-fetch-mode',
    'proxy-authorization',
    'te',
  ].map(
    (name) =>
      [
        `an unsendable ${name} header`,
        'ERR_UNSENDABLE_HEADER',
        () => p.presign({ method: 'PUT', key: 'k', headers: { [name]: 'x' } }),
      ] satisfies Case,
  ),
  [
    'a generic header name with a space',
    'ERR_INVALID_HEADER',
    () => p.presign({ method: 'GET', key: 'k', headers: { 'bad name': 'x' } }),
  ],
  [
    'a generic host header',
    'ERR_INVALID_HEADER',
    () => p.presign({ method: 'GET', key: 'k', headers: { Host: 'evil.example' } }),
  ],
  [
    'a header given twice by case',
    'ERR_INVALID_HEADER',
    () => p.presign({ method: 'GET', key: 'k', headers: { 'X-A': '1', 'x-a': '2' } }),
  ],
  [
    'a metadata name with a space',
    'ERR_INVALID_METADATA',
    () => p.presignPut({ key: 'k', metadata: { 'my name': 'x' } }),
  ],
  ['a metadata name with a colon', 'ERR_INVALID_METADATA', () => p.presignPut({ key: 'k', metadata: { 'a:b': 'x' } })],
  ['a non-ASCII metadata value', 'ERR_INVALID_METADATA', () => p.presignPut({ key: 'k', metadata: { owner: 'Zoë' } })],
  ['a metadata value with LF', 'ERR_INVALID_METADATA', () => p.presignPut({ key: 'k', metadata: { owner: 'a\nb' } })],
  ['metadata over 2 KB', 'ERR_INVALID_METADATA', () => p.presignPut({ key: 'k', metadata: { big: 'x'.repeat(2100) } })],
  [
    'metadata names differing by case',
    'ERR_INVALID_METADATA',
    () => p.presignPut({ key: 'k', metadata: { Owner: 'a', owner: 'b' } }),
  ],
  [
    'a SHA256 checksum of the wrong length',
    'ERR_INVALID_CHECKSUM',
    () => p.presignPut({ key: 'k', checksum: { algorithm: 'SHA256', value: 'AAAA' } }),
  ],
  [
    'a CRC32 checksum that is not base64',
    'ERR_INVALID_CHECKSUM',
    () => p.presignPut({ key: 'k', checksum: { algorithm: 'CRC32', value: 'not*b64' } }),
  ],
  [
    'an unknown checksum algorithm',
    'ERR_INVALID_CHECKSUM',
    () => p.presignPut({ key: 'k', checksum: { algorithm: 'MD5' as never, value: 'AAAAAA==' } }),
  ],
  [
    'a content-md5 that is hex',
    'ERR_INVALID_CHECKSUM',
    () => p.presignPut({ key: 'k', contentMd5: 'd41d8cd98f00b204e9800998ecf8427e' }),
  ],
  ['an unknown storage class', 'ERR_INVALID_OPTION', () => p.presignPut({ key: 'k', storageClass: 'CHEAP' as never })],
  ['an unknown ACL', 'ERR_INVALID_OPTION', () => p.presignPut({ key: 'k', acl: 'public' as never })],
  [
    'a content length over 5 GiB',
    'ERR_INVALID_OPTION',
    () => p.presignPut({ key: 'k', contentLength: 5 * 1024 ** 3 + 1 }),
  ],
  ['a negative content length', 'ERR_INVALID_OPTION', () => p.presignPut({ key: 'k', contentLength: -1 })],
  [
    'ifNoneMatch other than * on PUT',
    'ERR_INVALID_OPTION',
    () => p.presignPut({ key: 'k', ifNoneMatch: '"etag"' as '*' }),
  ],
  [
    'a KMS key with AES256',
    'ERR_INVALID_OPTION',
    () => p.presignPut({ key: 'k', serverSideEncryption: { algorithm: 'AES256', kmsKeyId: 'arn:x' } }),
  ],
  ['a partNumber of 0', 'ERR_INVALID_OPTION', () => p.presignGet({ key: 'k', partNumber: 0 })],
  ['an empty versionId', 'ERR_INVALID_OPTION', () => p.presignGet({ key: 'k', versionId: '' })],
  ['an invalid signingDate', 'ERR_INVALID_OPTION', () => p.presignGet({ key: 'k', signingDate: new Date('nope') })],
  ['an unknown method', 'ERR_INVALID_OPTION', () => p.presign({ method: 'PATCH' as never, key: 'k' })],
  [
    'a signer-owned query parameter',
    'ERR_INVALID_OPTION',
    () => p.presign({ method: 'GET', key: 'k', query: { 'X-Amz-Expires': '1' } }),
  ],
  [
    'an unknown onCredentialExpiry',
    'ERR_INVALID_OPTION',
    () => createPresigner({ ...base, onCredentialExpiry: 'ignore' as never }),
  ],
  ['a client that is not an S3Client', 'ERR_INVALID_OPTION', () => createPresigner({ client: {} as never })],
];

async function failure(run: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a PresignError, got success');
}

describe('bad input is refused with a typed error before any work', () => {
  it.each(cases)('%s -> %s', async (_name, code, run) => {
    const error = await failure(run);
    expect(isPresignError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  });

  it('rejects (never throws synchronously) from every presign call', () => {
    const result = p.presignGet({ key: '' });
    expect(result).toBeInstanceOf(Promise);
    return expect(result).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' });
  });
});
