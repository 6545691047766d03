import { describe, expect, it } from 'vitest';
import { isPresignError, type PresignErrorCode } from '../../src/consumer/index.js';
import { type PresignedPost, submitPost } from '../../src/consumer/post/index.js';
import { createPresigner, type PresignPostOptions } from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const SIGNED_AT = new Date('2026-11-29T01:00:00Z');
const FILENAME = '$' + '{filename}';

const presigner = createPresigner({
  region: 'eu-west-1',
  bucket: 'examplebucket',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
});

function sign(options: Partial<PresignPostOptions> = {}): Promise<PresignedPost> {
  return presigner.presignPost({ keyPrefix: 'in/', signingDate: SIGNED_AT, expiresIn: 600, ...options });
}

interface Sent {
  url: string;
  method: string;
  contentType: string;
  form: FormData;
  order: string[];
}

/** A fetch that records what it was sent and answers `answer` (or the next of a list). */
function recorder(...answers: Array<() => Response>) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const contentType = headers.get('content-type') ?? '';
    const raw = await new Response(init?.body as BodyInit).arrayBuffer();
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    sent.push({ url: String(input), method: init?.method ?? 'GET', contentType, form, order: [...form.keys()] });
    const answer =
      answers[Math.min(sent.length - 1, answers.length - 1)] ?? (() => new Response(null, { status: 204 }));
    return answer();
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

const at = (iso: string) => () => new Date(iso);
const BEFORE_EXPIRY = at('2026-11-29T01:05:00Z');

async function refusal(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPresignError(error), String(error)).toBe(true);
  const { code, message } = error as { code: string; message: string };
  expect(message).not.toContain(SECRET);
  expect(message).not.toContain(TOKEN);
  return { code, message };
}

type Case = [name: string, code: PresignErrorCode, make: () => Promise<[PresignedPost, Blob, object?]>];

const file = (bytes: number, type = 'image/png', name = 'cat.png') => new File([new Uint8Array(bytes)], name, { type });

const refusals: Case[] = [
  ['a file over the maximum size', 'ERR_POLICY_SIZE', async () => [await sign({ maxSize: 10 }), file(11)]],
  ['a file under the minimum size', 'ERR_POLICY_SIZE', async () => [await sign({ minSize: 5, maxSize: 10 }), file(4)]],
  [
    'a file type outside the type prefix',
    'ERR_POLICY_CONTENT_TYPE',
    async () => [await sign({ contentTypePrefix: 'image/' }), file(3, 'text/plain')],
  ],
  [
    'a type list with one entry outside the prefix',
    'ERR_POLICY_CONTENT_TYPE',
    async () => [await sign({ contentTypePrefix: 'image/' }), file(3), { contentType: 'image/png,text/html' }],
  ],
  [
    'a content type other than the exact one signed',
    'ERR_POLICY_CONTENT_TYPE',
    async () => [await sign({ contentType: 'image/png' }), file(3), { contentType: 'image/jpeg' }],
  ],
  [
    'a key outside the prefix',
    'ERR_POLICY_KEY',
    async () => [await sign({ keyPrefix: 'in/' }), file(3), { key: 'out/cat.png' }],
  ],
  [
    'a key other than the exact one signed',
    'ERR_POLICY_KEY',
    async () => [await sign({ keyPrefix: undefined, key: 'a.png' }), file(3), { key: 'b.png' }],
  ],
  ['an expired policy', 'ERR_EXPIRED', async () => [await sign(), file(3), { serverTime: '2026-11-29T01:10:01Z' }]],
  [
    'a policy expiring within the clock tolerance',
    'ERR_EXPIRED',
    async () => [await sign(), file(3), { serverTime: '2026-11-29T01:09:56Z' }],
  ],
  [
    'a policy expiring within a custom clock tolerance',
    'ERR_EXPIRED',
    async () => [await sign(), file(3), { serverTime: '2026-11-29T01:09:00Z', clockTolerance: 60 }],
  ],
  [
    'a field the policy does not list',
    'ERR_POLICY_CONDITION',
    async () => [await sign(), file(3), { fields: { 'x-amz-meta-extra': '1' } }],
  ],
  [
    'a field the policy requires, missing',
    'ERR_POLICY_CONDITION',
    async () => [await sign({ conditions: [['starts-with', '$x-amz-meta-tag', 'a']] }), file(3)],
  ],
  [
    'a field breaking its condition',
    'ERR_POLICY_CONDITION',
    async () => [
      await sign({ conditions: [['starts-with', '$x-amz-meta-tag', 'a']] }),
      file(3),
      { fields: { 'x-amz-meta-tag': 'b' } },
    ],
  ],
  [
    'a tampered credential field (its value is not quoted)',
    'ERR_POLICY_CONDITION',
    async () => {
      const post = await sign();
      return [{ ...post, fields: { ...post.fields, 'x-amz-security-token': 'other' } }, file(3)];
    },
  ],
  [
    'a signer field through `fields`',
    'ERR_INVALID_OPTION',
    async () => [await sign(), file(3), { fields: { 'x-amz-credential': 'x' } }],
  ],
  [
    'a policy that is not base64 JSON',
    'ERR_INVALID_POLICY',
    async () => {
      const post = await sign();
      return [{ ...post, fields: { ...post.fields, policy: '%%%' } }, file(3)];
    },
  ],
  [
    'a policy with an unknown operator',
    'ERR_INVALID_POLICY',
    async () => {
      const post = await sign();
      const policy = btoa(JSON.stringify({ expiration: post.expiresAt, conditions: [['ends-with', '$key', 'x']] }));
      return [{ ...post, fields: { ...post.fields, policy } }, file(3)];
    },
  ],
  [
    'a descriptor without fields',
    'ERR_INVALID_DESCRIPTOR',
    async () => [{ method: 'POST', url: 'http://127.0.0.1/b/' } as PresignedPost, file(3)],
  ],
  [
    'a PUT descriptor',
    'ERR_INVALID_DESCRIPTOR',
    async () => [{ method: 'PUT', url: 'http://127.0.0.1/b/k', headers: {} } as unknown as PresignedPost, file(3)],
  ],
  ['a body that is not a file', 'ERR_INVALID_BODY', async () => [await sign(), 42 as unknown as Blob]],
];

describe('submitPost refuses before the network what S3 would refuse', () => {
  for (const [name, code, make] of refusals) {
    it(`${name} -> ${code}, no request`, async () => {
      const [post, body, extra] = await make();
      const { sent, fetch } = recorder();
      const { message } = await refusal(async () => {
        const error = await submitPost(post, body, { now: BEFORE_EXPIRY, fetch, ...extra }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code });
        throw error;
      });
      expect(message).not.toContain('AKIDEXAMPLE/');
      expect(sent).toHaveLength(0);
    });
  }
});

describe('submitPost sends the form S3 expects', () => {
  it('fields first in their order, the file last, the policy unchanged', async () => {
    const post = await sign({ contentTypePrefix: 'image/', maxSize: 100, metadata: { album: 'x' } });
    const { sent, fetch } = recorder(() => new Response(null, { status: 204, headers: { etag: '"abc"' } }));
    const result = await submitPost(post, file(42), { now: BEFORE_EXPIRY, fetch });
    expect(result).toEqual({ status: 204, etag: '"abc"', key: 'in/cat.png' });
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(post.url);
    expect(request!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request!.order).toEqual([...Object.keys(post.fields), 'Content-Type', 'file']);
    for (const [name, value] of Object.entries(post.fields)) expect(request!.form.get(name)).toBe(value);
    expect(request!.form.get('key')).toBe(`in/${FILENAME}`);
    expect(request!.form.get('Content-Type')).toBe('image/png');
    const sentFile = request!.form.get('file') as File;
    expect(sentFile.name).toBe('cat.png');
    expect(sentFile.size).toBe(42);
  });

  it('a chosen key within the prefix, extra fields the policy asks for, a Blob with a file name', async () => {
    const post = await sign({ conditions: [['starts-with', '$x-amz-meta-tag', 'a']] });
    const { sent, fetch } = recorder();
    const result = await submitPost(post, new Blob(['hello']), {
      now: BEFORE_EXPIRY,
      fetch,
      key: 'in/mine.txt',
      filename: 'hello.txt',
      fields: { 'x-amz-meta-tag': 'abc' },
    });
    expect(result.key).toBe('in/mine.txt');
    expect(sent[0]!.form.get('key')).toBe('in/mine.txt');
    expect(sent[0]!.form.get('x-amz-meta-tag')).toBe('abc');
    expect(await (sent[0]!.form.get('file') as File).text()).toBe('hello');
  });

  it('a list of types each within the prefix passes; x-ignore- fields need no condition', async () => {
    const post = await sign({ contentTypePrefix: 'image/' });
    const { sent, fetch } = recorder();
    await submitPost(post, file(3), {
      now: BEFORE_EXPIRY,
      fetch,
      contentType: 'image/png,image/webp',
      fields: { 'x-ignore-note': 'free text' },
    });
    expect(sent[0]!.form.get('Content-Type')).toBe('image/png,image/webp');
    expect(sent[0]!.form.get('x-ignore-note')).toBe('free text');
  });

  it('reads location, key and ETag from a 201 answer', async () => {
    const post = await sign({ successActionStatus: 201 });
    const xml =
      '<PostResponse><Location>http://s3/b/in/cat.png</Location><Bucket>b</Bucket><Key>in/cat.png</Key><ETag>&quot;e1&quot;</ETag></PostResponse>';
    const { fetch } = recorder(() => new Response(xml, { status: 201 }));
    expect(await submitPost(post, file(1), { now: BEFORE_EXPIRY, fetch })).toEqual({
      status: 201,
      etag: '"e1"',
      location: 'http://s3/b/in/cat.png',
      key: 'in/cat.png',
    });
  });

  it('reports a success_action_redirect as a 303, not followed', async () => {
    const post = await sign({ successActionRedirect: 'https://app.example/done' });
    const { sent, fetch } = recorder(
      () => new Response(null, { status: 303, headers: { location: 'https://app.example/done?key=in%2Fcat.png' } }),
    );
    const result = await submitPost(post, file(1), { now: BEFORE_EXPIRY, fetch });
    expect(result).toMatchObject({ status: 303, location: 'https://app.example/done?key=in%2Fcat.png' });
    expect(sent).toHaveLength(1);
  });

  it('retries a 503, then succeeds, with monotonic progress ending at 100%', async () => {
    const post = await sign();
    const { sent, fetch } = recorder(
      () => new Response('<Error><Code>SlowDown</Code></Error>', { status: 503 }),
      () => new Response(null, { status: 204 }),
    );
    const percents: number[] = [];
    await submitPost(post, file(200_000), {
      now: BEFORE_EXPIRY,
      fetch,
      retry: { limit: 2, backoffLimit: 0 },
      onProgress: ({ percent }) => percents.push(percent ?? -1),
    });
    expect(sent).toHaveLength(2);
    expect(percents.at(-1)).toBe(100);
    expect(percents.filter((p) => p === 100)).toHaveLength(1);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThan(percents[i - 1]!);
  });

  it("turns S3's refusal into ERR_S3 with its fields, without the signature or token", async () => {
    const post = await sign();
    const xml =
      '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy Condition failed</Message><RequestId>R1</RequestId></Error>';
    const { sent, fetch } = recorder(() => new Response(xml, { status: 403 }));
    const error = await submitPost(post, file(1), { now: BEFORE_EXPIRY, fetch, retry: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_S3', status: 403, s3Code: 'AccessDenied', requestId: 'R1' });
    expect(JSON.stringify(error) + String(error)).not.toContain(post.fields['x-amz-signature']!);
    expect(String(error)).not.toContain(TOKEN);
    expect(sent).toHaveLength(1);
  });

  it('an expired policy is replaced through refresh', async () => {
    const stale = await sign({ signingDate: new Date('2026-11-29T00:00:00Z') });
    const fresh = await sign();
    const { sent, fetch } = recorder();
    let refreshed = 0;
    await submitPost(stale, file(1), {
      serverTime: '2026-11-29T01:05:00Z',
      fetch,
      refresh: async () => {
        refreshed++;
        return fresh;
      },
    });
    expect(refreshed).toBe(1);
    expect(sent[0]!.form.get('policy')).toBe(fresh.fields.policy);
  });

  it('a policy just outside the clock tolerance is sent', async () => {
    const { sent, fetch } = recorder();
    await submitPost(await sign(), file(1), { serverTime: '2026-11-29T01:09:54Z', fetch });
    expect(sent).toHaveLength(1);
  });

  it('an abort stops it with ERR_ABORTED, not retried', async () => {
    const controller = new AbortController();
    controller.abort();
    const { sent, fetch } = recorder();
    await expect(
      submitPost(await sign(), file(1), { now: BEFORE_EXPIRY, fetch, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(sent).toHaveLength(0);
  });
});

describe('submitPost is browser code', () => {
  it('bundles for the browser with no node:* module and no producer or signer code', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [new URL('../../src/consumer/post/index.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    // The bundle holds submitPost itself (not an empty re-export), whichever files it lives in.
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toMatch(/\bfunction submitPost\(/);
    expect(code).toMatch(/export\s*\{[^}]*\bsubmitPost\b/);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.filter((path) => /node:|src\/producer\/|src\/sigv4\//.test(path))).toEqual([]);
  });
});
