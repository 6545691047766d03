import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserUploadExample, startBrowserUploadExample } from '../../examples/browser-upload/server.js';
import { type LoopbackServer, listenOnLoopback } from '../../examples/loopback.js';
import type { PresignedRequest } from '../../src/index.js';
import { launchChromium, type RunningBrowser } from '../helpers/browser.js';
import { localPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';

// These load the built consumer (dist/consumer/index.js): run `npx tsup` first.
let s3: RunningS3;
let browser: RunningBrowser;
let site: StaticServer;
let example: BrowserUploadExample;
let noCors: LoopbackServer;
let page: Page;

beforeAll(async () => {
  s3 = await startS3();
  site = await startStaticServer();
  example = await startBrowserUploadExample(presigner());
  // A server that answers everything but sends no CORS headers: what a bucket without CORS looks like.
  noCors = await listenOnLoopback(createServer((_, res) => res.end('no cors')));
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
});
afterAll(async () => {
  await browser?.close();
  await example?.close();
  await site?.close();
  await noCors?.close();
  await s3?.close();
});

const presigner = () => localPresigner(s3.endpoint);

/**
 * Runs `script`, an async function of (consumer module, args), in the page; returns what it returned or
 * the error it threw, as data. The source goes in as text so the test runner's transforms never reach it.
 */
function inPage<T>(script: string, args: Record<string, unknown>): Promise<T> {
  return page.evaluate(`(async () => {
    const consumer = await import('/consumer.js');
    try {
      return { ok: await (${script})(consumer, ${JSON.stringify(args)}) };
    } catch (error) {
      return { error: { code: error.code, message: error.message, hint: error.hint } };
    }
  })()`) as Promise<T>;
}

type Outcome<T> =
  | { ok: T; error?: undefined }
  | { ok?: undefined; error: { code: string; message: string; hint?: string } };

describe('the consumer in Chromium, from a page on another origin (real CORS)', () => {
  it('uploads a File with a signed content-type through XHR, with progress, reads the ETag, downloads it back', async () => {
    const size = 3 * 1024 * 1024;
    const p = presigner();
    const put = await p.presignPut({ key: 'browser/photo.png', contentType: 'image/png', contentLength: size });
    const get = await p.presignGet({ key: 'browser/photo.png' });
    // Loopback is too fast for XHR to report anything but the end: throttle uploads to about a second.
    const cdp = await browser.context.newCDPSession(page);
    const throttle = (uploadThroughput: number) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput,
      });
    await cdp.send('Network.enable');
    await throttle(size * 1.5);
    const outcome = await inPage<
      Outcome<{ etag: string; xhrs: number; percents: number[]; type: string; same: boolean; digest: string }>
    >(
      `async ({ upload, download }, { put, get, size }) => {
        let xhrs = 0;
        const Original = XMLHttpRequest;
        globalThis.XMLHttpRequest = class extends Original { constructor() { super(); xhrs++; } };
        try {
          const bytes = new Uint8Array(size).map((_, i) => (i * 7) % 256);
          // The File's own type is not the signed one: the signed one must be sent.
          const file = new File([bytes], 'photo.txt', { type: 'text/plain' });
          const percents = [];
          const { etag } = await upload(put, file, { onProgress: (p) => percents.push(p.percent) });
          const { body } = await download(get, { as: 'blob' });
          const back = new Uint8Array(await body.arrayBuffer());
          const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', back))].map((b) => b.toString(16).padStart(2, '0')).join('');
          return { etag, xhrs, percents, type: body.type, same: back.length === size && back.every((b, i) => b === bytes[i]), digest };
        } finally {
          globalThis.XMLHttpRequest = Original;
        }
      }`,
      { put, get, size },
    );
    await throttle(-1);
    await cdp.detach();
    expect(outcome.error).toBeUndefined();
    const result = outcome.ok!;
    const bytes = new Uint8Array(size).map((_, i) => (i * 7) % 256);
    expect(result.etag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
    expect(result.xhrs).toBe(1);
    expect(result.same).toBe(true);
    expect(result.digest).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.type).toBe('image/png');
    expect(result.percents.length).toBeGreaterThan(2);
    expect(result.percents.at(-1)).toBe(100);
    expect(result.percents.slice(0, -1).every((percent) => percent < 100)).toBe(true);
    for (let i = 1; i < result.percents.length; i++)
      expect(result.percents[i]!).toBeGreaterThan(result.percents[i - 1]!);
  });

  it('refuses a mismatched header and an expired descriptor with no request reaching the server', async () => {
    const p = presigner();
    const put = await p.presignPut({ key: 'browser/refused.txt', contentType: 'text/plain' });
    const expired = await p.presignPut({ key: 'browser/refused.txt', signingDate: new Date(Date.now() - 3_600_000) });
    const before = s3.requests.length;
    const outcome = await inPage<Outcome<string[]>>(
      `async ({ upload }, { put, expired }) => {
        const codes = [];
        for (const [d, options] of [[put, { headers: { 'Content-Type': 'text/html' } }], [put, { headers: { 'x-amz-acl': 'public-read' } }], [expired, { serverTime: Date.now() }]]) {
          try { await upload(d, 'hello', options); codes.push('sent'); } catch (error) { codes.push(error.code); }
        }
        return codes;
      }`,
      { put, expired },
    );
    expect(outcome.ok).toEqual(['ERR_HEADER_MISMATCH', 'ERR_UNSIGNED_HEADER', 'ERR_EXPIRED']);
    expect(s3.requests.length).toBe(before);
  });

  it('recovers an expired descriptor through refresh', async () => {
    const p = presigner();
    const expired = await p.presignPut({ key: 'browser/refreshed.txt', signingDate: new Date(Date.now() - 3_600_000) });
    const fresh = await p.presignPut({ key: 'browser/refreshed.txt' });
    const outcome = await inPage<Outcome<{ status: number; refreshed: number }>>(
      `async ({ upload }, { expired, fresh }) => {
        let refreshed = 0;
        const { status } = await upload(expired, 'fresh', { refresh: async () => { refreshed++; return fresh; } });
        return { status, refreshed };
      }`,
      { expired, fresh },
    );
    expect(outcome.ok).toEqual({ status: 200, refreshed: 1 });
    const back = await fetch((await p.presignGet({ key: 'browser/refreshed.txt' })).url);
    expect(await back.text()).toBe('fresh');
  });

  it('rejects with ERR_ABORTED, sending nothing, when the signal aborts while refresh runs (XHR path)', async () => {
    const p = presigner();
    const expired = await p.presignPut({ key: 'browser/aborted.txt', signingDate: new Date(Date.now() - 3_600_000) });
    const fresh = await p.presignPut({ key: 'browser/aborted.txt' });
    const before = s3.requests.length;
    const outcome = await inPage<Outcome<string>>(
      `async ({ upload }, { expired, fresh }) => {
        const controller = new AbortController();
        const refresh = async () => { controller.abort(); return fresh; };
        await upload(expired, 'x', { refresh, signal: controller.signal, onProgress: () => {}, serverTime: Date.now() });
        return 'sent';
      }`,
      { expired, fresh },
    );
    expect(outcome.error?.code).toBe('ERR_ABORTED');
    expect(s3.requests.length).toBe(before);
  });

  it('turns a CORS refusal into ERR_NETWORK with the CORS hint, through fetch and through XHR', async () => {
    const put = await presigner().presignPut({ key: 'browser/cors.txt', contentType: 'text/plain' });
    const elsewhere: PresignedRequest = {
      ...put,
      url: put.url.replace(s3.endpoint, noCors.origin),
    };
    const outcome = await inPage<Outcome<Array<{ code: string; hint: string; message: string }>>>(
      `async ({ upload }, { d }) => {
        const out = [];
        for (const options of [{ retry: 0 }, { retry: 0, onProgress: () => {} }]) {
          try { await upload(d, 'x', options); out.push({ code: 'sent' }); } catch (e) { out.push({ code: e.code, hint: e.hint, message: e.message }); }
        }
        return out;
      }`,
      { d: elsewhere },
    );
    expect(outcome.ok).toHaveLength(2);
    for (const error of outcome.ok!) {
      expect(error.code).toBe('ERR_NETWORK');
      expect(error.hint).toMatch(/CORS/);
      expect(error.message).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    }
  });

  it('runs examples/browser-upload: the backend signs, the page uploads a chosen file and reads it back', async () => {
    const tab = await browser.context.newPage();
    const console: string[] = [];
    tab.on('console', (message) => console.push(message.text()));
    tab.on('pageerror', (error) => console.push(error.message));
    try {
      await tab.goto(`${example.origin}/`);
      const bytes = Buffer.from('example bytes '.repeat(50_000));
      await tab.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: bytes });
      await tab.click('#upload');
      await tab.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 15_000 });
      const log = await tab.textContent('#log');
      expect(await tab.getAttribute('body', 'data-state'), `${log}\n${console.join('\n')}`).toBe('done');
      const result = JSON.parse(log!) as { key: string; etag: string; percents: number[]; type: string; same: boolean };
      expect(result.same).toBe(true);
      expect(result.type).toBe('text/plain');
      expect(result.etag).toBe(`"${createHash('md5').update(bytes).digest('hex')}"`);
      expect(result.percents.at(-1)).toBe(100);
      expect(result.key).toMatch(/^uploads\/[0-9a-f-]+\/notes\.txt$/);
    } finally {
      await tab.close();
    }
  });
});
