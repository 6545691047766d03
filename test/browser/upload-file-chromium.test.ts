import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Presigner } from '../../src/index.js';
import { launchChromium, type RunningBrowser } from '../helpers/browser.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { localClientPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';
import { serveNode, type TestApp, testApp } from '../helpers/upload-app.js';

// These load the built consumer (dist/consumer/upload.js): run `npx tsup` first.
// Three loopback origins: the page, the app's upload endpoint (node:http), and S3 (s3rver behind the
// multipart front, which answers ListParts and AbortMultipartUpload as S3 does).
const MiB = 1024 ** 2;
let s3: RunningS3;
let front: MultipartFront;
let presigner: Presigner;
let app: TestApp;
let endpoint: { endpoint: string; close(): Promise<void> };
let browser: RunningBrowser;
let site: StaticServer;
let page: Page;

beforeAll(async () => {
  s3 = await startS3();
  front = await startMultipartFront(s3.endpoint);
  presigner = localClientPresigner(front.endpoint);
  app = testApp(presigner);
  endpoint = await serveNode(app.uploads);
  site = await startStaticServer();
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.close();
  await front?.close();
  await s3?.close();
});

type Outcome<T> =
  | { ok: T; error?: undefined }
  | { ok?: undefined; error: { code: string; message: string; status?: number } };

/** The page's File: bytes from a formula both sides know, so the test can compare what S3 holds. */
const PAGE_FILE = `(size, name, type) => new File([new Uint8Array(size).map((_, i) => (i * 31 + (i >> 12)) % 251)], name, { type, lastModified: 1700000000000 })`;
function fileBytes(size: number): Buffer {
  return Buffer.from(new Uint8Array(size).map((_, i) => (i * 31 + (i >> 12)) % 251));
}

/** Runs `script({ uploadFile, makeFile }, args)` in the page and returns its result or error as data. */
function inPage<T>(script: string, args: Record<string, unknown>): Promise<Outcome<T>> {
  return page.evaluate(`(async () => {
    const { uploadFile } = await import('/consumer/upload.js');
    const makeFile = ${PAGE_FILE};
    try {
      return { ok: await (${script})({ uploadFile, makeFile }, ${JSON.stringify(args)}) };
    } catch (error) {
      return { error: { code: error.code, message: error.message, status: error.status } };
    }
  })()`) as Promise<Outcome<T>>;
}

async function readBack(key: string): Promise<Buffer> {
  const response = await fetch((await presigner.presignGet({ key })).url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const partPuts = (since = 0) =>
  s3.requests.slice(since).filter((r) => r.method === 'PUT' && r.url.includes('partNumber=')).length;

interface Uploaded {
  key: string;
  size: number;
  contentType: string;
  result: unknown;
  resumed: boolean;
  progress: number[];
}

const UPLOAD = `async ({ uploadFile, makeFile }, { endpoint, route, size, name, type, user, concurrency }) => {
  const progress = [];
  const done = await uploadFile(makeFile(size, name, type), {
    endpoint, route, concurrency,
    headers: user ? { 'x-user': user } : {},
    onProgress: ({ transferredBytes }) => progress.push(transferredBytes),
  });
  return { ...done, progress };
}`;

describe('uploadFile in Chromium, through createUploadHandler, to s3rver (three origins, real CORS)', () => {
  it('uploads a small image with one PUT, with progress, and onUploadComplete gets its key, size and type', async () => {
    const outcome = await inPage<Uploaded>(UPLOAD, {
      endpoint: endpoint.endpoint,
      route: 'avatar',
      size: 3000,
      name: 'me.png',
      type: 'image/png',
      user: 'user-1',
    });
    expect(outcome.error).toBeUndefined();
    const done = outcome.ok!;
    expect(done).toMatchObject({ size: 3000, contentType: 'image/png', result: { url: `/a/${done.key}` } });
    expect(Buffer.compare(await readBack(done.key), fileBytes(3000))).toBe(0);
    expect(app.completions.at(-1)).toMatchObject({ key: done.key, size: 3000, contentType: 'image/png' });
    expect(done.progress.at(-1)).toBe(3000);
  });

  it('uploads a 24 MiB file in parts (threshold 5 MiB) with progress', async () => {
    const outcome = await inPage<Uploaded>(UPLOAD, {
      endpoint: endpoint.endpoint,
      route: 'video',
      size: 24 * MiB,
      name: 'film.mp4',
      type: 'video/mp4',
      user: 'user-1',
    });
    expect(outcome.error).toBeUndefined();
    const done = outcome.ok!;
    expect(done).toMatchObject({ size: 24 * MiB, contentType: 'video/mp4', resumed: false });
    expect(Buffer.compare(await readBack(done.key), fileBytes(24 * MiB))).toBe(0);
    expect(app.completions.at(-1)).toMatchObject({ key: done.key, size: 24 * MiB, contentType: 'video/mp4' });
    expect(done.progress.at(-1)).toBe(24 * MiB);
    expect(done.progress.length).toBeGreaterThan(5);
  });

  it('refuses a file over maxSize and a wrong type with no request reaching S3, and an unauthorised call with 401', async () => {
    const before = s3.requests.length;
    const base = { endpoint: endpoint.endpoint, route: 'avatar', name: 'x.png', user: 'user-1' };
    const large = await inPage(UPLOAD, { ...base, size: 1024 * 1024 + 1, type: 'image/png' });
    expect(large.error).toMatchObject({ code: 'ERR_TOO_LARGE', status: 413 });
    const type = await inPage(UPLOAD, { ...base, size: 10, type: 'text/html' });
    expect(type.error).toMatchObject({ code: 'ERR_TYPE_NOT_ALLOWED', status: 415 });
    const anonymous = await inPage(UPLOAD, { ...base, size: 10, type: 'image/png', user: null });
    expect(anonymous.error).toMatchObject({ code: 'ERR_UNAUTHORIZED', status: 401 });
    expect(s3.requests.length).toBe(before);
  });

  it('resumes after a page reload in the middle of a multipart upload, sending at most the parts plus those in flight', async () => {
    const args = {
      endpoint: endpoint.endpoint,
      route: 'video',
      size: 24 * MiB,
      name: 'resume.mp4',
      type: 'video/mp4',
      user: 'user-1',
      concurrency: 2,
    };
    const partCount = 5;
    // Parts go slowly, so that the reload lands in the middle.
    await page.route(
      (url) => url.searchParams.has('partNumber'),
      async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await route.continue().catch(() => undefined);
      },
    );
    const before = s3.requests.length;
    void inPage(UPLOAD, args).catch(() => undefined);
    await expect.poll(() => partPuts(before), { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(2);
    await page.reload();
    await page.unroute(() => true);
    const sentBeforeReload = partPuts(before);
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('s3-presign:')));
    expect(stored).toHaveLength(1);
    const outcome = await inPage<Uploaded>(UPLOAD, args);
    expect(outcome.error).toBeUndefined();
    const done = outcome.ok!;
    expect(done.resumed).toBe(true);
    expect(Buffer.compare(await readBack(done.key), fileBytes(24 * MiB))).toBe(0);
    const inFlightAtReload = args.concurrency;
    expect(partPuts(before)).toBeLessThanOrEqual(partCount + inFlightAtReload);
    expect(partPuts(before)).toBeGreaterThanOrEqual(sentBeforeReload);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('s3-presign:')))).toEqual(
      [],
    );
  });
});
