import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../examples/loopback.js';
import type { PresignedPost } from '../../src/index.js';
import { launchChromium, type RunningBrowser } from '../helpers/browser.js';
import { localPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3, TEST_BUCKET } from '../helpers/s3-server.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';

// The built consumer (npx tsup) in Chromium (test/helpers/browser.ts), from a page on another loopback port
// than the S3 server, so the upload crosses origins for real (CORS). A missing browser or build fails the suite.

type Page = Awaited<ReturnType<RunningBrowser['context']['newPage']>>;

let s3: RunningS3;
let site: StaticServer;
let browser: RunningBrowser;
let page: Page;
/** The app page S3 redirects a form upload back to (Playwright cannot route a redirect's target). */
let landing: { origin: string; close(): Promise<void> };

async function startLanding(): Promise<typeof landing> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>uploaded</title>');
  });
  return listenOnLoopback(server);
}

beforeAll(async () => {
  s3 = await startS3();
  site = await startStaticServer();
  landing = await startLanding();
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(`${site.origin}/`);
  await page.setContent('<input type="file" id="file">');
  // A module script, as a page would load it (a dynamic import in evaluate would be rewritten by vitest).
  await page.addScriptTag({
    type: 'module',
    content: "import { submitPost } from '/consumer/post.js'; window.submitPost = submitPost;",
  });
  await page.waitForFunction(() => 'submitPost' in window);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await landing?.close();
  await s3?.close();
});

const presigner = () => localPresigner(s3.endpoint);

/** Runs submitPost in the page on the File chosen in the page's file input. */
function submitInPage(post: unknown, options: Record<string, unknown> = {}) {
  return page.evaluate(
    async ([post, options]) => {
      const input = document.getElementById('file') as HTMLInputElement;
      const file = input.files?.[0];
      const progress: number[] = [];
      const submit = (window as unknown as { submitPost: (...args: unknown[]) => Promise<unknown> }).submitPost;
      try {
        const result = await submit(post, file, {
          ...options,
          onProgress: (p: { percent: number }) => progress.push(p.percent),
        });
        return { ok: true as const, result, progress };
      } catch (error) {
        return { ok: false as const, code: (error as { code?: string }).code, message: String(error), progress };
      }
    },
    [post, options] as const,
  );
}

describe('submitPost in Chromium, across origins', () => {
  it('uploads a File chosen in a file input; the bytes read back', async () => {
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));
    await page.setInputFiles('#file', { name: 'photo.png', mimeType: 'image/png', buffer: bytes });
    const post = await presigner().presignPost({
      keyPrefix: 'browser/',
      contentTypePrefix: 'image/',
      maxSize: 1_000_000,
    });
    expect(new URL(post.url).origin).not.toBe(site.origin);
    const outcome = await submitInPage(post, { key: 'browser/photo.png' });
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.result).toMatchObject({ status: 204, key: 'browser/photo.png' });
    // The ETag crosses CORS because the bucket exposes it.
    expect((outcome.result as { etag?: string }).etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(outcome.progress.at(-1)).toBe(100);

    const get = await presigner().presignGet({ key: 'browser/photo.png' });
    const back = await fetch(get.url);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('a too-large file is refused before the network: no request reaches the server', async () => {
    await page.setInputFiles('#file', { name: 'big.bin', mimeType: 'image/png', buffer: Buffer.alloc(2048) });
    const post = await presigner().presignPost({ keyPrefix: 'browser/', maxSize: 1024 });
    const before = s3.requests.length;
    const outcome = await submitInPage(post, { key: 'browser/big.bin' });
    expect(outcome).toMatchObject({ ok: false, code: 'ERR_POLICY_SIZE' });
    expect(s3.requests.length).toBe(before);
  });

  it('a plain HTML form posts the File with no JavaScript upload code, and S3 redirects back', async () => {
    const bytes = Buffer.from('plain form upload');
    const post = await presigner().presignPost({
      key: 'browser/form.txt',
      contentType: 'text/plain',
      maxSize: 1024,
      successActionRedirect: `${landing.origin}/done`,
    });
    // The form docs/post.md shows: every field a hidden input, the file input last; the browser posts it.
    await page.evaluate((post: PresignedPost) => {
      const form = document.createElement('form');
      form.action = post.url;
      form.method = 'post';
      form.enctype = 'multipart/form-data';
      for (const [name, value] of Object.entries(post.fields)) {
        const hidden = document.createElement('input');
        hidden.type = 'hidden';
        hidden.name = name;
        hidden.value = value;
        form.append(hidden);
      }
      const file = document.createElement('input');
      file.type = 'file';
      file.name = 'file';
      file.id = 'form-file';
      const send = document.createElement('button');
      send.id = 'send';
      form.append(file, send);
      document.body.append(form);
    }, post);
    await page.setInputFiles('#form-file', { name: 'form.txt', mimeType: 'text/plain', buffer: bytes });
    const before = s3.requests.length;
    await Promise.all([page.waitForURL(`${landing.origin}/done?**`), page.click('#send')]);
    const done = new URL(page.url());
    expect(done.searchParams.get('key')).toBe('browser/form.txt');
    expect(done.searchParams.get('bucket')).toBe(TEST_BUCKET);
    expect(s3.requests.slice(before).map((r) => r.method)).toEqual(['POST']);

    const get = await presigner().presignGet({ key: 'browser/form.txt' });
    const back = await fetch(get.url);
    expect(back.headers.get('content-type')).toBe('text/plain');
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
