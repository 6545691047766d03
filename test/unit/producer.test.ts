import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createPresigner, type PresignerOptions } from '../../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2026-11-29T12:00:00.750Z');

function origin(url: string): string {
  return url.split('?')[0] as string;
}

describe('addressing', () => {
  // The expected URLs are what getSignedUrl of @aws-sdk/s3-request-presigner 3.1169 produces.
  it.each<[string, Partial<PresignerOptions>, string, string]>([
    [
      'us-east-1 regional, virtual-hosted',
      { region: 'us-east-1' },
      'examplebucket',
      'https://examplebucket.s3.us-east-1.amazonaws.com/a%20b/c%2Bd',
    ],
    [
      'another region',
      { region: 'eu-west-1' },
      'examplebucket',
      'https://examplebucket.s3.eu-west-1.amazonaws.com/a%20b/c%2Bd',
    ],
    [
      'a dotted bucket goes path-style',
      { region: 'eu-west-1' },
      'my.dotted.bucket',
      'https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/a%20b/c%2Bd',
    ],
    [
      'dual-stack',
      { region: 'us-east-1', dualstack: true },
      'examplebucket',
      'https://examplebucket.s3.dualstack.us-east-1.amazonaws.com/a%20b/c%2Bd',
    ],
    [
      'China partition',
      { region: 'cn-north-1' },
      'examplebucket',
      'https://examplebucket.s3.cn-north-1.amazonaws.com.cn/a%20b/c%2Bd',
    ],
    [
      'a custom endpoint stays virtual-hosted',
      { region: 'us-east-1', endpoint: 'https://s3.amazonaws.com' },
      'examplebucket',
      'https://examplebucket.s3.amazonaws.com/a%20b/c%2Bd',
    ],
    [
      'forcePathStyle',
      { region: 'us-east-1', forcePathStyle: true },
      'examplebucket',
      'https://s3.us-east-1.amazonaws.com/examplebucket/a%20b/c%2Bd',
    ],
    [
      'an IP endpoint is path-style',
      { region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' },
      'examplebucket',
      'http://127.0.0.1:9000/examplebucket/a%20b/c%2Bd',
    ],
    [
      'localhost is path-style',
      { region: 'us-east-1', endpoint: 'http://localhost:9000' },
      'examplebucket',
      'http://localhost:9000/examplebucket/a%20b/c%2Bd',
    ],
    [
      'an R2-like endpoint',
      { region: 'auto', endpoint: 'https://acct.r2.cloudflarestorage.com' },
      'examplebucket',
      'https://examplebucket.acct.r2.cloudflarestorage.com/a%20b/c%2Bd',
    ],
    [
      'an endpoint with a base path',
      { region: 'us-east-1', endpoint: 'https://gw.example.com/s3/', forcePathStyle: true },
      'examplebucket',
      'https://gw.example.com/s3/examplebucket/a%20b/c%2Bd',
    ],
  ])('%s', async (_name, options, bucket, expected) => {
    const p = createPresigner({ credentials, ...options } as PresignerOptions);
    const r = await p.presignGet({ bucket, key: 'a b/c+d', signingDate });
    expect(origin(r.url)).toBe(expected);
  });

  it('signs the host with its port', async () => {
    const p = createPresigner({ region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9000' });
    const r = await p.presign({ method: 'GET', bucket: 'examplebucket', key: 'k', signingDate });
    expect(r.url).toContain('X-Amz-SignedHeaders=host&');
  });
});

describe('the URL carries only what the operation needs', () => {
  const p = createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' });

  it('GET: the standard parameters only, no x-id, checksum or content-sha256', async () => {
    const r = await p.presignGet({ key: 'k', signingDate });
    const names = [...new URL(r.url).searchParams.keys()];
    expect(names).toEqual([
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ]);
  });

  it('GET with overrides: sorted by encoded name, encoded RFC 3986 (space %20, never +)', async () => {
    const r = await p.presignGet({
      key: 'k',
      versionId: 'v1',
      partNumber: 2,
      responseContentDisposition: 'attachment; filename="a b.pdf"',
      responseContentType: 'application/pdf',
      responseExpires: new Date('2030-01-01T00:00:00Z'),
      signingDate,
    });
    const query = r.url.split('?')[1] as string;
    expect(query).toContain(
      '&partNumber=2&response-content-disposition=attachment%3B%20filename%3D%22a%20b.pdf%22&response-content-type=application%2Fpdf&response-expires=Tue%2C%2001%20Jan%202030%2000%3A00%3A00%20GMT&versionId=v1&X-Amz-Signature=',
    );
  });

  it('a session token travels as X-Amz-Security-Token in its sorted place', async () => {
    const t = createPresigner({
      region: 'eu-west-1',
      credentials: { ...credentials, sessionToken: 'tok/en+=' },
      bucket: 'examplebucket',
    });
    const r = await t.presignGet({ key: 'k', signingDate });
    expect(r.url).toContain('&X-Amz-Expires=900&X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders=host&');
  });

  it('a generic bucket-level request with a valueless parameter', async () => {
    const r = await p.presign({ method: 'GET', query: { 'list-type': 2, prefix: 'photos/' }, signingDate });
    expect(origin(r.url)).toBe('https://examplebucket.s3.eu-west-1.amazonaws.com/');
    expect(r.url).toContain('&list-type=2&prefix=photos%2F&X-Amz-Signature=');
  });
});

describe('signed headers travel with the URL', () => {
  const p = createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' });

  it('every PUT option becomes a signed header listed in the descriptor', async () => {
    const r = await p.presignPut({
      key: 'k',
      contentType: 'image/png',
      contentLength: 1234,
      contentMd5: '1B2M2Y8AsgTpgAmY7PhCfg==',
      checksum: { algorithm: 'SHA256', value: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
      metadata: { Owner: '  Ada   Lovelace ' },
      cacheControl: 'max-age=60',
      contentDisposition: 'attachment; filename="a.png"',
      contentEncoding: 'gzip',
      contentLanguage: 'en',
      expires: new Date('2030-01-01T00:00:00Z'),
      acl: 'bucket-owner-full-control',
      storageClass: 'STANDARD_IA',
      tagging: { project: 'x y', team: 'a+b' },
      serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/k', context: { a: 'b' }, bucketKeyEnabled: true },
      ifNoneMatch: '*',
      signingDate,
    });
    expect(r.headers).toEqual({
      'content-type': 'image/png',
      'content-length': '1234',
      'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==',
      'x-amz-checksum-sha256': '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
      'x-amz-meta-owner': 'Ada Lovelace',
      'cache-control': 'max-age=60',
      'content-disposition': 'attachment; filename="a.png"',
      'content-encoding': 'gzip',
      'content-language': 'en',
      expires: 'Tue, 01 Jan 2030 00:00:00 GMT',
      'x-amz-acl': 'bucket-owner-full-control',
      'x-amz-storage-class': 'STANDARD_IA',
      'x-amz-tagging': 'project=x%20y&team=a%2Bb',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/k',
      'x-amz-server-side-encryption-context': Buffer.from('{"a":"b"}').toString('base64'),
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
      'if-none-match': '*',
    });
    const signed = new URL(r.url).searchParams.get('X-Amz-SignedHeaders')?.split(';');
    expect(signed).toEqual(['host', ...Object.keys(r.headers)].sort());
  });

  it('hoist moves metadata, acl and storage class into the query, never checksum, SSE or tagging', async () => {
    const r = await p.presignPut({
      key: 'k',
      metadata: { a: '1' },
      acl: 'private',
      storageClass: 'GLACIER_IR',
      tagging: 't=1',
      checksum: { algorithm: 'CRC32', value: 'AAAAAA==' },
      serverSideEncryption: { algorithm: 'AES256' },
      hoist: true,
      signingDate,
    });
    expect(Object.keys(r.headers).sort()).toEqual([
      'x-amz-checksum-crc32',
      'x-amz-server-side-encryption',
      'x-amz-tagging',
    ]);
    const q = new URL(r.url).searchParams;
    expect(q.get('x-amz-meta-a')).toBe('1');
    expect(q.get('x-amz-acl')).toBe('private');
    expect(q.get('x-amz-storage-class')).toBe('GLACIER_IR');
  });

  it('GET range and conditions are signed headers', async () => {
    const r = await p.presignGet({ key: 'k', range: { start: 0, end: 99 }, ifMatch: '"abc"', signingDate });
    expect(r.headers).toEqual({ range: 'bytes=0-99', 'if-match': '"abc"' });
  });

  it('the descriptor survives JSON unchanged', async () => {
    const r = await p.presignPut({ key: 'ü/k', contentType: 'text/plain', signingDate });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('expiry', () => {
  it('defaults to 900 s from the signing second, and reports expiresAt', async () => {
    const p = createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' });
    const r = await p.presignGet({ key: 'k', signingDate });
    expect(r.url).toContain('X-Amz-Date=20261129T120000Z&X-Amz-Expires=900&');
    expect(r.expiresAt).toBe('2026-11-29T12:15:00Z');
  });

  it('takes the clock from `now`', async () => {
    const p = createPresigner({
      region: 'eu-west-1',
      credentials,
      bucket: 'examplebucket',
      now: () => signingDate,
      expiresIn: 60,
    });
    const r = await p.presignGet({ key: 'k' });
    expect(r.expiresAt).toBe('2026-11-29T12:01:00Z');
  });

  it('clamps to temporary credentials by default and reports the real expiry', async () => {
    const p = createPresigner({
      region: 'eu-west-1',
      bucket: 'examplebucket',
      credentials: { ...credentials, sessionToken: 't', expiration: new Date('2026-11-29T12:10:00Z') },
    });
    const r = await p.presignGet({ key: 'k', expiresIn: 3600, signingDate });
    expect(r.url).toContain('X-Amz-Expires=600&');
    expect(r.expiresAt).toBe('2026-11-29T12:10:00Z');
  });

  it("throws instead with onCredentialExpiry: 'throw'", async () => {
    const p = createPresigner({
      region: 'eu-west-1',
      bucket: 'examplebucket',
      onCredentialExpiry: 'throw',
      credentials: { ...credentials, sessionToken: 't', expiration: new Date('2026-11-29T12:10:00Z') },
    });
    await expect(p.presignGet({ key: 'k', expiresIn: 3600, signingDate })).rejects.toMatchObject({
      code: 'ERR_CREDENTIALS_EXPIRED',
    });
    await expect(p.presignGet({ key: 'k', expiresIn: 600, signingDate })).resolves.toMatchObject({
      expiresAt: '2026-11-29T12:10:00Z',
    });
  });

  it('calls a credential provider on every presign, so rotated credentials are picked up', async () => {
    let calls = 0;
    const p = createPresigner({
      region: 'eu-west-1',
      bucket: 'examplebucket',
      credentials: async () => {
        calls += 1;
        return { accessKeyId: `AKID${calls}`, secretAccessKey: 'secret' };
      },
    });
    const a = await p.presignGet({ key: 'k', signingDate });
    const b = await p.presignGet({ key: 'k', signingDate });
    expect(a.url).toContain('Credential=AKID1%2F');
    expect(b.url).toContain('Credential=AKID2%2F');
  });
});

describe('an existing S3Client', () => {
  it('lends its region, endpoint, path style and credentials', async () => {
    const client = new S3Client({
      region: 'ap-southeast-2',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'FROMCLIENT', secretAccessKey: 'secret' },
    });
    const p = createPresigner({ client, bucket: 'examplebucket' });
    const r = await p.presignGet({ key: 'k', signingDate });
    expect(origin(r.url)).toBe('http://127.0.0.1:9000/examplebucket/k');
    expect(r.url).toContain('Credential=FROMCLIENT%2F20261129%2Fap-southeast-2%2Fs3%2Faws4_request');
  });

  it('on AWS, virtual-hosted in its region, dual-stack when it is', async () => {
    const client = new S3Client({ region: 'eu-central-1', useDualstackEndpoint: true, credentials });
    const p = createPresigner({ client });
    const r = await p.presignGet({ bucket: 'examplebucket', key: 'k', signingDate });
    expect(origin(r.url)).toBe('https://examplebucket.s3.dualstack.eu-central-1.amazonaws.com/k');
  });
});

describe('keys', () => {
  const p = createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' });
  it.each([
    ['spaces and plus', 'a b+c', '/a%20b%2Bc'],
    ['slashes kept, double slashes too', 'a//b/', '/a//b/'],
    ['a leading slash', '/a', '//a'],
    ['percent is encoded once', '100%/x%20y', '/100%25/x%2520y'],
    ['sub-delims', "!'()*", '/%21%27%28%29%2A'],
    ['unreserved left alone', 'A-z_0.9~', '/A-z_0.9~'],
    ['NFC and NFD stay different', 'e\u0301', '/e%CC%81'],
    ['astral characters as UTF-8', '🙂', '/%F0%9F%99%82'],
    ['dots inside a segment', 'a..b/.c/d.', '/a..b/.c/d.'],
  ])('%s', async (_name, key, path) => {
    const r = await p.presignGet({ key, signingDate });
    expect(origin(r.url)).toBe(`https://examplebucket.s3.eu-west-1.amazonaws.com${path}`);
  });
});
