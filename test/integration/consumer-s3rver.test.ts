import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { download, type Progress, upload } from '../../src/consumer/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { localPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

let s3: RunningS3;
let proxy: FaultProxy;
let dir: string;
beforeAll(async () => {
  s3 = await startS3();
  proxy = await startFaultProxy(s3.endpoint, { slowFirstByteMs: 300 });
  dir = await mkdtemp(join(tmpdir(), 's3-presign-consumer-'));
});
afterAll(async () => {
  await proxy?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

const presigner = (endpoint = s3.endpoint) => localPresigner(endpoint);
const NO_DELAY = { limit: 2, backoffLimit: 0 };
const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

async function roundTrip(
  key: string,
  body: Parameters<typeof upload>[1],
  expected: Uint8Array,
  contentLength?: number,
) {
  const p = presigner();
  const put = await p.presignPut({ key, contentType: 'application/octet-stream', contentLength });
  const result = await upload(put, body);
  expect(result.status).toBe(200);
  expect(result.etag).toBe(md5(expected));
  const back = await download(await p.presignGet({ key }), { as: 'arrayBuffer' });
  expect(new Uint8Array(back.body)).toEqual(expected);
}

describe('upload and download against s3rver 4.0.4', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 251);

  it('round-trips a Blob', () => roundTrip('blob.bin', new Blob([bytes]), bytes));
  it('round-trips a Uint8Array', () => roundTrip('bytes.bin', bytes, bytes));
  it('round-trips a string as UTF-8', () =>
    roundTrip('text.txt', 'grüße, 世界', new TextEncoder().encode('grüße, 世界')));

  it('round-trips a Node stream with a signed content-length', async () => {
    const file = join(dir, 'stream.bin');
    await writeFile(file, bytes);
    const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    await roundTrip('stream.bin', stream, bytes, bytes.byteLength);
  });

  it('sends the signed content-type, not the Blob type, and S3 stores it', async () => {
    const p = presigner();
    const put = await p.presignPut({ key: 'typed.png', contentType: 'image/png' });
    await upload(put, new Blob(['not really a png'], { type: 'text/plain' }));
    const { body, headers } = await download(await p.presignGet({ key: 'typed.png' }));
    expect(headers.get('content-type')).toBe('image/png');
    expect(await body.text()).toBe('not really a png');
  });

  it('keeps signed metadata, which the server enforces', async () => {
    const p = presigner();
    await upload(await p.presignPut({ key: 'meta.txt', metadata: { owner: 'ann' } }), 'x');
    const { headers } = await download(await p.presignGet({ key: 'meta.txt' }));
    expect(headers.get('x-amz-meta-owner')).toBe('ann');
  });

  it('reports monotonic progress, 100% once S3 has answered', async () => {
    const events: Progress[] = [];
    const put = await presigner().presignPut({ key: 'progress.bin', contentLength: 1_000_000 });
    await upload(put, new Uint8Array(1_000_000), { onProgress: (p) => events.push(p) });
    expect(events.length).toBeGreaterThan(5);
    expect(events.at(-1)).toEqual({ transferredBytes: 1_000_000, totalBytes: 1_000_000, percent: 100 });
    expect(events.slice(0, -1).every((e) => e.percent! < 100)).toBe(true);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.transferredBytes).toBeGreaterThan(events[i - 1]!.transferredBytes);
    }
  });
});

describe('refused before the network: nothing reaches the server', () => {
  it('a mismatched header, an unsigned x-amz-* header, a body of the wrong size, an expired descriptor', async () => {
    const p = presigner();
    const put = await p.presignPut({ key: 'refused.txt', contentType: 'text/plain', contentLength: 5 });
    const expired = await p.presignPut({ key: 'refused.txt', signingDate: new Date(Date.now() - 3_600_000) });
    const before = s3.requests.length;
    expect((await rejection(upload(put, 'hello', { headers: { 'content-type': 'text/html' } }))).code).toBe(
      'ERR_HEADER_MISMATCH',
    );
    expect((await rejection(upload(put, 'hello', { headers: { 'x-amz-acl': 'public-read' } }))).code).toBe(
      'ERR_UNSIGNED_HEADER',
    );
    expect((await rejection(upload(put, 'hello!'))).code).toBe('ERR_BODY_SIZE_MISMATCH');
    // The server's time at receipt says it was signed an hour ago; without it, it would be taken as fresh.
    expect((await rejection(upload(expired, 'hello', { serverTime: new Date() }))).code).toBe('ERR_EXPIRED');
    expect(s3.requests.length).toBe(before);
  });

  it('an expired descriptor is recovered through refresh', async () => {
    const p = presigner();
    const expired = await p.presignPut({ key: 'refreshed.txt', signingDate: new Date(Date.now() - 3_600_000) });
    const refresh = vi.fn(() => p.presignPut({ key: 'refreshed.txt' }));
    expect((await upload(expired, 'fresh', { refresh })).status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});

describe("the server's refusals", () => {
  it('SignatureDoesNotMatch when the descriptor was tampered with: ERR_S3 with the parsed fields, redacted', async () => {
    const put = await presigner().presignPut({ key: 'tampered.txt', contentType: 'text/plain' });
    const error = await rejection(upload({ ...put, headers: { 'content-type': 'text/html' } }, 'x'));
    expect(error).toMatchObject({ code: 'ERR_S3', status: 403, s3Code: 'SignatureDoesNotMatch' });
    expect(error.s3Message).toBeTruthy();
    expect(error.hint).toBeTruthy();
    expect(error.message).toContain('X-Amz-Signature=REDACTED');
    expect(error.message).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
  });

  it('"Request has expired" for a descriptor taken as fresh (no serverTime) is ERR_EXPIRED; refresh recovers it once', async () => {
    const p = presigner();
    const signedAt = new Date(Date.now() - 3_600_000);
    const stale = await p.presignPut({ key: 'late.txt', signingDate: signedAt, expiresIn: 60 });
    // Without serverTime the consumer takes its X-Amz-Date as the time of receipt; S3 knows better.
    const error = await rejection(upload(stale, 'late'));
    expect(error).toMatchObject({ code: 'ERR_EXPIRED', status: 403, s3Code: 'AccessDenied' });
    expect(error.s3Message).toMatch(/expired/i);
    expect(error.hint).toMatch(/refresh/);

    const refresh = vi.fn(async () => p.presignPut({ key: 'late.txt', expiresIn: 60 }));
    const result = await upload(stale, 'late', { refresh });
    expect(result.status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('NoSuchKey on download', async () => {
    const error = await rejection(download(await presigner().presignGet({ key: 'missing.txt' })));
    expect(error).toMatchObject({ code: 'ERR_S3', status: 404, s3Code: 'NoSuchKey' });
  });
});

describe('retries through a fault-injecting proxy', () => {
  const bytes = new Uint8Array(300_000).map((_, i) => i % 256);
  const through = () => presigner(proxy.endpoint);

  it('recovers from a reset, a 500 and a 503 and leaves the right bytes on the server', async () => {
    proxy.seen.length = 0;
    proxy.faults.push('reset', 500);
    const put = await through().presignPut({ key: 'flaky.bin', contentLength: bytes.byteLength });
    const result = await upload(put, new Blob([bytes]), { retry: NO_DELAY });
    expect(result.etag).toBe(md5(bytes));
    proxy.faults.push(503);
    const back = await download(await through().presignGet({ key: 'flaky.bin' }), {
      as: 'arrayBuffer',
      retry: NO_DELAY,
    });
    expect(new Uint8Array(back.body)).toEqual(bytes);
    expect(proxy.seen).toEqual(['reset', 500, 'pass', 503, 'pass']);
  });

  it('waits out a slow first byte', async () => {
    proxy.faults.push('slow');
    const events: Progress[] = [];
    const put = await through().presignPut({ key: 'slow.bin' });
    const result = await upload(put, bytes, { onProgress: (p) => events.push(p) });
    expect(result.etag).toBe(md5(bytes));
    expect(events.at(-1)?.percent).toBe(100);
  });

  it('stops at once when aborted while the first byte is slow, and does not retry', async () => {
    proxy.seen.length = 0;
    proxy.faults.push('slow');
    const controller = new AbortController();
    const put = await through().presignPut({ key: 'aborted.bin' });
    const done = rejection(upload(put, bytes, { signal: controller.signal, retry: NO_DELAY }));
    await vi.waitFor(() => expect(proxy.seen.length).toBe(1));
    controller.abort();
    expect((await done).code).toBe('ERR_ABORTED');
    expect(proxy.seen).toEqual(['slow']);
  });

  it('gives up after the limit with a clear error', async () => {
    proxy.seen.length = 0;
    proxy.faults.push(503, 503, 503);
    const put = await through().presignPut({ key: 'down.bin' });
    const error = await rejection(upload(put, bytes, { retry: NO_DELAY }));
    expect(error).toMatchObject({ code: 'ERR_S3', status: 503, s3Code: 'SlowDown', requestId: 'FAULT' });
    expect(error.message).toContain('gave up after 3 attempts');
    expect(proxy.seen).toEqual([503, 503, 503]);

    proxy.seen.length = 0;
    proxy.faults.push('reset', 'reset', 'reset');
    expect((await rejection(upload(put, bytes, { retry: NO_DELAY }))).code).toBe('ERR_NETWORK');
    expect(proxy.seen).toEqual(['reset', 'reset', 'reset']);
  });
});
