import { describe, expect, it, vi } from 'vitest';
import {
  download,
  isPresignError,
  type PresignErrorCode,
  type PresignedRequest,
  parseDescriptor,
  upload,
} from '../../src/consumer/index.js';
import { createPresigner } from '../../src/index.js';

const SIGNED_AT = new Date('2026-11-29T00:00:00Z');
/** Five minutes after signing: a 900 s descriptor is valid. */
const NOW = () => new Date('2026-11-29T00:05:00Z');
const presigner = createPresigner({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9000',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  bucket: 'bucket',
});

/** A fetch that records every call and answers 200 with an ETag: the count proves nothing was sent. */
function recordingFetch() {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => {
    return new Response(null, { status: 200, headers: { etag: '"abc"' } });
  });
}

async function rejection(promise: Promise<unknown>): Promise<PresignErrorCode | string> {
  try {
    await promise;
  } catch (error) {
    return isPresignError(error) ? error.code : `not a PresignError: ${String(error)}`;
  }
  return 'resolved';
}

const putPng = (extra: Parameters<typeof presigner.presignPut>[0] | object = {}) =>
  presigner.presignPut({ key: 'a.png', contentType: 'image/png', signingDate: SIGNED_AT, ...extra });

describe('header parity, checked before the network', () => {
  it('sends exactly the signed headers', async () => {
    const fetch = recordingFetch();
    const d = await putPng({ metadata: { owner: 'ann' }, contentLength: 3 });
    const result = await upload(d, new Uint8Array([1, 2, 3]), { fetch, now: NOW });
    expect(result).toMatchObject({ status: 200, etag: '"abc"' });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(d.url);
    expect(init?.method).toBe('PUT');
    // content-length is left to the runtime for bytes (browsers forbid setting it).
    expect(init?.headers).toEqual({ 'content-type': 'image/png', 'x-amz-meta-owner': 'ann' });
  });

  it('sends the signed content-type, not the Blob type', async () => {
    const fetch = recordingFetch();
    await upload(await putPng(), new Blob(['x'], { type: 'text/plain' }), { fetch, now: NOW });
    expect((fetch.mock.calls[0]![1]!.headers as Record<string, string>)['content-type']).toBe('image/png');
  });

  it('refuses an extra header that changes a signed value, names compared case-insensitively: ERR_HEADER_MISMATCH', async () => {
    const fetch = recordingFetch();
    const d = await putPng();
    const options = { fetch, now: NOW, headers: { 'Content-Type': 'image/jpeg' } };
    expect(await rejection(upload(d, 'x', options))).toBe('ERR_HEADER_MISMATCH');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('accepts an extra header equal to the signed value as SigV4 canonicalises it', async () => {
    const fetch = recordingFetch();
    const d = await presigner.presignPut({
      key: 'a',
      contentDisposition: 'attachment;  filename="a"',
      signingDate: SIGNED_AT,
    });
    await upload(d, 'x', { fetch, now: NOW, headers: { 'content-disposition': ' attachment; filename="a" ' } });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('refuses a host header other than the URL host: ERR_HEADER_MISMATCH; the same one is not sent twice', async () => {
    const fetch = recordingFetch();
    const d = await putPng();
    const options = { fetch, now: NOW, headers: { Host: 'evil.example' } };
    expect(await rejection(upload(d, 'x', options))).toBe('ERR_HEADER_MISMATCH');
    expect(fetch).not.toHaveBeenCalled();
    await upload(d, 'x', { fetch, now: NOW, headers: { host: '127.0.0.1:9000' } });
    expect(fetch.mock.calls[0]![1]!.headers).toEqual({ 'content-type': 'image/png' });
  });

  it('refuses an unsigned x-amz-* header: ERR_UNSIGNED_HEADER', async () => {
    const fetch = recordingFetch();
    const options = { fetch, now: NOW, headers: { 'X-Amz-Meta-Owner': 'ann' } };
    expect(await rejection(upload(await putPng(), 'x', options))).toBe('ERR_UNSIGNED_HEADER');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('sends other unsigned headers as given (S3 does not check them)', async () => {
    const fetch = recordingFetch();
    await upload(await putPng(), 'x', { fetch, now: NOW, headers: { 'Cache-Control': 'no-cache' } });
    expect(fetch.mock.calls[0]![1]?.headers).toEqual({ 'content-type': 'image/png', 'cache-control': 'no-cache' });
  });

  it('refuses a descriptor whose headers do not cover X-Amz-SignedHeaders: ERR_MISSING_SIGNED_HEADER', async () => {
    const fetch = recordingFetch();
    const d = { ...(await putPng()), headers: {} };
    expect(await rejection(upload(d, 'x', { fetch, now: NOW }))).toBe('ERR_MISSING_SIGNED_HEADER');
    expect(await rejection(download({ ...d, method: 'GET' }, { fetch, now: NOW }))).toBe('ERR_MISSING_SIGNED_HEADER');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a descriptor for another method: ERR_INVALID_DESCRIPTOR', async () => {
    const fetch = recordingFetch();
    const get = await presigner.presignGet({ key: 'a.png', signingDate: SIGNED_AT });
    expect(await rejection(upload(get, 'x', { fetch, now: NOW }))).toBe('ERR_INVALID_DESCRIPTOR');
    expect(await rejection(download(await putPng(), { fetch, now: NOW }))).toBe('ERR_INVALID_DESCRIPTOR');
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('the body, checked before the network', () => {
  it.each([
    ['a string (UTF-8 bytes)', 'héllo', 6],
    ['an ArrayBuffer', new ArrayBuffer(6), 6],
    ['a typed array view', new Uint16Array([1, 2, 3]), 6],
    ['a DataView over part of a buffer', new DataView(new ArrayBuffer(10), 2, 6), 6],
    ['a Blob', new Blob(['123456']), 6],
  ])('sends %s whose size matches the signed content-length', async (_, body, size) => {
    const fetch = recordingFetch();
    await upload(await putPng({ contentLength: size }), body, { fetch, now: NOW });
    // What goes on the wire: a Blob travels as a stream framed by its length in Node.
    const init = fetch.mock.calls[0]![1]!;
    const sent =
      init.body instanceof ReadableStream ? await new Response(init.body).blob() : (init.body as Blob | Uint8Array);
    expect(sent instanceof Blob ? sent.size : sent.byteLength).toBe(size);
  });

  it('refuses a body whose size differs from the signed content-length: ERR_BODY_SIZE_MISMATCH', async () => {
    const fetch = recordingFetch();
    const d = await putPng({ contentLength: 5 });
    expect(await rejection(upload(d, 'héllo', { fetch, now: NOW }))).toBe('ERR_BODY_SIZE_MISMATCH');
    expect(await rejection(upload(d, new Blob(['1234']), { fetch, now: NOW }))).toBe('ERR_BODY_SIZE_MISMATCH');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses what is not a body: ERR_INVALID_BODY', async () => {
    const fetch = recordingFetch();
    const d = await putPng();
    expect(await rejection(upload(d, 42 as never, { fetch, now: NOW }))).toBe('ERR_INVALID_BODY');
    expect(await rejection(upload(d, { path: '/etc/passwd' } as never, { fetch, now: NOW }))).toBe('ERR_INVALID_BODY');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses a stream without a signed content-length (S3 refuses a chunked PUT): ERR_INVALID_BODY', async () => {
    const fetch = recordingFetch();
    const stream = new Blob(['abc']).stream();
    expect(await rejection(upload(await putPng(), stream, { fetch, now: NOW }))).toBe('ERR_INVALID_BODY');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('sends a stream with its signed content-length', async () => {
    const fetch = recordingFetch();
    await upload(await putPng({ contentLength: 3 }), new Blob(['abc']).stream(), { fetch, now: NOW });
    const init = fetch.mock.calls[0]![1]!;
    expect((init.headers as Record<string, string>)['content-length']).toBe('3');
    expect(await new Response(init.body).text()).toBe('abc');
  });
});

describe("expiry bounds, checked before the network, on the signer's timeline", () => {
  // `serverTime`: the signer's time when the descriptor was received; `now` only measures time passing.
  const frozen = () => 1_000;

  it('refuses an expired descriptor: ERR_EXPIRED', async () => {
    const fetch = recordingFetch();
    const options = { fetch, now: frozen, serverTime: '2026-11-29T00:15:00Z' };
    expect(await rejection(upload(await putPng(), 'x', options))).toBe('ERR_EXPIRED');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses one that expires within clockTolerance (default 5 s), accepts it with a smaller tolerance', async () => {
    const fetch = recordingFetch();
    const serverTime = new Date('2026-11-29T00:14:56Z');
    expect(await rejection(upload(await putPng(), 'x', { fetch, serverTime }))).toBe('ERR_EXPIRED');
    expect(fetch).not.toHaveBeenCalled();
    await upload(await putPng(), 'x', { fetch, serverTime, clockTolerance: 3 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('refuses one signed after the serverTime given beyond clockTolerance: ERR_NOT_YET_VALID', async () => {
    const fetch = recordingFetch();
    const serverTime = Date.parse('2026-11-28T23:59:54Z');
    expect(await rejection(upload(await putPng(), 'x', { fetch, serverTime }))).toBe('ERR_NOT_YET_VALID');
    expect(await rejection(upload(await putPng(), 'x', { fetch, serverTime, refresh: () => putPng() }))).toBe(
      'ERR_NOT_YET_VALID',
    );
    expect(fetch).not.toHaveBeenCalled();
    await upload(await putPng(), 'x', { fetch, serverTime: Date.parse('2026-11-28T23:59:56Z') });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("never compares this clock with the signer's: a fresh descriptor goes whatever now() says", async () => {
    const fetch = recordingFetch();
    for (const wall of [
      '1970-01-01T00:00:00Z',
      '2026-11-28T22:00:00Z',
      '2026-11-29T02:00:00Z',
      '2099-01-01T00:00:00Z',
    ]) {
      await upload(await putPng(), 'x', { fetch, now: () => new Date(wall) });
    }
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  // Issue 10, item 9: the consumer's clock at -2 h, -10 min, +10 min and +2 h from the signer's.
  for (const skew of [-7_200_000, -600_000, 600_000, 7_200_000]) {
    it(`with this clock ${skew / 60_000} min off: fresh descriptors go, one with seconds left is refused given serverTime`, async () => {
      const fetch = recordingFetch();
      // The signer's time, seen through a clock that is `skew` off (only its differences count).
      const signer = Date.parse('2026-11-29T00:00:01Z');
      const now = () => signer + skew;
      await upload(await putPng(), 'x', { fetch, now });
      await download(await presigner.presignGet({ key: 'a.png', signingDate: SIGNED_AT }), { fetch, now });
      expect(fetch).toHaveBeenCalledTimes(2);
      // Signed 14 min 57 s before the server's time at receipt: 3 s left, under the 5 s tolerance.
      const serverTime = '2026-11-29T00:14:57Z';
      expect(await rejection(upload(await putPng(), 'x', { fetch, now, serverTime }))).toBe('ERR_EXPIRED');
      const get = await presigner.presignGet({ key: 'a.png', signingDate: SIGNED_AT });
      expect(await rejection(download(get, { fetch, now, serverTime }))).toBe('ERR_EXPIRED');
      expect(fetch).toHaveBeenCalledTimes(2);
    });
  }

  it('counts time from when a descriptor was first seen, on now(): it expires once 900 s have passed', async () => {
    const fetch = recordingFetch();
    let t = 50_000;
    const now = () => t;
    const d = await putPng();
    await upload(d, 'x', { fetch, now });
    t += 894_000;
    await upload(d, 'x', { fetch, now });
    t += 2_000;
    expect(await rejection(upload(d, 'x', { fetch, now }))).toBe('ERR_EXPIRED');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('gets a fresh descriptor from refresh when the one given has expired, and checks it too', async () => {
    const fetch = recordingFetch();
    const serverTime = '2026-11-29T01:00:00Z';
    const fresh = await putPng({ signingDate: new Date('2026-11-29T00:59:00Z') });
    const refresh = vi.fn(async () => fresh);
    await upload(await putPng(), 'x', { fetch, serverTime, refresh });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe(fresh.url);

    // A refreshed descriptor counts as received when refresh returns it: its own serverTime, from parseDescriptor.
    const stale = vi.fn(async () => parseDescriptor(await putPng(), { serverTime }));
    expect(await rejection(upload(await putPng(), 'x', { fetch, serverTime, refresh: stale }))).toBe('ERR_EXPIRED');
    expect(stale).toHaveBeenCalledTimes(1);
  });

  it('checks a refreshed descriptor for parity as well', async () => {
    const fetch = recordingFetch();
    const serverTime = '2026-11-29T01:00:00Z';
    const refresh = async (): Promise<PresignedRequest> =>
      presigner.presignPut({ key: 'a.png', contentType: 'image/gif', signingDate: new Date('2026-11-29T00:59:00Z') });
    const options = { fetch, serverTime, refresh, headers: { 'content-type': 'image/png' } };
    expect(await rejection(upload(await putPng(), 'x', options))).toBe('ERR_HEADER_MISMATCH');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses clocks and tolerances that give no time: ERR_INVALID_CLOCK, nothing sent', async () => {
    const fetch = recordingFetch();
    const bad: object[] = [
      { clockTolerance: Number.NaN },
      { clockTolerance: -1 },
      { clockTolerance: Number.POSITIVE_INFINITY },
      { clockTolerance: '5' },
      { now: () => Number.NaN },
      { now: () => new Date('nope') },
      { now: () => '1000' },
      { serverTime: 'yesterday' },
      { serverTime: Number.NaN },
      { serverTime: true },
    ];
    const get = presigner.presignGet({ key: 'a.png', signingDate: SIGNED_AT });
    for (const options of bad) {
      expect(await rejection(upload(await putPng(), 'x', { fetch, ...options }))).toBe('ERR_INVALID_CLOCK');
      expect(await rejection(download(await get, { fetch, ...options }))).toBe('ERR_INVALID_CLOCK');
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});
