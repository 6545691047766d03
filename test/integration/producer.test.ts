import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresignedRequest } from '../../src/index.js';
import { CANARY } from '../helpers/canary.js';
import { localClientPresigner, localPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

function presigner(extra: { sessionToken?: string } = {}) {
  // The canary key pair (s3rver knows it), with or without a session token.
  const { accessKeyId, secretAccessKey } = CANARY;
  return localPresigner(s3.endpoint, { credentials: { accessKeyId, secretAccessKey, ...extra } });
}

function send(r: PresignedRequest, body?: string, headers: Record<string, string> = r.headers) {
  return fetch(r.url, { method: r.method, headers, ...(body === undefined ? {} : { body }) });
}

async function s3Code(res: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
}

const ODD_KEYS = [
  'plain.txt',
  'with space/and+plus.txt',
  "sub-delims !'()*&$,;=@:.txt",
  'percent %20 %2F %.txt',
  'tilde~and_under-score',
  'unicode/日本語/éü.txt',
  'nfd/e\u0301.txt',
  'emoji 🙂.txt',
];

describe('every presign kind, for real against s3rver 4.0.4', () => {
  it.each(ODD_KEYS)('PUT, GET, HEAD, DELETE of %j', async (key) => {
    const p = presigner();
    const body = `content of ${key}`;
    const put = await p.presignPut({ key, contentType: 'text/plain; charset=utf-8', metadata: { origin: 'test' } });
    expect((await send(put, body)).status).toBe(200);

    const get = await p.presignGet({ key });
    const got = await send(get);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe(body);
    expect(got.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(got.headers.get('x-amz-meta-origin')).toBe('test');

    const head = await p.presignHead({ key });
    const headRes = await send(head);
    expect(headRes.status).toBe(200);
    expect(headRes.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));

    const del = await p.presignDelete({ key });
    expect((await send(del)).status).toBe(204);
    expect((await send(await p.presignGet({ key }))).status).toBe(404);
  });

  it('NFC and NFD spellings are different objects', async () => {
    const p = presigner();
    await send(await p.presignPut({ key: 'norm/\u00e9' }), 'nfc');
    await send(await p.presignPut({ key: 'norm/e\u0301' }), 'nfd');
    expect(await (await send(await p.presignGet({ key: 'norm/\u00e9' }))).text()).toBe('nfc');
    expect(await (await send(await p.presignGet({ key: 'norm/e\u0301' }))).text()).toBe('nfd');
  });

  it('response overrides and a signed range are honoured', async () => {
    const p = presigner();
    await send(await p.presignPut({ key: 'range.txt', contentType: 'text/plain' }), '0123456789');
    const get = await p.presignGet({
      key: 'range.txt',
      range: { start: 2, end: 5 },
      responseContentType: 'application/x-test',
      responseContentDisposition: 'attachment; filename="r.txt"',
    });
    const res = await send(get);
    expect(res.status).toBe(206);
    expect(await res.text()).toBe('2345');
    expect(res.headers.get('content-type')).toBe('application/x-test');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="r.txt"');
  });

  it('a generic presign signs any method, query and headers', async () => {
    const p = presigner();
    const put = await p.presign({
      method: 'PUT',
      key: 'generic.txt',
      headers: { 'Content-Type': 'text/csv', 'X-Amz-Meta-Source': 'generic' },
    });
    expect(put.headers).toEqual({ 'content-type': 'text/csv', 'x-amz-meta-source': 'generic' });
    expect((await send(put, 'a,b')).status).toBe(200);
    const get = await p.presign({ method: 'GET', key: 'generic.txt', query: { 'response-content-language': 'fr' } });
    const res = await send(get);
    expect(await res.text()).toBe('a,b');
    expect(res.headers.get('content-language')).toBe('fr');
    expect(res.headers.get('x-amz-meta-source')).toBe('generic');
  });
});

describe('the server enforces what was signed', () => {
  it('refuses a PUT sent with another content-type (403)', async () => {
    const put = await presigner().presignPut({ key: 'ct.txt', contentType: 'image/png' });
    const res = await send(put, 'x', { 'content-type': 'text/plain' });
    expect(res.status).toBe(403);
    expect(await s3Code(res)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a PUT whose body has another length than the signed content-length (403)', async () => {
    const put = await presigner().presignPut({ key: 'cl.txt', contentLength: 5 });
    expect((await send(put, '12345')).status).toBe(200);
    const res = await send(put, '123456', {});
    expect(res.status).toBe(403);
  });

  it('refuses an expired URL', async () => {
    const get = await presigner().presignGet({
      key: 'plain.txt',
      expiresIn: 60,
      signingDate: new Date(Date.now() - 3600_000),
    });
    const res = await send(get);
    expect(res.status).toBe(403);
    expect(await s3Code(res)).toBe('AccessDenied');
  });

  it.each([
    ['another key', (u: URL) => (u.pathname = `${u.pathname}x`)],
    ['a longer expiry', (u: URL) => u.searchParams.set('X-Amz-Expires', '604800')],
    ['a flipped signature', (u: URL) => u.searchParams.set('X-Amz-Signature', '0'.repeat(64))],
    ['an added override', (u: URL) => u.searchParams.set('response-content-type', 'text/html')],
  ])('refuses a URL tampered with: %s', async (_name, tamper) => {
    const p = presigner();
    await send(await p.presignPut({ key: 'tamper.txt' }), 't');
    const get = await p.presignGet({ key: 'tamper.txt' });
    const url = new URL(get.url);
    tamper(url);
    const res = await fetch(url);
    expect(res.status).toBe(403);
  });

  it('temporary credentials with a session token work', async () => {
    const p = presigner({ sessionToken: 'FwoGZXIvYXdzEXAMPLE/token+==' });
    const put = await p.presignPut({ key: 'sts.txt', contentType: 'text/plain' });
    expect(put.url).toContain('X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE%2Ftoken%2B%3D%3D');
    expect((await send(put, 'sts')).status).toBe(200);
    expect(await (await send(await p.presignGet({ key: 'sts.txt' }))).text()).toBe('sts');
  });

  it('an S3Client can stand in for region, endpoint and credentials', async () => {
    // Only the client and the bucket: no region, endpoint or credentials of the presigner's own.
    const p = localClientPresigner(s3.endpoint);
    const data = createHash('sha256').update('client').digest('hex');
    expect((await send(await p.presignPut({ key: 'client.txt' }), data)).status).toBe(200);
    expect(await (await send(await p.presignGet({ key: 'client.txt' }))).text()).toBe(data);
  });
});
