import { afterEach, describe, expect, it, vi } from 'vitest';
import { download, type PresignError, type Progress, upload } from '../../src/consumer/index.js';
import { createPresigner } from '../../src/index.js';
import { rejection } from '../helpers/rejection.js';

const SIGNED_AT = new Date('2026-11-29T00:00:00Z');
const NOW = () => new Date('2026-11-29T00:05:00Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const presigner = createPresigner({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9000',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
  bucket: 'bucket',
});
const put = () => presigner.presignPut({ key: 'a.txt', contentType: 'text/plain', signingDate: SIGNED_AT });
const get = () => presigner.presignGet({ key: 'a.txt', signingDate: SIGNED_AT });
const NO_DELAY = { limit: 2, backoffLimit: 0 };

function s3Xml(code: string, message: string, requestId = 'REQ123'): string {
  // Real S3 adds the signature and the string to sign to SignatureDoesNotMatch: they must never surface.
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><SignatureProvided>0123abcd</SignatureProvided><RequestId>${requestId}</RequestId></Error>`;
}

/** S3's answer to a URL used after its expiry: AccessDenied, with the expiry it had in `<Expires>`. */
function expiredXml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>300</X-Amz-Expires><Expires>2026-11-29T00:05:00Z</Expires><ServerTime>2026-11-29T00:06:00Z</ServerTime><RequestId>REQ123</RequestId></Error>`;
}

type Answer = Response | Error;
/** A fetch answering from a script, one entry per call; the last entry repeats. */
function scripted(...answers: Array<() => Answer>) {
  return vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    const answer = next();
    if (init?.body instanceof ReadableStream) await new Response(init.body).arrayBuffer();
    if (answer instanceof Error) throw answer;
    return answer;
  });
}
const ok = () => new Response('hello', { status: 200, headers: { etag: '"e1"', 'content-length': '5' } });
const status =
  (code: number, body = '') =>
  () =>
    new Response(body, { status: code });

function expectNoSecrets(error: PresignError): void {
  const everything = JSON.stringify({ ...error, message: error.message, cause: String(error.cause) });
  for (const secret of [SECRET, TOKEN, 'X-Amz-Signature=0', 'X-Amz-Signature=1', '0123abcd']) {
    expect(everything).not.toContain(secret);
  }
  expect(everything).not.toMatch(/X-Amz-Signature=(?!REDACTED)/);
  expect(everything).not.toMatch(/X-Amz-Credential=(?!REDACTED)/);
  expect(everything).not.toMatch(/X-Amz-Security-Token=(?!REDACTED)/);
}

describe('errors from S3', () => {
  it('parses the XML into s3Code, s3Message, requestId and status, with a hint, and redacts the URL', async () => {
    const fetch = scripted(
      status(403, s3Xml('SignatureDoesNotMatch', 'The request signature we calculated does not match')),
    );
    const error = await rejection(upload(await put(), 'x', { fetch, now: NOW }));
    expect(error).toMatchObject({
      code: 'ERR_S3',
      status: 403,
      s3Code: 'SignatureDoesNotMatch',
      s3Message: 'The request signature we calculated does not match',
      requestId: 'REQ123',
    });
    expect(error.hint).toMatch(/header/);
    expect(error.message).toContain('X-Amz-Signature=REDACTED');
    expectNoSecrets(error);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('hints at a refresh when S3 says the URL expired', async () => {
    const fetch = scripted(status(403, expiredXml()));
    const error = await rejection(upload(await put(), 'x', { fetch, now: NOW }));
    expect(error).toMatchObject({ s3Code: 'AccessDenied', s3Message: 'Request has expired' });
    expect(error.hint).toMatch(/refresh/);
  });

  it.each([
    ['ExpiredToken', 'The provided token has expired.', /credentials/],
    ['AccessDenied', 'Request is not yet valid', /clock/],
    ['HeadersNotSigned', 'There were headers present in the request which were not signed', /sign/],
    ['AccessDenied', 'There were headers present in the request which were not signed', /sign the x-amz/],
  ])('hints at the cause of %s "%s"', async (code, message, hint) => {
    const fetch = scripted(status(403, s3Xml(code, message)));
    const error = await rejection(upload(await put(), 'x', { fetch, now: NOW }));
    expect(error.s3Code).toBe(code);
    expect(error.hint).toMatch(hint);
  });

  it('takes the request id from the header when there is no body (HEAD, some proxies)', async () => {
    const fetch = scripted(() => new Response(null, { status: 404, headers: { 'x-amz-request-id': 'HDR1' } }));
    const error = await rejection(download(await get(), { fetch, now: NOW }));
    expect(error).toMatchObject({ code: 'ERR_S3', status: 404, requestId: 'HDR1', s3Code: undefined });
  });

  it('redacts a signature a runtime quoted in the cause of a network error', async () => {
    const d = await put();
    const fetch = scripted(() => new TypeError(`fetch failed for ${d.url}`));
    const error = await rejection(upload(d, 'x', { fetch, now: NOW, retry: 0 }));
    expect(error.code).toBe('ERR_NETWORK');
    expectNoSecrets(error);
  });
});

describe('a 403 "Request has expired" with refresh', () => {
  it('gets one fresh descriptor and sends again', async () => {
    const fetch = scripted(status(403, expiredXml()), ok);
    const fresh = await presigner.presignPut({
      key: 'a.txt',
      contentType: 'text/plain',
      signingDate: new Date('2026-11-29T00:04:00Z'),
    });
    const refresh = vi.fn(async () => fresh);
    const result = await upload(await put(), 'x', { fetch, now: NOW, refresh });
    expect(result.etag).toBe('"e1"');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[1]![0]).toBe(fresh.url);
  });

  it('does it once only', async () => {
    const fetch = scripted(status(403, expiredXml()));
    const refresh = vi.fn(put);
    const error = await rejection(upload(await put(), 'x', { fetch, now: NOW, refresh }));
    expect(error.s3Message).toBe('Request has expired');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['ExpiredToken', s3Xml('ExpiredToken', 'The provided token has expired.')],
    ['TokenRefreshRequired', s3Xml('TokenRefreshRequired', 'The provided token must be refreshed.')],
  ])('is tried for %s, a session token S3 no longer accepts', async (_code, xml) => {
    const fetch = scripted(status(400, xml), ok);
    const refresh = vi.fn(put);
    expect((await upload(await put(), 'x', { fetch, now: NOW, refresh })).status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('is decided by the error code and its fields, not by the message text', async () => {
    // The words alone, from a proxy or a policy message, are not S3 saying the signature expired.
    const fetch = scripted(status(403, s3Xml('AccessDenied', 'Request has expired')));
    const refresh = vi.fn(put);
    await rejection(upload(await put(), 'x', { fetch, now: NOW, refresh }));
    expect(refresh).not.toHaveBeenCalled();
  });

  it('is not tried for other refusals', async () => {
    const fetch = scripted(status(403, s3Xml('AccessDenied', 'Access Denied')));
    const refresh = vi.fn(put);
    await rejection(upload(await put(), 'x', { fetch, now: NOW, refresh }));
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('retry', () => {
  it.each([500, 502, 503, 504, 429])('retries a %i and succeeds', async (code) => {
    const fetch = scripted(status(code), ok);
    expect((await upload(await put(), 'x', { fetch, now: NOW, retry: NO_DELAY })).status).toBe(200);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('retries a network error and succeeds', async () => {
    const fetch = scripted(() => new TypeError('fetch failed'), ok);
    const { body } = await download(await get(), { fetch, now: NOW, retry: NO_DELAY, as: 'text' });
    expect(body).toBe('hello');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('gives up after the limit with the last error, saying so', async () => {
    const fetch = scripted(status(503, s3Xml('SlowDown', 'Please reduce your request rate.')));
    const error = await rejection(upload(await put(), 'x', { fetch, now: NOW, retry: NO_DELAY }));
    expect(error).toMatchObject({ code: 'ERR_S3', status: 503, s3Code: 'SlowDown' });
    expect(error.message).toContain('gave up after 3 attempts');
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('defaults to 2 retries; a number sets the limit', async () => {
    const fetch = scripted(() => new TypeError('fetch failed'));
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect((await rejection(upload(await put(), 'x', { fetch, now: NOW }))).code).toBe('ERR_NETWORK');
    expect(fetch).toHaveBeenCalledTimes(3);
    fetch.mockClear();
    await rejection(upload(await put(), 'x', { fetch, now: NOW, retry: 0 }));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it.each([400, 403, 404, 412])('does not retry a %i', async (code) => {
    const fetch = scripted(status(code));
    expect((await rejection(upload(await put(), 'x', { fetch, now: NOW, retry: NO_DELAY }))).status).toBe(code);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('retries the statusCodes given instead of the default ones', async () => {
    const fetch = scripted(status(503));
    await rejection(upload(await put(), 'x', { fetch, now: NOW, retry: { ...NO_DELAY, statusCodes: [500] } }));
    expect(fetch).toHaveBeenCalledTimes(1);
    const fetch2 = scripted(status(409), ok);
    await upload(await put(), 'x', { fetch: fetch2, now: NOW, retry: { ...NO_DELAY, statusCodes: [409] } });
    expect(fetch2).toHaveBeenCalledTimes(2);
  });

  it('lets shouldRetry decide, with the error and the attempt number', async () => {
    const seen: Array<[string, number]> = [];
    const shouldRetry = ({ error, attempt }: { error: PresignError; attempt: number }) => {
      seen.push([error.code, attempt]);
      return error.status === 400;
    };
    const fetch = scripted(status(400), status(500));
    await rejection(upload(await put(), 'x', { fetch, now: NOW, retry: { ...NO_DELAY, shouldRetry } }));
    expect(seen).toEqual([
      ['ERR_S3', 0],
      ['ERR_S3', 1],
    ]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not retry a stream body, which can be read only once', async () => {
    const fetch = scripted(status(503), ok);
    const d = await presigner.presignPut({ key: 'a', contentLength: 3, signingDate: SIGNED_AT });
    await rejection(upload(d, new Blob(['abc']).stream(), { fetch, now: NOW, retry: NO_DELAY }));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('waits a full-jitter delay: random(0, min(backoffLimit, 300 * 2^attempt)) ms', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const fetch = scripted(status(503), status(503), ok);
    const done = upload(await put(), 'x', { fetch, now: NOW, retry: { limit: 2, backoffLimit: 500 } });
    await vi.advanceTimersByTimeAsync(149);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    // second delay: 0.5 * min(500, 600) = 250
    await vi.advanceTimersByTimeAsync(249);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await done).status).toBe(200);
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('abort', () => {
  it('rejects with ERR_ABORTED and sends nothing when the signal is already aborted', async () => {
    const fetch = scripted(ok);
    const error = await rejection(upload(await put(), 'x', { fetch, now: NOW, signal: AbortSignal.abort('user') }));
    expect(error.code).toBe('ERR_ABORTED');
    expect(error.cause).toBe('user');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('stops a transfer in flight at once, without retrying', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    );
    const done = rejection(upload(await put(), 'x', { fetch, now: NOW, signal: controller.signal, retry: NO_DELAY }));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    controller.abort();
    expect((await done).code).toBe('ERR_ABORTED');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('ends a retry delay at once', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const fetch = scripted(status(503));
    const done = rejection(
      upload(await put(), 'x', {
        fetch,
        now: NOW,
        signal: controller.signal,
        retry: { limit: 5, backoffLimit: 60_000 },
      }),
    );
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    controller.abort();
    expect((await done).code).toBe('ERR_ABORTED');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('progress where there is no XMLHttpRequest (Node): the body stream is counted', () => {
  it('reports monotonic progress, sends content-length, and 100% only once the response arrived', async () => {
    const events: Progress[] = [];
    let responded = false;
    const size = 200_000;
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      expect((init!.headers as Record<string, string>)['content-length']).toBe(String(size));
      const bytes = await new Response(init?.body).arrayBuffer();
      expect(bytes.byteLength).toBe(size);
      expect(events.at(-1)?.percent).toBeLessThan(100);
      responded = true;
      return new Response(null, { status: 200, headers: { etag: '"e"' } });
    });
    const d = await presigner.presignPut({ key: 'big', contentLength: size, signingDate: SIGNED_AT });
    await upload(d, new Uint8Array(size), {
      fetch,
      now: NOW,
      onProgress: (p) => {
        if (p.percent === 100) expect(responded).toBe(true);
        events.push(p);
      },
    });
    expect(events.length).toBeGreaterThan(2);
    expect(events.at(-1)).toEqual({ transferredBytes: size, totalBytes: size, percent: 100 });
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.transferredBytes).toBeGreaterThan(events[i - 1]!.transferredBytes);
    }
  });

  it('counts a Blob in chunks without reading it whole first', async () => {
    const events: Progress[] = [];
    const fetch = scripted(ok);
    await upload(await put(), new Blob([new Uint8Array(150_000)]), {
      fetch,
      now: NOW,
      onProgress: (p) => events.push(p),
    });
    expect(events.map((e) => e.transferredBytes)).toEqual([65_536, 131_072, 150_000]);
  });

  it('stays monotonic across a retry that starts over', async () => {
    const events: number[] = [];
    const fetch = scripted(status(500), ok);
    await upload(await put(), new Uint8Array(140_000), {
      fetch,
      now: NOW,
      retry: NO_DELAY,
      onProgress: (p) => events.push(p.transferredBytes),
    });
    expect(events).toEqual([65_536, 131_072, 140_000]);
  });

  it('reports an empty body as 100% once done', async () => {
    const events: Progress[] = [];
    await upload(await put(), '', { fetch: scripted(ok), now: NOW, onProgress: (p) => events.push(p) });
    expect(events).toEqual([{ transferredBytes: 0, totalBytes: 0, percent: 100 }]);
  });
});

/** A fetch that reads the whole body, as the wire would, and keeps what it was given. */
function recording() {
  const seen: Array<{ body: unknown; bytes: number; headers: Record<string, string> }> = [];
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const bytes = (await new Response(init?.body).arrayBuffer()).byteLength;
    seen.push({ body: init?.body, bytes, headers: init?.headers as Record<string, string> });
    return ok();
  });
  return { fetch, seen };
}

describe('progress never changes what is sent', () => {
  afterEach(() => vi.unstubAllGlobals());
  const size = 150_000;
  const sized = () => presigner.presignPut({ key: 'big', contentLength: size, signingDate: SIGNED_AT });
  const withProgress = (events: number[]) => {
    const { fetch, seen } = recording();
    return { fetch, seen, now: NOW, onProgress: (p: Progress) => events.push(p.transferredBytes) };
  };

  it('where the runtime sends streams chunked (Deno): the Blob goes as it is, progress at start and end', async () => {
    vi.stubGlobal('Deno', {});
    const events: number[] = [];
    const body = new Blob([new Uint8Array(size)]);
    const options = withProgress(events);
    await upload(await sized(), body, options);
    const sent = options.seen[0]!;
    expect(sent.body).toBe(body);
    expect(sent.headers['content-length']).toBeUndefined(); // the runtime derives it from the Blob
    expect(events).toEqual([0, size]);
  });

  it('sends the same body and headers with and without onProgress where streams go chunked', async () => {
    vi.stubGlobal('Deno', {});
    const body = new Uint8Array(size);
    const plain = { ...recording(), now: NOW };
    await upload(await sized(), body, plain);
    const counted = withProgress([]);
    await upload(await sized(), body, counted);
    const [a, b] = [plain.seen[0]!, counted.seen[0]!];
    expect(b.body).toStrictEqual(a.body);
    expect(b.headers).toEqual(a.headers);
  });

  it('refuses a stream body there before the network, with a code that says why', async () => {
    vi.stubGlobal('Deno', {});
    const fetch = vi.fn(async () => ok());
    const stream = new Blob(['hello']).stream();
    const error = await rejection(upload(await put(), stream, { fetch, now: NOW }));
    expect(error.code).toBe('ERR_STREAM_UNSUPPORTED');
    expect(error.message).toMatch(/Blob/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('in workerd, frames the counted stream with a FixedLengthStream of the signed length', async () => {
    const lengths: number[] = [];
    vi.stubGlobal(
      'FixedLengthStream',
      class extends TransformStream<Uint8Array, Uint8Array> {
        constructor(length: number) {
          super();
          lengths.push(length);
        }
      },
    );
    const events: number[] = [];
    const options = withProgress(events);
    await upload(await sized(), new Blob([new Uint8Array(size)]), options);
    const sent = options.seen[0]!;
    expect(lengths).toEqual([size]);
    expect(sent.body).toBeInstanceOf(ReadableStream);
    expect(sent.bytes).toBe(size);
    expect(sent.headers['content-length']).toBe(String(size));
    expect(events).toEqual([65_536, 131_072, size]);
  });

  it('reads a Blob once, through its own stream, not slice by slice', async () => {
    const body = new Blob([new Uint8Array(size)]);
    const slice = vi.spyOn(body, 'slice');
    const stream = vi.spyOn(body, 'stream');
    const options = withProgress([]);
    await upload(await sized(), body, options);
    expect(options.seen[0]!.bytes).toBe(size);
    expect(slice).not.toHaveBeenCalled();
    expect(stream).toHaveBeenCalledTimes(1);
  });
});

describe('download', () => {
  const body = () =>
    new Response('hello', { status: 200, headers: { 'content-type': 'text/plain', 'content-length': '5' } });

  it.each([
    ['blob', async (b: unknown) => (b as Blob).text()],
    ['arrayBuffer', async (b: unknown) => new TextDecoder().decode(b as ArrayBuffer)],
    ['text', async (b: unknown) => b],
    ['stream', async (b: unknown) => new Response(b as ReadableStream).text()],
  ] as const)('returns the body as %s', async (as, read) => {
    const result = await download(await get(), { fetch: scripted(body), now: NOW, as });
    expect(result.status).toBe(200);
    expect(await read(result.body)).toBe('hello');
  });

  it('defaults to a Blob with the response type', async () => {
    const { body: blob } = await download(await get(), { fetch: scripted(body), now: NOW });
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.type).toBe('text/plain');
  });

  it('reports progress from the response stream, 100% at its end', async () => {
    const events: Progress[] = [];
    const result = await download(await get(), {
      fetch: scripted(body),
      now: NOW,
      as: 'text',
      onProgress: (p) => events.push(p),
    });
    expect(result.body).toBe('hello');
    expect(events.at(-1)).toEqual({ transferredBytes: 5, totalBytes: 5, percent: 100 });
  });

  it('reports an unknown total as undefined until the end', async () => {
    const events: Progress[] = [];
    const chunked = () => new Response(new Blob(['abc']).stream(), { status: 200 });
    await download(await get(), { fetch: scripted(chunked), now: NOW, as: 'text', onProgress: (p) => events.push(p) });
    expect(events[0]).toEqual({ transferredBytes: 3, totalBytes: undefined, percent: undefined });
    expect(events.at(-1)).toEqual({ transferredBytes: 3, totalBytes: 3, percent: 100 });
  });

  it('retries a body cut off mid-way', async () => {
    const cut = () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array([1]));
            c.error(new TypeError('terminated'));
          },
        }),
        { status: 200 },
      );
    const fetch = scripted(cut, body);
    const { body: text } = await download(await get(), { fetch, now: NOW, as: 'text', retry: NO_DELAY });
    expect(text).toBe('hello');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('sends the signed range header', async () => {
    const fetch = scripted(body);
    const d = await presigner.presignGet({ key: 'a.txt', range: { start: 0, end: 4 }, signingDate: SIGNED_AT });
    await download(d, { fetch, now: NOW });
    expect(fetch.mock.calls[0]![1]?.headers).toEqual({ range: 'bytes=0-4' });
  });
});
