/**
 * What the consumer receives comes over the wire: hostile descriptors, options and answers are refused
 * with a code, before anything is sent. The known holes of issue 10 one by one, then a seeded property
 * test of 10,000 valid and invalid inputs per public consumer function, with a fetch that records calls.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { download, isPresignError, type PresignedRequest, parseDescriptor, upload } from '../../src/consumer/index.js';
import { type MultipartUpload, uploadMultipart } from '../../src/consumer/multipart/index.js';
import { type PresignedPost, submitPost } from '../../src/consumer/post/index.js';
import {
  Q_ALGORITHM,
  Q_CREDENTIAL,
  Q_DATE,
  Q_EXPIRES,
  Q_SIGNATURE,
  Q_SIGNED_HEADERS,
} from '../../src/contract/query.js';
import { createPresigner } from '../../src/index.js';

const presigner = createPresigner({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:9000',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  bucket: 'bucket',
});
const MiB = 1024 ** 2;

/** A fetch that records every call: 200 with an ETag, or for a completion S3's result. */
function recordingFetch() {
  return vi.fn(async (_url: string | URL | Request, init?: RequestInit) =>
    init?.method === 'POST' && String(_url).includes('uploadId')
      ? new Response('<CompleteMultipartUploadResult><ETag>"w"</ETag></CompleteMultipartUploadResult>')
      : new Response(null, { status: init?.method === 'POST' ? 204 : 200, headers: { etag: '"e"' } }),
  );
}

/** The code a call rejects with, 'resolved', or 'not a PresignError: ...'. */
async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'resolved';
  } catch (error) {
    return isPresignError(error) ? error.code : `not a PresignError: ${String(error)}`;
  }
}

const put = () =>
  presigner.presignPut({ key: 'a.png', contentType: 'image/png', metadata: { owner: 'ann' }, contentLength: 1 });

/** `d` with its URL's query parameter `name` replaced by `value` (or removed, for `null`), or appended twice. */
function withParameter(d: PresignedRequest, name: string, value: string | null, twice = false): PresignedRequest {
  // A URL spoilt already (not a string, or no longer parsable) stays as it is: the input is invalid.
  if (!URL.canParse(d.url)) return d;
  const url = new URL(d.url);
  if (twice) url.searchParams.append(name, url.searchParams.get(name)!);
  else if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return { ...d, url: url.href };
}

describe('the holes of issue 10, each refused by parseDescriptor, upload and download, sending nothing', () => {
  const cases: Array<[string, (d: PresignedRequest) => unknown, string]> = [
    ['SignedHeaders listing constructor', (d) => withSigned(d, 'constructor'), 'ERR_MISSING_SIGNED_HEADER'],
    ['SignedHeaders listing __proto__', (d) => withSigned(d, '__proto__'), 'ERR_MISSING_SIGNED_HEADER'],
    [
      'a CRLF in a header value',
      (d) => withHeader(d, 'x-amz-meta-owner', 'ann\r\nx-evil: 1'),
      'ERR_INVALID_DESCRIPTOR',
    ],
    ['a NUL in a header value', (d) => withHeader(d, 'x-amz-meta-owner', 'a\u0000'), 'ERR_INVALID_DESCRIPTOR'],
    ['a non-ASCII header value', (d) => withHeader(d, 'x-amz-meta-owner', 'änn'), 'ERR_INVALID_DESCRIPTOR'],
    ['X-Amz-Expires 0x10', (d) => withParameter(d, 'X-Amz-Expires', '0x10'), 'ERR_INVALID_DESCRIPTOR'],
    ['X-Amz-Expires 1e2', (d) => withParameter(d, 'X-Amz-Expires', '1e2'), 'ERR_INVALID_DESCRIPTOR'],
    ['X-Amz-Expires 16.0', (d) => withParameter(d, 'X-Amz-Expires', '16.0'), 'ERR_INVALID_DESCRIPTOR'],
    ['X-Amz-Expires 604801', (d) => withParameter(d, 'X-Amz-Expires', '604801'), 'ERR_INVALID_DESCRIPTOR'],
    ['X-Amz-Expires given twice', (d) => withParameter(d, 'X-Amz-Expires', null, true), 'ERR_INVALID_DESCRIPTOR'],
    ['another algorithm', (d) => withParameter(d, 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1'), 'ERR_INVALID_DESCRIPTOR'],
    ['no algorithm', (d) => withParameter(d, 'X-Amz-Algorithm', null), 'ERR_INVALID_DESCRIPTOR'],
    ['a malformed credential', (d) => withParameter(d, 'X-Amz-Credential', 'AKID/x'), 'ERR_INVALID_DESCRIPTOR'],
    [
      'a credential of another day',
      (d) => withParameter(d, 'X-Amz-Credential', 'AKIDEXAMPLE/20200101/eu-west-1/s3/aws4_request'),
      'ERR_INVALID_DESCRIPTOR',
    ],
    ['a non-hex signature', (d) => withParameter(d, 'X-Amz-Signature', 'z'.repeat(64)), 'ERR_INVALID_DESCRIPTOR'],
    ['a short signature', (d) => withParameter(d, 'X-Amz-Signature', 'ab'), 'ERR_INVALID_DESCRIPTOR'],
    ['30 February', (d) => on30February(d), 'ERR_INVALID_DESCRIPTOR'],
    [
      'userinfo in the URL',
      (d) => ({ ...d, url: d.url.replace('http://', 'http://user:pw@') }),
      'ERR_INVALID_DESCRIPTOR',
    ],
    ['a data: URL', (d) => ({ ...d, url: `data:text/plain,${new URL(d.url).search}` }), 'ERR_INVALID_DESCRIPTOR'],
    ['url as an array', (d) => ({ ...d, url: [d.url] }), 'ERR_INVALID_DESCRIPTOR'],
    [
      'a non-ISO expiresAt',
      (d) => ({ ...d, expiresAt: new Date(d.expiresAt).toUTCString() }),
      'ERR_INVALID_DESCRIPTOR',
    ],
    [
      'an expiresAt that disagrees with the URL',
      (d) => ({ ...d, expiresAt: new Date(Date.parse(d.expiresAt) + 60_000).toISOString() }),
      'ERR_INVALID_DESCRIPTOR',
    ],
    ['a signed connection header', (d) => withSigned(d, 'connection', 'close'), 'ERR_UNSENDABLE_HEADER'],
    ['a signed sec-fetch-mode header', (d) => withSigned(d, 'sec-fetch-mode', 'cors'), 'ERR_UNSENDABLE_HEADER'],
  ];

  for (const [what, mutate, code] of cases) {
    it(`${what}: ${code}`, async () => {
      const fetch = recordingFetch();
      const d = mutate(await put()) as PresignedRequest;
      const get = mutate(await presigner.presignGet({ key: 'a.png' })) as PresignedRequest;
      // A signed header without a value: invalid when received, a missing header when sent.
      expect(await outcome(() => parseDescriptor(d))).toBe(
        code === 'ERR_MISSING_SIGNED_HEADER' ? 'ERR_INVALID_DESCRIPTOR' : code,
      );
      expect(await outcome(() => upload(d, 'x', { fetch }))).toBe(code);
      expect(await outcome(() => download(get, { fetch }))).toBe(code);
      expect(fetch).not.toHaveBeenCalled();
    });
  }

  it('refuses extra headers that fetch cannot send, naming them: ERR_UNSENDABLE_HEADER', async () => {
    const fetch = recordingFetch();
    for (const name of [
      'Connection',
      'transfer-encoding',
      'Expect',
      'origin',
      'Cookie',
      'sec-ch-ua',
      'proxy-authorization',
    ]) {
      const error = await upload(await put(), 'x', { fetch, headers: { [name]: 'v' } }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'ERR_UNSENDABLE_HEADER',
        message: expect.stringContaining(name.toLowerCase()),
      });
    }
    for (const headers of [{ 'x-a': 'a\r\nb' }, { 'bad name': 'v' }, { 'x-a': 1 }, 'ab']) {
      expect(await outcome(async () => upload(await put(), 'x', { fetch, headers: headers as never }))).not.toBe(
        'resolved',
      );
    }
    expect(fetch).not.toHaveBeenCalled();
    // host (from the URL) and content-length (the runtime's) stay allowed.
    await upload(await put(), 'x', { fetch, headers: { host: '127.0.0.1:9000', 'content-length': '1' } });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('validates 40,000 headers, and refuses a 40,001st that is not signed (its time: npm run bench:descriptor)', async () => {
    const d = await put();
    const names = Array.from({ length: 40_000 }, (_, i) => `x-amz-meta-h${String(i).padStart(5, '0')}`);
    const signed = ['host', ...Object.keys(d.headers), ...names].sort();
    const headers: Record<string, string> = { ...d.headers };
    for (const name of names) headers[name] = 'v';
    const big = { ...withParameter(d, 'X-Amz-SignedHeaders', signed.join(';')), headers };
    expect(Object.keys(parseDescriptor(big).headers)).toHaveLength(signed.length - 1);
    const more = { ...big, headers: { ...headers, 'x-amz-meta-z': 'v' } };
    expect(await outcome(() => parseDescriptor(more))).toBe('ERR_INVALID_DESCRIPTOR');
  });
});

describe('redirects are not followed', () => {
  it('a 307 answer is ERR_REDIRECT, with the body sent once to the signed URL only, not retried', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const fetch = vi.fn(
        async (_url: string | URL | Request, _init?: RequestInit) =>
          new Response(null, { status, headers: { location: 'http://evil.example/' } }),
      );
      expect(await outcome(async () => upload(await put(), 'x', { fetch }))).toBe('ERR_REDIRECT');
      expect(fetch.mock.calls.map(([url, init]) => [new URL(String(url)).host, init?.redirect])).toEqual([
        ['127.0.0.1:9000', 'manual'],
      ]);
    }
  });

  it('submitPost to a data: URL is refused, not reported as success', async () => {
    const fetch = recordingFetch();
    const post = await presigner.presignPost({ key: 'k.txt' });
    expect(await outcome(() => submitPost({ ...post, url: 'data:text/plain,ok' }, 'x', { fetch }))).toBe(
      'ERR_INVALID_DESCRIPTOR',
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('uploadMultipart takes plans within S3 limits only', () => {
  it('refuses partSize 1, parts under 5 MiB but the last, over 5 GiB, and over 10,000 parts: ERR_INVALID_PART_SIZE', async () => {
    const fetch = recordingFetch();
    const complete = await presigner.presign({ method: 'POST', key: 'k', query: { uploadId: 'U' } });
    for (const [size, partSize] of [
      [10, 1],
      [10 * MiB, 4 * MiB],
      [6 * 1024 ** 3, 6 * 1024 ** 3],
      [10_001 * 5 * MiB, 5 * MiB],
    ] as const) {
      const plan = { uploadId: 'U', size, partSize, complete, signParts: undefined } as unknown as MultipartUpload;
      expect(await outcome(() => uploadMultipart(plan, new Uint8Array(0), { fetch }))).toBe('ERR_INVALID_PART_SIZE');
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});

function withHeader(d: PresignedRequest, name: string, value: unknown): PresignedRequest {
  return { ...d, headers: { ...d.headers, [name]: value as string } };
}

/** `d` signing one more header `name` (sorted in), with `value` when given. */
function withSigned(d: PresignedRequest, name: string, value?: string): PresignedRequest {
  const list = URL.canParse(d.url) ? new URL(d.url).searchParams.get('X-Amz-SignedHeaders')?.split(';') : undefined;
  if (!list) return d;
  const signed = withParameter(d, 'X-Amz-SignedHeaders', [...list, name].sort().join(';'));
  return value === undefined ? signed : withHeader(signed, name, value);
}

function on30February(d: PresignedRequest): PresignedRequest {
  const moved = withParameter(d, 'X-Amz-Date', '20260230T000000Z');
  return withParameter(moved, 'X-Amz-Credential', 'AKIDEXAMPLE/20260230/eu-west-1/s3/aws4_request');
}

// ---------------------------------------------------------------------------------------------------

/** One way to spoil a descriptor, with what the spoiling takes. */
const hostileValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '\r\n', '\u0000', 'constructor', '__proto__', '0x10', '1e2', '16.0', '-1', 'NaN'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, undefined, true, [], {}, ['x']),
);
/** The SigV4 parameters a presigned URL carries once each (the consumer's own list of names). */
const PARAMETERS = [Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_EXPIRES, Q_SIGNED_HEADERS, Q_SIGNATURE];
const spoil = fc.oneof(
  fc.record({ kind: fc.constant('parameter' as const), name: fc.constantFrom(...PARAMETERS), value: fc.string() }),
  fc.record({ kind: fc.constant('twice' as const), name: fc.constantFrom(...PARAMETERS) }),
  fc.record({ kind: fc.constant('drop' as const), name: fc.constantFrom(...PARAMETERS) }),
  fc.record({
    kind: fc.constant('field' as const),
    name: fc.constantFrom('method', 'url', 'headers', 'expiresAt'),
    value: hostileValue,
  }),
  fc.record({
    kind: fc.constant('header' as const),
    name: fc.constantFrom(
      'content-type',
      'x-amz-meta-owner',
      'constructor',
      '__proto__',
      'x-amz-meta-new',
      'connection',
    ),
    value: hostileValue,
  }),
  fc.record({
    kind: fc.constant('signed' as const),
    name: fc.constantFrom('constructor', '__proto__', 'connection', 'x-amz-meta-x', 'te', 'sec-x', 'Host', 'a b'),
  }),
  fc.record({
    kind: fc.constant('url' as const),
    value: fc.constantFrom('data:', 'javascript:', 'file:', 'ftp:', 'user:pw@', '#frag'),
  }),
  fc.record({
    kind: fc.constant('option' as const),
    name: fc.constantFrom('clockTolerance', 'now', 'serverTime', 'headers'),
    value: hostileValue,
  }),
);
type Spoil = typeof spoil extends fc.Arbitrary<infer T> ? T : never;

/** Applies a spoiling; returns whether it is certain to make the input invalid (some are harmless). */
function apply(
  d: PresignedRequest,
  options: Record<string, unknown>,
  s: Spoil,
): { d: PresignedRequest; invalid: boolean } {
  switch (s.kind) {
    case 'parameter': {
      const before = URL.canParse(d.url) ? new URL(d.url).searchParams.get(s.name) : undefined;
      return { d: withParameter(d, s.name, s.value), invalid: s.value !== before };
    }
    case 'twice':
      return { d: withParameter(d, s.name, null, true), invalid: true };
    case 'drop':
      return { d: withParameter(d, s.name, null), invalid: true };
    case 'field':
      return { d: { ...d, [s.name]: s.value } as PresignedRequest, invalid: (d as never)[s.name] !== s.value };
    case 'header':
      if (typeof d.headers !== 'object' || !d.headers) return { d, invalid: true };
      return {
        d: withHeader(d, s.name, s.value),
        invalid: !(Object.hasOwn(d.headers, s.name) && d.headers[s.name] === s.value),
      };
    case 'signed':
      return { d: withSigned(d, s.name), invalid: true };
    case 'url': {
      if (typeof d.url !== 'string') return { d, invalid: true };
      const url = s.value.endsWith(':')
        ? d.url.replace('http:', s.value)
        : s.value.startsWith('#')
          ? `${d.url}#x`
          : d.url.replace('//', `//${s.value}`);
      return { d: { ...d, url }, invalid: true };
    }
    case 'option': {
      options[s.name] = s.value;
      const v = s.value;
      const harmless =
        v === undefined ||
        (s.name === 'clockTolerance' && typeof v === 'number' && v >= 0 && v < 5) ||
        (s.name === 'serverTime' && typeof v === 'number' && Math.abs(v - Date.now()) < 60_000) ||
        (s.name === 'headers' && typeof v === 'object' && v !== null && Object.keys(v).length === 0);
      return { d, invalid: !harmless };
    }
  }
}

const RUNS = 10_000;

describe('a seeded property test of 10,000 inputs per public consumer function: bad ones rejected with a code, sending nothing', () => {
  const input = fc.record({ spoilt: fc.boolean(), spoils: fc.array(spoil, { minLength: 1, maxLength: 3 }) });

  async function property(
    run: (d: PresignedRequest, options: Record<string, unknown>) => Promise<unknown>,
    base: PresignedRequest,
    seed: number,
    sends = true,
  ) {
    let valid = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(input, async ({ spoilt, spoils }) => {
        const fetch = recordingFetch();
        const options: Record<string, unknown> = { fetch, retry: 0 };
        // A copy: each run is a descriptor received anew (the consumer learns a clock per object).
        let d = { ...base };
        let bad = false;
        if (spoilt) {
          for (const s of spoils) {
            const applied = apply(d, options, s);
            d = applied.d;
            bad ||= applied.invalid;
          }
        }
        const result = await outcome(() => run(d, options));
        expect(result).not.toMatch(/^not a PresignError/);
        if (result !== 'resolved') expect(fetch).not.toHaveBeenCalled();
        if (bad) {
          invalid++;
          // Some spoilings may keep an input valid by chance (a value rewritten to itself); those are sent.
          if (result !== 'resolved') expect(result).toMatch(/^ERR_/);
        } else {
          valid++;
          expect(result).toBe('resolved');
          if (sends) expect(fetch).toHaveBeenCalled();
        }
      }),
      { numRuns: RUNS, seed },
    );
    expect(valid).toBeGreaterThan(RUNS / 4);
    expect(invalid).toBeGreaterThan(RUNS / 4);
  }

  it('parseDescriptor', async () => {
    await property(async (d, options) => parseDescriptor(d, options), await put(), 101, false);
  });

  it('upload', async () => {
    await property(async (d, options) => upload(d, 'x', options), await put(), 102);
  });

  it('download', async () => {
    await property(async (d, options) => download(d, options), await presigner.presignGet({ key: 'a.png' }), 103);
  });

  it('uploadMultipart (the spoilt request is its only part)', async () => {
    const complete = await presigner.presign({ method: 'POST', key: 'k', query: { uploadId: 'U' } });
    const [part] = await presigner.presignParts({ key: 'k', uploadId: 'U', partNumbers: [1] });
    await property(
      async (d, options) =>
        uploadMultipart(
          {
            uploadId: 'U',
            size: 1,
            partSize: 5 * MiB,
            parts: [{ partNumber: 1, request: d }],
            complete: { ...complete },
          },
          new Uint8Array(1),
          options,
        ),
      part!.request,
      104,
    );
  });
});

describe('submitPost with a seeded property test of 10,000 presigned POSTs', () => {
  it('refuses every spoilt one with a code, sending nothing, and sends every valid one', async () => {
    const base = await presigner.presignPost({ key: 'k.txt' });
    const FIELDS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature', 'policy', 'key'];
    const postSpoil = fc.oneof(
      fc.record({ kind: fc.constant('field' as const), name: fc.constantFrom(...FIELDS), value: hostileValue }),
      fc.record({ kind: fc.constant('twice' as const), name: fc.constantFrom(...FIELDS) }),
      fc.record({
        kind: fc.constant('top' as const),
        name: fc.constantFrom('method', 'url', 'fields', 'expiresAt'),
        value: hostileValue,
      }),
      fc.record({
        kind: fc.constant('url' as const),
        value: fc.constantFrom('data:text/plain,ok', 'ftp://h/b', 'http://u:p@h/b', 'javascript:1'),
      }),
      fc.record({
        kind: fc.constant('option' as const),
        name: fc.constantFrom('clockTolerance', 'now', 'serverTime'),
        value: hostileValue,
      }),
    );
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), postSpoil, async (spoilt, s) => {
        const fetch = recordingFetch();
        const options: Record<string, unknown> = { fetch, retry: 0 };
        let post: PresignedPost = { ...base, fields: { ...base.fields } };
        let bad = spoilt;
        if (spoilt) {
          if (s.kind === 'field') {
            bad = post.fields[s.name] !== s.value;
            post.fields[s.name] = s.value as string;
          } else if (s.kind === 'twice') post.fields[s.name.toUpperCase()] = post.fields[s.name]!;
          else if (s.kind === 'top') {
            bad = (post as never)[s.name] !== s.value;
            post = { ...post, [s.name]: s.value };
          } else if (s.kind === 'url') post = { ...post, url: s.value };
          else {
            options[s.name] = s.value;
            bad =
              s.value !== undefined &&
              !(s.name === 'clockTolerance' && typeof s.value === 'number' && s.value >= 0 && s.value < 5);
          }
        }
        const result = await outcome(() => submitPost(post, 'x', options));
        expect(result).not.toMatch(/^not a PresignError/);
        if (result !== 'resolved') expect(fetch).not.toHaveBeenCalled();
        if (!bad) {
          valid++;
          expect(result).toBe('resolved');
        } else if (s.kind !== 'field' || s.name !== 'key') {
          // (A key the policy allows is valid: `starts-with $key` may take it.)
          if (s.kind === 'twice' || s.kind === 'url') expect(result).toMatch(/^ERR_/);
        }
      }),
      { numRuns: RUNS, seed: 105 },
    );
    expect(valid).toBeGreaterThan(RUNS / 4);
  });
});
