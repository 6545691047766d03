import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResumeStore, uploadFile } from '../../src/consumer/upload/index.js';
import type { Presigner } from '../../src/index.js';
import { CANARY } from '../helpers/canary.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { localClientPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';
import { serveNode, type TestApp, testApp, UPLOAD_SECRET } from '../helpers/upload-app.js';

const MiB = 1024 ** 2;
/** Random bytes as a plain Uint8Array (a Blob part and a fetch body). */
const randomBytes = (size: number): Uint8Array<ArrayBuffer> => new Uint8Array(nodeRandomBytes(size));
let s3: RunningS3;
let front: MultipartFront;
let presigner: Presigner;

beforeAll(async () => {
  s3 = await startS3();
  front = await startMultipartFront(s3.endpoint);
  // Through the front: it answers ListParts and AbortMultipartUpload as S3 does (s3rver: 405).
  presigner = localClientPresigner(front.endpoint);
});
afterAll(async () => {
  await front?.close();
  await s3?.close();
});

/** Every response body a test saw, scanned for secrets at the end. */
const seen: string[] = [];
afterAll(() => {
  for (const text of seen) {
    expect(text).not.toContain(UPLOAD_SECRET);
    expect(text).not.toContain(CANARY.secretAccessKey);
    expect(text).not.toContain(encodeURIComponent(CANARY.secretAccessKey));
    expect(text).not.toContain(CANARY.sessionToken);
  }
});

/** A fetch that hands `http://app/api/upload` to `app.uploads.fetch` (a Web handler) and the rest to the network. */
function appFetch(app: TestApp): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith('http://app/')) return fetch(input, init);
    const response = await app.uploads.fetch(new Request(url, init));
    const text = await response.clone().text();
    seen.push(text);
    return response;
  };
}

/** A handler answer, as the tests read it (each test reads the fields its action returns). */
interface Answer {
  v: number;
  serverTime: string;
  token: string;
  key: string;
  request: { url: string; headers: Record<string, string> };
  result?: unknown;
  error: { code: string; message: string };
}

/** One protocol call straight to the Web handler. */
async function call(
  app: TestApp,
  body: unknown,
  user: string | null = 'user-1',
): Promise<{ status: number; json: Answer }> {
  const response = await app.uploads.fetch(
    new Request('http://app/api/upload', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(user ? { 'x-user': user } : {}) },
      body: JSON.stringify(body),
    }),
  );
  const text = await response.text();
  seen.push(text);
  return { status: response.status, json: JSON.parse(text) };
}

async function readBack(key: string): Promise<Buffer> {
  const response = await fetch((await presigner.presignGet({ key })).url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function exists(key: string): Promise<boolean> {
  const response = await fetch((await presigner.presignHead({ key })).url, { method: 'HEAD' });
  return response.status === 200;
}

function memoryStore(): ResumeStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: (key) => entries.get(key),
    set: (key, value) => void entries.set(key, value),
    delete: (key) => void entries.delete(key),
  };
}

function png(bytes: number): File {
  return new File([randomBytes(bytes)], 'me.png', { type: 'image/png', lastModified: 1 });
}

describe('createUploadHandler with uploadFile against s3rver', () => {
  it('uploads a small image with one PUT, checks it, and returns what onUploadComplete returned', async () => {
    const app = testApp(presigner);
    const file = png(2048);
    const progress: number[] = [];
    const done = await uploadFile<{ url: string }>(file, {
      endpoint: 'http://app/api/upload',
      route: 'avatar',
      headers: { 'x-user': 'user-1' },
      fetch: appFetch(app),
      onProgress: ({ transferredBytes }) => progress.push(transferredBytes),
    });
    expect(done.result).toEqual({ url: `/a/${done.key}` });
    expect(done).toMatchObject({ size: 2048, contentType: 'image/png', resumed: false });
    expect(done.key).toMatch(/^avatars\/user-1\//);
    expect(Buffer.compare(await readBack(done.key), Buffer.from(await file.arrayBuffer()))).toBe(0);
    expect(app.completions).toHaveLength(1);
    expect(app.completions[0]).toMatchObject({ key: done.key, size: 2048, contentType: 'image/png', route: 'avatar' });
    expect(app.completions[0]?.auth.id).toBe('user-1');
    expect(progress.at(-1)).toBe(2048);
  });

  it('never sends the endpoint headers to S3', async () => {
    const app = testApp(presigner);
    const before = s3.requests.length;
    await uploadFile(png(100), {
      endpoint: 'http://app/api/upload',
      route: 'avatar',
      headers: { 'x-user': 'user-1', authorization: 'Bearer app-token-CANARY' },
      fetch: appFetch(app),
    });
    const sent = s3.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-user']).toBeUndefined();
    }
  });

  it('refuses a file over maxSize (413), a wrong type (415), an unknown route (404) and no caller (401), with nothing sent to S3 and nothing signed', async () => {
    const app = testApp(presigner);
    const before = s3.requests.length;
    const options = { endpoint: 'http://app/api/upload', headers: { 'x-user': 'user-1' }, fetch: appFetch(app) };
    const tooLarge = await rejection(uploadFile(png(1024 * 1024 + 1), { ...options, route: 'avatar' }));
    expect(tooLarge).toMatchObject({ code: 'ERR_TOO_LARGE', status: 413 });
    const wrongType = await rejection(
      uploadFile(new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }), { ...options, route: 'avatar' }),
    );
    expect(wrongType).toMatchObject({ code: 'ERR_TYPE_NOT_ALLOWED', status: 415 });
    const unknown = await rejection(uploadFile(png(10), { ...options, route: 'nope' }));
    expect(unknown).toMatchObject({ code: 'ERR_UNKNOWN_ROUTE', status: 404 });
    const anonymous = await rejection(uploadFile(png(10), { ...options, headers: {}, route: 'avatar' }));
    expect(anonymous).toMatchObject({ code: 'ERR_UNAUTHORIZED', status: 401 });
    expect(s3.requests.length).toBe(before);
    expect(app.signed()).toBe(0);
  });

  it('answers malformed calls with 400 JSON, and other methods with 405', async () => {
    const app = testApp(presigner);
    expect((await call(app, { v: 2, action: 'create' })).status).toBe(400);
    expect((await call(app, { v: 1, action: 'explode' })).json.error.code).toBe('ERR_BAD_REQUEST');
    expect((await call(app, [1, 2])).status).toBe(400);
    const get = await app.uploads.fetch(new Request('http://app/api/upload'));
    expect(get.status).toBe(405);
    const text = await app.uploads.fetch(
      new Request('http://app/api/upload', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'text/plain', 'x-user': 'u' },
      }),
    );
    expect(text.status).toBe(400);
    expect(app.signed()).toBe(0);
  });

  it('refuses a token altered in any byte position, with nothing signed', async () => {
    const app = testApp(presigner);
    const created = await call(app, {
      v: 1,
      action: 'create',
      route: 'video',
      file: { name: 'v.bin', size: 6 * MiB, type: 'video/mp4' },
    });
    expect(created.status).toBe(200);
    const token: string = created.json.token;
    const signedBefore = app.signed();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    let refused = 0;
    for (let i = 0; i < token.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      const altered = token.slice(0, i) + replacement + token.slice(i + 1);
      const answer = await call(app, { v: 1, action: 'sign-parts', token: altered, partNumbers: [1] });
      expect(answer.status).toBe(403);
      expect(answer.json.error.code).toBe('ERR_FORBIDDEN');
      refused++;
    }
    for (const altered of [token.slice(0, -1), `${token}A`, token.replace(/\./g, ''), '', 'v1..', `${token}.x`]) {
      const answer = await call(app, { v: 1, action: 'complete', token: altered, parts: [] });
      expect([400, 403]).toContain(answer.status);
    }
    expect(refused).toBe(token.length);
    expect(app.signed()).toBe(signedBefore);
    // The token itself still works.
    expect((await call(app, { v: 1, action: 'sign-parts', token, partNumbers: [2] })).status).toBe(200);
    await call(app, { v: 1, action: 'abort', token });
  });

  it('refuses an expired token and one presented by another user, with nothing signed (time frozen)', async () => {
    let now = new Date('2026-12-04T12:00:00Z');
    const app = testApp(localClientPresigner(front.endpoint, { now: () => now }), {
      now: () => now,
      tokenExpiresIn: 600,
    });
    const created = await call(app, {
      v: 1,
      action: 'create',
      route: 'video',
      file: { name: 'v.bin', size: 6 * MiB, type: 'video/mp4' },
    });
    const { token } = created.json;
    const signedBefore = app.signed();
    const other = await call(app, { v: 1, action: 'sign-parts', token, partNumbers: [1] }, 'user-2');
    expect(other).toMatchObject({ status: 403, json: { error: { code: 'ERR_FORBIDDEN' } } });
    expect((await call(app, { v: 1, action: 'list', token }, 'user-2')).status).toBe(403);
    expect((await call(app, { v: 1, action: 'abort', token }, 'user-2')).status).toBe(403);
    now = new Date(now.getTime() + 599_000);
    expect((await call(app, { v: 1, action: 'sign-parts', token, partNumbers: [1] })).status).toBe(200);
    const signedWhileValid = app.signed();
    now = new Date(now.getTime() + 1_000);
    const expired = await call(app, { v: 1, action: 'sign-parts', token, partNumbers: [1] });
    expect(expired).toMatchObject({
      status: 403,
      json: { error: { code: 'ERR_FORBIDDEN', message: 'the upload token has expired' } },
    });
    expect(app.signed()).toBe(signedWhileValid);
    expect(signedWhileValid).toBe(signedBefore + 1);
    expect(expired.json.serverTime).toBe(now.toISOString());
  });

  it('lets two handlers sharing a secret continue and complete each other’s uploads', async () => {
    const one = testApp(presigner);
    const two = testApp(localClientPresigner(front.endpoint));
    const file = png(4096);
    const created = await call(one, {
      v: 1,
      action: 'create',
      route: 'avatar',
      file: { name: 'a.png', size: file.size, type: file.type },
    });
    const put = created.json.request;
    expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body: file })).status).toBe(200);
    const completed = await call(two, { v: 1, action: 'complete', token: created.json.token });
    expect(completed.status).toBe(200);
    expect(completed.json.result).toEqual({ url: `/a/${created.json.key}` });
    expect(two.completions).toHaveLength(1);
    expect(one.completions).toHaveLength(0);
  });

  it('a browser that lies: more bytes than declared are refused by S3; another object at completion is 422 and deleted', async () => {
    const app = testApp(presigner);
    const created = await call(app, {
      v: 1,
      action: 'create',
      route: 'avatar',
      file: { name: 'a.png', size: 10, type: 'image/png' },
    });
    const put = created.json.request;
    expect(put.headers['content-length']).toBe('10');
    expect(put.headers['content-type']).toBe('image/png');
    const larger = await fetch(put.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: randomBytes(500),
    });
    expect(larger.status).toBeGreaterThanOrEqual(400);
    await larger.body?.cancel();
    expect(await exists(created.json.key)).toBe(false);
    // Completion without an object: 422.
    expect((await call(app, { v: 1, action: 'complete', token: created.json.token })).json.error.code).toBe(
      'ERR_VERIFICATION_FAILED',
    );
    // Someone else's object under the key (another writer), not what was declared: 422, and deleted.
    const other = await presigner.presignPut({ key: created.json.key, contentType: 'image/png' });
    expect((await fetch(other.url, { method: 'PUT', headers: other.headers, body: randomBytes(11) })).status).toBe(200);
    const refused = await call(app, { v: 1, action: 'complete', token: created.json.token });
    expect(refused).toMatchObject({ status: 422, json: { error: { code: 'ERR_VERIFICATION_FAILED' } } });
    expect(await exists(created.json.key)).toBe(false);
    expect(app.completions).toHaveLength(0);
  });

  it('uploads a 24 MiB file in parts above the threshold, signing parts as they are needed', async () => {
    const app = testApp(presigner);
    const file = new File([randomBytes(24 * MiB)], 'film.mp4', { type: 'video/mp4', lastModified: 2 });
    const progress: number[] = [];
    const store = memoryStore();
    const openBefore = front.open();
    const done = await uploadFile(file, {
      endpoint: 'http://app/api/upload',
      route: 'video',
      headers: { 'x-user': 'user-1' },
      fetch: appFetch(app),
      store,
      onProgress: ({ transferredBytes }) => progress.push(transferredBytes),
    });
    expect(done).toMatchObject({ size: 24 * MiB, contentType: 'video/mp4', result: { ok: true, key: done.key } });
    expect(Buffer.compare(await readBack(done.key), Buffer.from(await file.arrayBuffer()))).toBe(0);
    expect(app.completions[0]).toMatchObject({ key: done.key, size: 24 * MiB, contentType: 'video/mp4' });
    expect(progress.at(-1)).toBe(24 * MiB);
    expect(store.entries.size).toBe(0);
    expect(front.open()).toEqual(openBefore);
  });

  it('retries the idempotent endpoint calls (a lost answer, a 503) and sends create once', async () => {
    const app = testApp(presigner);
    const calls: string[] = [];
    const failed = new Set<string>();
    const direct = appFetch(app);
    // The first sign-parts answer is lost after the handler ran, the first complete is a 503.
    const flaky: typeof fetch = async (input, init) => {
      if (String(input) !== 'http://app/api/upload') return direct(input, init);
      const { action } = JSON.parse(String(init?.body));
      calls.push(action);
      const first = !failed.has(action);
      failed.add(action);
      if (first && action === 'complete') return Response.json({ error: { code: 'ERR_STORAGE' } }, { status: 503 });
      const response = await direct(input, init);
      if (first && action === 'sign-parts') throw new TypeError('fetch failed');
      return response;
    };
    // Over the 8 parts the create answer signs: the ninth needs a sign-parts call.
    const file = new File([randomBytes(42 * MiB)], 'clip.mp4', { type: 'video/mp4', lastModified: 3 });
    const done = await uploadFile(file, {
      endpoint: 'http://app/api/upload',
      route: 'video',
      headers: { 'x-user': 'user-1' },
      fetch: flaky,
      resume: false,
      retry: { limit: 2, backoffLimit: 0 },
    });
    expect(Buffer.compare(await readBack(done.key), Buffer.from(await file.arrayBuffer()))).toBe(0);
    expect(calls.filter((c) => c === 'create')).toHaveLength(1);
    expect(calls.filter((c) => c === 'complete')).toHaveLength(2);
    expect(calls.filter((c) => c === 'sign-parts')).toHaveLength(2);
  });

  it('sends create once: a lost create answer is an error, not a second upload', async () => {
    const app = testApp(presigner);
    let creates = 0;
    const lost: typeof fetch = async (input, init) => {
      creates++;
      await appFetch(app)(input, init);
      throw new TypeError('fetch failed');
    };
    const error = await rejection(
      uploadFile(png(100), {
        endpoint: 'http://app/api/upload',
        route: 'avatar',
        headers: { 'x-user': 'user-1' },
        fetch: lost,
        resume: false,
        retry: { limit: 3, backoffLimit: 0 },
      }),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect(creates).toBe(1);
  });

  it('resumes after a simulated reload: only the missing parts are sent again', async () => {
    const app = testApp(presigner);
    const bytes = randomBytes(24 * MiB);
    const file = () => new File([bytes], 'film.mp4', { type: 'video/mp4', lastModified: 3 });
    const store = memoryStore();
    const partPuts = () => s3.requests.filter((r) => r.method === 'PUT' && r.url.includes('partNumber=')).length;
    const before = partPuts();
    // The page "reloads" after two parts: every later request to S3 fails as a dying page's would.
    let parts = 0;
    let inFlight = 0;
    const dying: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith('http://app/')) return appFetch(app)(input, init);
      if (parts >= 2) {
        inFlight++;
        throw new TypeError('the page went away');
      }
      const response = await fetch(input, init);
      parts++;
      return response;
    };
    const options = { endpoint: 'http://app/api/upload', route: 'video', headers: { 'x-user': 'user-1' }, store };
    const failed = await rejection(uploadFile(file(), { ...options, fetch: dying, retry: 0, concurrency: 1 }));
    expect(failed.code).toBe('ERR_NETWORK');
    expect(store.entries.size).toBe(1);
    const done = await uploadFile(file(), { ...options, fetch: appFetch(app) });
    expect(done.resumed).toBe(true);
    expect(Buffer.compare(await readBack(done.key), Buffer.from(bytes))).toBe(0);
    const partCount = 5;
    expect(partPuts() - before).toBeLessThanOrEqual(partCount + inFlight);
    expect(partPuts() - before).toBe(partCount);
    expect(store.entries.size).toBe(0);
  });

  it('aborts a cancelled multipart upload and forgets it', async () => {
    const app = testApp(presigner);
    const file = new File([randomBytes(12 * MiB)], 'c.mp4', { type: 'video/mp4', lastModified: 4 });
    const store = memoryStore();
    const controller = new AbortController();
    const cancelling: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith('http://app/')) return appFetch(app)(input, init);
      controller.abort();
      return fetch(input, init);
    };
    const openBefore = front.open().length;
    const error = await rejection(
      uploadFile(file, {
        endpoint: 'http://app/api/upload',
        route: 'video',
        headers: { 'x-user': 'user-1' },
        store,
        fetch: cancelling,
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(store.entries.size).toBe(0);
    await expect.poll(() => front.open().length).toBe(openBefore);
  });

  it('serves node:http and Express-style apps (a body express.json() already parsed included)', async () => {
    for (const preParse of [false, true]) {
      const app = testApp(presigner);
      const server = await serveNode(app.uploads, { preParse });
      try {
        const done = await uploadFile(png(300), {
          endpoint: server.endpoint,
          route: 'avatar',
          headers: { 'x-user': 'user-1' },
        });
        expect(done.result).toEqual({ url: `/a/${done.key}` });
        const response = await fetch(server.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            v: 1,
            action: 'create',
            route: 'avatar',
            file: { name: 'a', size: 1, type: 'image/png' },
          }),
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const body = await response.json();
        seen.push(JSON.stringify(body));
        expect(body).toMatchObject({ v: 1, error: { code: 'ERR_UNAUTHORIZED' } });
        expect(typeof body.serverTime).toBe('string');
      } finally {
        await server.close();
      }
    }
  });

  it('refuses secrets under 32 bytes', async () => {
    const { createUploadHandler } = await import('../../src/server/index.js');
    expect(() => createUploadHandler({ presigner, secret: 'short', authorize: () => null, routes: {} })).toThrow(
      /32 bytes/,
    );
  });
});
