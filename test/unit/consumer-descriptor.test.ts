import { describe, expect, it } from 'vitest';
import { inspectPresignedUrl, isPresignError, parseDescriptor } from '../../src/consumer/index.js';
import { createPresigner } from '../../src/index.js';

const SIGNED_AT = new Date('2026-11-29T00:00:00Z');
const presigner = createPresigner({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:9000',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG', sessionToken: 'TOKEN' },
  bucket: 'photos',
});
const put = () => presigner.presignPut({ key: 'a b/ü.png', contentType: 'image/png', signingDate: SIGNED_AT });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isPresignError(error) ? error.code : `not a PresignError: ${String(error)}`;
  }
  return undefined;
}

describe('parseDescriptor', () => {
  it('accepts what the producer returns, JSON round-tripped', async () => {
    const d = await put();
    expect(parseDescriptor(JSON.parse(JSON.stringify(d)))).toEqual(d);
  });

  it('lower-cases header names of a descriptor built by hand', async () => {
    const d = await put();
    expect(parseDescriptor({ ...d, headers: { 'Content-Type': 'image/png' } }).headers).toEqual({
      'content-type': 'image/png',
    });
  });

  const broken: Array<[string, (d: Record<string, unknown>) => unknown]> = [
    ['not an object', () => 'https://example.com'],
    ['null', () => null],
    ['an unknown method', (d) => ({ ...d, method: 'PATCH' })],
    ['a relative url', (d) => ({ ...d, url: '/photos/a.png' })],
    ['a non-http url', (d) => ({ ...d, url: String(d.url).replace('http:', 'ftp:') })],
    ['no signature', (d) => ({ ...d, url: String(d.url).replace(/&X-Amz-Signature=[^&]*/, '') })],
    ['no credential', (d) => ({ ...d, url: String(d.url).replace(/X-Amz-Credential=[^&]*&/, '') })],
    [
      'a malformed X-Amz-Date',
      (d) => ({ ...d, url: String(d.url).replace(/X-Amz-Date=\d{8}T/, 'X-Amz-Date=2026-11-29T') }),
    ],
    ['X-Amz-Expires 0', (d) => ({ ...d, url: String(d.url).replace('X-Amz-Expires=900', 'X-Amz-Expires=0') })],
    [
      'X-Amz-Expires over 7 days',
      (d) => ({ ...d, url: String(d.url).replace('X-Amz-Expires=900', 'X-Amz-Expires=604801') }),
    ],
    ['headers not an object', (d) => ({ ...d, headers: 'content-type: image/png' })],
    ['a header value that is not a string', (d) => ({ ...d, headers: { 'content-type': 5 } })],
    ['a header that is not signed', (d) => ({ ...d, headers: { ...(d.headers as object), 'x-amz-acl': 'private' } })],
    ['a host header', (d) => ({ ...d, headers: { ...(d.headers as object), host: 'evil.example' } })],
    ['a signed header without a value', (d) => ({ ...d, headers: {} })],
    ['expiresAt that disagrees with the URL', (d) => ({ ...d, expiresAt: '2026-11-29T01:00:00Z' })],
    ['expiresAt that is not a date', (d) => ({ ...d, expiresAt: 'soon' })],
  ];
  it.each(broken)('refuses a descriptor with %s: ERR_INVALID_DESCRIPTOR', async (_, mutate) => {
    const d = (await put()) as unknown as Record<string, unknown>;
    expect(code(() => parseDescriptor(mutate(d)))).toBe('ERR_INVALID_DESCRIPTOR');
  });

  it('never quotes the URL (and so its signature) in the message', async () => {
    const d = await put();
    try {
      parseDescriptor({ ...d, expiresAt: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toMatch(/X-Amz-Signature=|AKIDEXAMPLE|TOKEN/);
    }
  });
});

describe('inspectPresignedUrl', () => {
  it('explains a path-style URL signed with temporary credentials', async () => {
    const d = await put();
    expect(inspectPresignedUrl(d.url, { now: () => new Date('2026-11-29T00:10:00Z') })).toEqual({
      host: '127.0.0.1:9000',
      bucket: 'photos',
      key: 'a b/ü.png',
      region: 'eu-west-1',
      service: 's3',
      accessKeyId: 'AKIDEXAMPLE',
      temporaryCredentials: true,
      signedHeaders: ['content-type', 'host'],
      issuedAt: '2026-11-29T00:00:00Z',
      expiresAt: '2026-11-29T00:15:00Z',
      expired: false,
    });
  });

  it('takes a descriptor and reports its method; expired once the clock passes expiresAt', async () => {
    const info = inspectPresignedUrl(await put(), { now: () => new Date('2026-11-29T00:15:00Z') });
    expect(info.method).toBe('PUT');
    expect(info.expired).toBe(true);
  });

  it('reads the bucket from a virtual-hosted AWS host name', () => {
    const url =
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const info = inspectPresignedUrl(url);
    expect(info).toMatchObject({ bucket: 'examplebucket', key: 'test.txt', region: 'us-east-1', expired: true });
    expect(info.expiresAt).toBe('2013-05-25T00:00:00Z');
    expect(JSON.stringify(info)).not.toContain('aeeed9bb');
  });

  it('refuses a URL that is not query-signed', () => {
    expect(code(() => inspectPresignedUrl('https://example.com/a.png'))).toBe('ERR_INVALID_DESCRIPTOR');
  });
});
