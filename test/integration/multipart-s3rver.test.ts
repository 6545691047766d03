import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/consumer/index.js';
import {
  type CompletedPart,
  type MultipartState,
  type MultipartUpload,
  uploadMultipart,
} from '../../src/consumer/multipart/index.js';
import type { Presigner } from '../../src/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { localClientPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

const MiB = 1024 ** 2;
let s3: RunningS3;
let dir: string;
let path: string;
let source: Buffer;
let sourceSha: string;

beforeAll(async () => {
  s3 = await startS3();
  dir = await mkdtemp(join(tmpdir(), 's3-presign-multipart-'));
  path = join(dir, 'source.bin');
  source = randomBytes(32 * MiB);
  sourceSha = createHash('sha256').update(source).digest('hex');
  await writeFile(path, source);
});
afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

function presignerFor(endpoint: string, now?: () => Date): Presigner {
  return localClientPresigner(endpoint, now ? { now } : {});
}

async function storedSha(p: Presigner, key: string): Promise<string> {
  const get = await p.presignGet({ key });
  const res = await fetch(get.url);
  expect(res.status).toBe(200);
  return createHash('sha256')
    .update(Buffer.from(await res.arrayBuffer()))
    .digest('hex');
}

function partPuts(since: number): string[] {
  return s3.requests
    .slice(since)
    .filter((r) => r.method === 'PUT' && r.url.includes('partNumber='))
    .map((r) => new URL(r.url, 'http://x').searchParams.get('partNumber') ?? '');
}

describe('multipart against s3rver', () => {
  it('uploads 32 MiB from disk in 5 MiB parts, completes with the presigned complete, bytes equal', async () => {
    const p = presignerFor(s3.endpoint);
    const blob = await openAsBlob(path);
    const upload = await p.presignMultipart({
      key: 'big/32mib.bin',
      size: blob.size,
      partSize: 5 * MiB,
      contentType: 'application/x-test',
      metadata: { origin: 'multipart-test' },
    });
    expect(upload.partCount).toBe(7);
    const progress: Progress[] = [];
    const states: MultipartState[] = [];
    const result = await uploadMultipart(upload, blob, {
      onProgress: (e) => progress.push(e),
      onState: (s) => states.push(s),
    });

    expect(result.parts.map((x) => x.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.parts.every((x) => /^"[0-9a-f]{32}"$/.test(x.etag))).toBe(true);
    expect(result.etag).toMatch(/[0-9a-f]{32}/);
    expect(await storedSha(p, 'big/32mib.bin')).toBe(sourceSha);

    // Progress: monotonic, within bounds, 100% once and last.
    const bytes = progress.map((e) => e.transferredBytes);
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThan(bytes[i - 1] as number);
    expect(progress.at(-1)).toEqual({ transferredBytes: 32 * MiB, totalBytes: 32 * MiB, percent: 100 });
    expect(progress.filter((e) => e.percent === 100)).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(8);
    // The state grows part by part and ends with every part.
    expect(states[0]?.parts).toEqual([]);
    expect(states.at(-1)?.parts).toHaveLength(7);
    expect(states.at(-1)).toMatchObject({ uploadId: upload.uploadId, key: 'big/32mib.bin', partSize: 5 * MiB });

    // The object keeps the content-type and metadata set at create.
    const head = await fetch((await p.presignHead({ key: 'big/32mib.bin' })).url, { method: 'HEAD' });
    expect(head.headers.get('content-type')).toBe('application/x-test');
    expect(head.headers.get('x-amz-meta-origin')).toBe('multipart-test');
  });

  it('resumes after an abort half-way: only the missing parts are sent', async () => {
    const p = presignerFor(s3.endpoint);
    const blob = await openAsBlob(path);
    const upload: MultipartUpload = await p.presignMultipart({
      key: 'big/resumed.bin',
      size: blob.size,
      partSize: 5 * MiB,
    });
    const controller = new AbortController();
    let saved: MultipartState | undefined;
    const error = await rejection(
      uploadMultipart(upload, blob, {
        concurrency: 2,
        keepOnFailure: true,
        signal: controller.signal,
        onState: (state) => {
          saved = JSON.parse(JSON.stringify(state));
          if (state.parts.length >= 3) controller.abort(new Error('the user closed the tab'));
        },
      }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    // keepOnFailure: no abort was sent.
    expect(s3.requests.some((r) => r.method === 'DELETE' && r.url.includes(upload.uploadId))).toBe(false);
    const done = saved?.parts ?? [];
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.length).toBeLessThan(7);

    const mark = s3.requests.length;
    const progress: Progress[] = [];
    const result = await uploadMultipart(upload, blob, { resume: done, onProgress: (e) => progress.push(e) });
    const sent = partPuts(mark)
      .map(Number)
      .sort((a, b) => a - b);
    const missing = [1, 2, 3, 4, 5, 6, 7].filter((n) => !done.some((d) => d.partNumber === n));
    expect(sent).toEqual(missing);
    expect(result.parts).toHaveLength(7);
    // Resumed parts count as transferred from the start.
    expect(progress[0]?.transferredBytes).toBe(done.length * 5 * MiB);
    expect(await storedSha(p, 'big/resumed.bin')).toBe(sourceSha);
  });

  it('signs parts lazily in batches through signParts and completes through a server callback', async () => {
    const p = presignerFor(s3.endpoint);
    const data = source.subarray(0, 21 * MiB);
    const upload = await p.presignMultipart({
      key: 'lazy.bin',
      size: data.byteLength,
      partSize: 5 * MiB,
      initialParts: 1,
    });
    const asked: number[][] = [];
    let completedWith: CompletedPart[] = [];
    const result = await uploadMultipart(upload, new Blob([new Uint8Array(data)]), {
      concurrency: 2,
      signParts: async (partNumbers) => {
        asked.push(partNumbers);
        return p.presignParts({
          key: 'lazy.bin',
          uploadId: upload.uploadId,
          partNumbers,
          size: upload.size,
          partSize: upload.partSize,
        });
      },
      complete: async (parts) => {
        completedWith = parts;
        return p.completeMultipart({ key: 'lazy.bin', uploadId: upload.uploadId, parts });
      },
    });
    expect(asked.flat().sort()).toEqual([2, 3, 4, 5]);
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(completedWith.map((x) => x.partNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(result.etag).not.toBe('');
    expect(
      createHash('sha256')
        .update(Buffer.from(await (await fetch((await p.presignGet({ key: 'lazy.bin' })).url)).arrayBuffer()))
        .digest('hex'),
    ).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('sends SHA-256 checksums computed by the consumer, signed per part by the server', async () => {
    const p = presignerFor(s3.endpoint);
    const data = source.subarray(0, 11 * MiB);
    const upload = await p.presignMultipart({
      key: 'checksummed.bin',
      size: data.byteLength,
      partSize: 5 * MiB,
      checksumAlgorithm: 'SHA256',
    });
    expect(upload.parts).toEqual([]);
    const mark = s3.requests.length;
    const result = await uploadMultipart(upload, new Blob([new Uint8Array(data)]), {
      signParts: (partNumbers, checksums) =>
        p.presignParts({
          key: 'checksummed.bin',
          uploadId: upload.uploadId,
          partNumbers,
          size: upload.size,
          partSize: upload.partSize,
          checksumAlgorithm: 'SHA256',
          ...(checksums === undefined ? {} : { checksums }),
        }),
    });
    const expected = [0, 1, 2].map((i) =>
      createHash('sha256')
        .update(data.subarray(i * 5 * MiB, (i + 1) * 5 * MiB))
        .digest('base64'),
    );
    expect(result.parts.map((x) => x.checksum)).toEqual(expected);
    // Each part went with its signed checksum header, which the server verified as signed.
    const sent = s3.requests.slice(mark).filter((r) => r.method === 'PUT');
    expect(sent.map((r) => r.headers['x-amz-checksum-sha256']).sort()).toEqual([...expected].sort());
    expect(await storedSha(p, 'checksummed.bin')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('re-signs a part S3 refused as expired, and retries it once', async () => {
    // The consumer's clock is frozen at the signing instant, so it sends the stale parts; s3rver, on the
    // real clock, answers 403 "Request has expired"; signParts re-signs on the real clock.
    const past = new Date(Date.now() - 3600_000);
    let clock = past.getTime();
    const p = presignerFor(s3.endpoint, () => new Date(clock));
    const data = source.subarray(0, 11 * MiB);
    const upload = await p.presignMultipart({
      key: 'expired.bin',
      size: data.byteLength,
      partSize: 5 * MiB,
      expiresIn: 60,
    });
    const resigned: number[] = [];
    const mark = s3.requests.length;
    const result = await uploadMultipart(upload, new Blob([new Uint8Array(data)]), {
      concurrency: 1,
      now: () => clock,
      signParts: async (partNumbers) => {
        resigned.push(...partNumbers);
        clock = Date.now();
        return p.presignParts({
          key: 'expired.bin',
          uploadId: upload.uploadId,
          partNumbers,
          size: upload.size,
          partSize: upload.partSize,
        });
      },
      signRequest: async () => {
        throw new Error('not expected');
      },
      // The complete was signed an hour ago: complete on the server instead.
      complete: (parts) => p.completeMultipart({ key: 'expired.bin', uploadId: upload.uploadId, parts }),
    });
    expect(resigned[0]).toBe(1);
    expect(result.parts).toHaveLength(3);
    // Part 1 went twice (refused, then re-signed); the others were re-signed before sending once the clock moved.
    expect(partPuts(mark).filter((n) => n === '1')).toHaveLength(2);
    expect(await storedSha(p, 'expired.bin')).toBe(createHash('sha256').update(data).digest('hex'));
  });
});

describe('multipart through the fault-injecting proxy', () => {
  let proxy: FaultProxy | undefined;
  afterAll(async () => {
    await proxy?.close();
  });

  /** The SDK calls (create) go straight to the server; the signed requests go through the proxy. */
  function presignerVia(endpoint: string): Presigner {
    return localClientPresigner(s3.endpoint, { endpoint, forcePathStyle: true });
  }

  it('completes with the right bytes when part requests reset, answer 500 and answer 503', async () => {
    proxy = await startFaultProxy(s3.endpoint);
    const data = source.subarray(0, 16 * MiB);
    const upload = await presignerVia(proxy.endpoint).presignMultipart({
      key: 'faulty.bin',
      size: data.byteLength,
      partSize: 5 * MiB,
    });
    // The first three of the four parts in flight fail once each.
    proxy.faults.push('reset', 500, 503);
    const result = await uploadMultipart(upload, new Blob([new Uint8Array(data)]), {
      retry: { limit: 2, backoffLimit: 0 },
    });
    expect(result.parts).toHaveLength(4);
    expect(proxy.seen.filter((f) => f !== 'pass')).toEqual(['reset', 500, 503]);
    // Four parts, three of them twice, and the complete.
    expect(proxy.seen).toHaveLength(8);
    expect(await storedSha(presignerFor(s3.endpoint), 'faulty.bin')).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
    await proxy.close();
    proxy = undefined;
  });

  it('fails past the retry budget, sends the abort, completes nothing and leaves no object', async () => {
    proxy = await startFaultProxy(s3.endpoint);
    const data = source.subarray(0, 16 * MiB);
    const upload = await presignerVia(proxy.endpoint).presignMultipart({
      key: 'doomed.bin',
      size: data.byteLength,
      partSize: 5 * MiB,
    });
    // Parts 1 and 2 pass; part 3 gets 503 on its first attempt and on both retries.
    proxy.faults.push('pass', 'pass', 503, 503, 503);
    const mark = s3.requests.length;
    const error = await rejection(
      uploadMultipart(upload, new Blob([new Uint8Array(data)]), {
        concurrency: 1,
        retry: { limit: 2, backoffLimit: 0 },
      }),
    );
    expect(error).toMatchObject({ code: 'ERR_S3', status: 503, s3Code: 'SlowDown' });
    // Three attempts of part 3, then the abort; part 4 never started, no complete was sent.
    expect(proxy.seen).toEqual(['pass', 'pass', 503, 503, 503, 'pass']);
    const reached = s3.requests
      .slice(mark)
      .map((r) => `${r.method} ${new URL(r.url, 'http://x').searchParams.get('partNumber') ?? ''}`);
    expect(reached).toEqual(['PUT 1', 'PUT 2', 'DELETE ']);
    expect(s3.requests.at(-1)?.url).toContain(`uploadId=${upload.uploadId}`);
    // s3rver 4.0.4 answers the abort 405 (not implemented); the abort path is proven against a mock.
    const head = await fetch((await presignerFor(s3.endpoint).presignHead({ key: 'doomed.bin' })).url, {
      method: 'HEAD',
    });
    expect(head.status).toBe(404);
  });
});
