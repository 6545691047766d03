import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RunningBrowser } from '../helpers/browser.js';
import { localClientPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3, TEST_BUCKET } from '../helpers/s3-server.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';

// These load the built consumer (dist/consumer/index.js): run `npx tsup` first.
const MiB = 1024 ** 2;
const SIZE = 12 * MiB;
let s3: RunningS3;
let browser: RunningBrowser;
let site: StaticServer;
let page: Page;

beforeAll(async () => {
  s3 = await startS3();
  site = await startStaticServer();
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await s3?.close();
});

/** A CORS rule that lets the page in but exposes no response header. */
const CORS_WITHOUT_EXPOSE = `<CORSConfiguration><CORSRule>
  <AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod>
  <AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader>
</CORSRule></CORSConfiguration>`;

/** Multipart needs the SDK client: create goes through it, the signed requests go to the same server. */
const presigner = () => localClientPresigner(s3.endpoint);

/** The bytes both sides build: the page makes its File from the same formula. */
function sourceBytes(): Uint8Array {
  return new Uint8Array(SIZE).map((_, i) => (i * 31 + (i >> 12)) % 251);
}
const PAGE_BYTES = `new Uint8Array(size).map((_, i) => (i * 31 + (i >> 12)) % 251)`;

type Outcome<T> =
  | { ok: T; error?: undefined }
  | { ok?: undefined; error: { code: string; message: string; hint?: string } };

/** Runs `script(consumer, args)` in the page, from source text, and returns its result or error as data. */
function inPage<T>(script: string, args: Record<string, unknown>): Promise<Outcome<T>> {
  return page.evaluate(`(async () => {
    const consumer = { ...(await import('/consumer.js')), ...(await import('/consumer/multipart.js')) };
    try {
      return { ok: await (${script})(consumer, ${JSON.stringify(args)}) };
    } catch (error) {
      return { error: { code: error.code, message: error.message, hint: error.hint } };
    }
  })()`) as Promise<Outcome<T>>;
}

function partPuts(since: number): number[] {
  return s3.requests
    .slice(since)
    .filter((r) => r.method === 'PUT' && r.url.includes('partNumber='))
    .map((r) => Number(new URL(r.url, 'http://x').searchParams.get('partNumber')));
}

describe('uploadMultipart in Chromium, from a page on another origin (real CORS)', () => {
  it('uploads a 12 MiB File in 5 MiB parts with progress, reads the ETags through CORS, completes with the presigned complete', async () => {
    const p = presigner();
    const upload = await p.presignMultipart({
      key: 'browser/multipart.bin',
      size: SIZE,
      partSize: 5 * MiB,
      contentType: 'application/x-test',
    });
    const mark = s3.requests.length;
    const outcome = await inPage<{
      etag: string;
      parts: Array<{ partNumber: number; etag: string }>;
      bytes: number[];
      xhrs: number;
    }>(
      `async ({ uploadMultipart }, { upload, size }) => {
        let xhrs = 0;
        const Original = XMLHttpRequest;
        globalThis.XMLHttpRequest = class extends Original { constructor() { super(); xhrs++; } };
        try {
          const file = new File([${PAGE_BYTES}], 'big.bin', { type: 'text/plain' });
          const bytes = [];
          const result = await uploadMultipart(upload, file, { onProgress: (p) => bytes.push(p.transferredBytes) });
          return { etag: result.etag, parts: result.parts, bytes, xhrs };
        } finally {
          globalThis.XMLHttpRequest = Original;
        }
      }`,
      { upload, size: SIZE },
    );
    expect(outcome.error).toBeUndefined();
    const result = outcome.ok!;
    const source = sourceBytes();
    // Each ETag came through CORS (ExposeHeader ETag) and is the MD5 of its part.
    expect(result.parts.map((x) => x.etag)).toEqual(
      [0, 1, 2].map(
        (i) =>
          `"${createHash('md5')
            .update(source.subarray(i * 5 * MiB, Math.min(SIZE, (i + 1) * 5 * MiB)))
            .digest('hex')}"`,
      ),
    );
    expect(result.etag).not.toBe('');
    // Parts went by XHR (upload progress), one request each.
    expect(result.xhrs).toBe(3);
    expect(partPuts(mark).sort()).toEqual([1, 2, 3]);
    expect(s3.requests.slice(mark).filter((r) => r.method === 'POST' && r.url.includes('uploadId='))).toHaveLength(1);
    // Progress: monotonic, ends at exactly the size, once.
    for (let i = 1; i < result.bytes.length; i++)
      expect(result.bytes[i]).toBeGreaterThan(result.bytes[i - 1] as number);
    expect(result.bytes.at(-1)).toBe(SIZE);
    expect(result.bytes.filter((b) => b === SIZE)).toHaveLength(1);
    expect(result.bytes.length).toBeGreaterThanOrEqual(3);

    const stored = await fetch((await p.presignGet({ key: 'browser/multipart.bin' })).url);
    expect(stored.headers.get('content-type')).toBe('application/x-test');
    expect(
      createHash('sha256')
        .update(Buffer.from(await stored.arrayBuffer()))
        .digest('hex'),
    ).toBe(createHash('sha256').update(source).digest('hex'));
  });

  it('stops the transfers when aborted half-way: no part starts after, the upload is aborted, nothing is completed', async () => {
    const p = presigner();
    const upload = await p.presignMultipart({ key: 'browser/aborted.bin', size: SIZE, partSize: 5 * MiB });
    const mark = s3.requests.length;
    const outcome = await inPage<{ abortedAt: number }>(
      `async ({ uploadMultipart }, { upload, size }) => {
        const file = new File([${PAGE_BYTES}], 'big.bin');
        const controller = new AbortController();
        let abortedAt = -1;
        await uploadMultipart(upload, file, {
          concurrency: 1,
          signal: controller.signal,
          onProgress: (p) => {
            // Past the first part: abort while the rest is on its way.
            if (abortedAt < 0 && p.transferredBytes > 5 * 1024 * 1024) {
              abortedAt = p.transferredBytes;
              controller.abort(new Error('the user cancelled'));
            }
          },
        });
        return { abortedAt };
      }`,
      { upload, size: SIZE },
    );
    expect(outcome.error?.code).toBe('ERR_ABORTED');
    const requests = s3.requests.slice(mark);
    const puts = partPuts(mark);
    // Part 3 never started: the abort came during or right after part 2, with one part in flight at most.
    expect(puts).not.toContain(3);
    expect(puts).toContain(2);
    // The abort went to S3 (the presigned DELETE; s3rver 4.0.4 answers it 405), and no complete.
    const deletes = requests.filter((r) => r.method === 'DELETE' && r.url.includes(`uploadId=${upload.uploadId}`));
    expect(deletes).toHaveLength(1);
    expect(requests.some((r) => r.method === 'POST' && r.url.includes('uploadId='))).toBe(false);
    const head = await fetch((await p.presignHead({ key: 'browser/aborted.bin' })).url, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('fails with ERR_ETAG_UNREADABLE naming the CORS fix when the bucket does not expose ETag', async () => {
    // A second server whose bucket allows the page but exposes no header: the ETag stays hidden.
    const hidden = await startS3([TEST_BUCKET], CORS_WITHOUT_EXPOSE);
    try {
      const p = localClientPresigner(hidden.endpoint);
      const upload = await p.presignMultipart({ key: 'no-etag.bin', size: 6 * MiB, partSize: 5 * MiB });
      const outcome = await inPage<unknown>(
        `async ({ uploadMultipart }, { upload }) => uploadMultipart(upload, new Blob([new Uint8Array(6 * 1024 * 1024)]))`,
        { upload },
      );
      expect(outcome.error?.code).toBe('ERR_ETAG_UNREADABLE');
      expect(outcome.error?.message).toContain('<ExposeHeader>ETag</ExposeHeader>');
      // The part reached S3 (it was stored): only reading its ETag failed.
      expect(hidden.requests.some((r) => r.method === 'PUT' && r.url.includes('partNumber=1'))).toBe(true);
    } finally {
      await hidden.close();
    }
  });
});
