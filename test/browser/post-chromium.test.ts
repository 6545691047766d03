import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PresignedPost, presignPost } from '../../src/producer/post.js';
import { PresignerImpl } from '../../src/producer/presigner.js';
import { type RunningS3, S3RVER_CREDENTIALS, startS3, TEST_BUCKET, TEST_REGION } from '../helpers/s3-server.js';

// The built consumer (npx tsup) in Debian's Chromium, from a page on another loopback port than the
// S3 server, so the upload crosses origins for real (CORS).

const CHROMIUM = '/usr/bin/chromium';
const CONSUMER = join(import.meta.dirname, '../../dist/consumer/index.js');
const PAGE = `<!doctype html><meta charset="utf-8"><title>post</title>
<input type="file" id="file">
<script type="module">
  import { submitPost } from '/consumer.js';
  window.submitPost = submitPost;
  window.ready = true;
</script>`;

let s3: RunningS3;
let site: Server;
let origin: string;
let profile: string;
let context: BrowserContext;
let page: Page;
/** The form /form renders: set by a test before it navigates there. */
let formPost: PresignedPost | undefined;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The plain HTML form docs/post.md describes: every field hidden, the file input last. */
function formPage(post: PresignedPost): string {
  const inputs = Object.entries(post.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><title>form</title>
<form action="${escapeHtml(post.url)}" method="post" enctype="multipart/form-data">
${inputs}
<input type="file" name="file" id="form-file">
<button id="send">Upload</button>
</form>`;
}

beforeAll(async () => {
  // Fails (never skips) when the browser or the build is missing: the evidence would be silently absent.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(CONSUMER)) throw new Error(`${CONSUMER} is missing: run npx tsup first`);
  const consumer = await readFile(CONSUMER);
  s3 = await startS3();
  site = createServer((req, res) => {
    if (req.url === '/consumer.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(consumer);
    } else if (req.url === '/form' && formPost) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(formPage(formPost));
    } else if (req.url?.startsWith('/done?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>done</title>');
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), 's3-presign-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
});

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => site?.close(resolve));
  await s3?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

function presigner() {
  return new PresignerImpl({
    region: TEST_REGION,
    endpoint: s3.endpoint,
    credentials: S3RVER_CREDENTIALS,
    bucket: TEST_BUCKET,
  });
}

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
    const post = await presignPost(presigner(), {
      keyPrefix: 'browser/',
      contentTypePrefix: 'image/',
      maxSize: 1_000_000,
    });
    expect(new URL(post.url).origin).not.toBe(origin);
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
    const post = await presignPost(presigner(), { keyPrefix: 'browser/', maxSize: 1024 });
    const before = s3.requests.length;
    const outcome = await submitInPage(post, { key: 'browser/big.bin' });
    expect(outcome).toMatchObject({ ok: false, code: 'ERR_POLICY_SIZE' });
    expect(s3.requests.length).toBe(before);
  });

  it('a plain HTML form posts the File with no JavaScript, and S3 redirects back to the page', async () => {
    const bytes = Buffer.from('plain form upload');
    formPost = await presignPost(presigner(), {
      key: 'browser/form.txt',
      contentType: 'text/plain',
      maxSize: 1024,
      successActionRedirect: `${origin}/done`,
    });
    const before = s3.requests.length;
    await page.goto(`${origin}/form`);
    await page.setInputFiles('#form-file', { name: 'form.txt', mimeType: 'text/plain', buffer: bytes });
    await Promise.all([page.waitForURL(`${origin}/done?**`), page.click('#send')]);
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
