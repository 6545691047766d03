/**
 * Issue 11, item 2: multipart without an SDK client. presignMultipart, completeMultipart,
 * abortMultipart and listParts sign their own requests and parse S3's XML, against the real test
 * server (through the multipart front, which answers ListParts and AbortMultipartUpload after
 * s3rver has verified their signatures; s3rver itself answers 405). Faults through the fault proxy.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadMultipart } from '../../src/consumer/multipart/index.js';
import type { Presigner } from '../../src/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { localPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

const MiB = 1024 ** 2;
let s3: RunningS3;
let front: MultipartFront;
let proxy: FaultProxy;
let presigner: Presigner;

beforeAll(async () => {
  s3 = await startS3();
  front = await startMultipartFront(s3.endpoint);
  proxy = await startFaultProxy(front.endpoint);
  presigner = localPresigner(front.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await front?.close();
  await s3?.close();
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('multipart without an SDK client', () => {
  it('creates, uploads 12 MiB in 5 MiB parts, lists, completes; the object reads back byte for byte', async () => {
    const bytes = new Uint8Array(randomBytes(12 * MiB));
    const upload = await presigner.presignMultipart({
      key: 'no-client/12mib.bin',
      size: bytes.length,
      partSize: 5 * MiB,
      contentType: 'application/x-test',
      metadata: { owner: 'ann' },
    });
    expect(front.created.has(upload.uploadId)).toBe(true);
    const result = await uploadMultipart(upload, new Blob([bytes]));
    expect(result.etag).toMatch(/-3"$/);
    const get = await presigner.presignGet({ key: upload.key });
    const back = await fetch(get.url);
    expect(back.headers.get('content-type')).toBe('application/x-test');
    expect(back.headers.get('x-amz-meta-owner')).toBe('ann');
    expect(sha(new Uint8Array(await back.arrayBuffer()))).toBe(sha(bytes));
  });

  it('lists the parts S3 holds, then completes with completeMultipart and aborts another with abortMultipart', async () => {
    const bytes = new Uint8Array(randomBytes(11 * MiB));
    const upload = await presigner.presignMultipart({
      key: 'no-client/listed.bin',
      size: bytes.length,
      partSize: 5 * MiB,
    });
    const etags: Array<{ partNumber: number; etag: string }> = [];
    for (const part of upload.parts) {
      const start = (part.partNumber - 1) * upload.partSize;
      const res = await fetch(part.request.url, {
        method: 'PUT',
        headers: part.request.headers,
        body: bytes.subarray(start, start + upload.partSize),
      });
      expect(res.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: res.headers.get('etag')! });
    }
    const listed = await presigner.listParts({ key: upload.key, uploadId: upload.uploadId });
    expect(listed.map((p) => [p.partNumber, p.etag, p.size])).toEqual([
      [1, etags[0]!.etag, 5 * MiB],
      [2, etags[1]!.etag, 5 * MiB],
      [3, etags[2]!.etag, 1 * MiB],
    ]);
    const done = await presigner.completeMultipart({ key: upload.key, uploadId: upload.uploadId, parts: etags });
    expect(done.etag).toMatch(/-3"$/);
    expect(front.completed.has(upload.uploadId)).toBe(true);

    const other = await presigner.presignMultipart({ key: 'no-client/aborted.bin', size: 6 * MiB, partSize: 5 * MiB });
    await presigner.abortMultipart({ key: other.key, uploadId: other.uploadId });
    expect(front.aborted.has(other.uploadId)).toBe(true);
    expect(front.open()).not.toContain(other.uploadId);
  });

  it("turns S3's error XML into ERR_S3 with its fields; completing an aborted upload finds no object", async () => {
    const upload = await presigner.presignMultipart({ key: 'no-client/gone.bin', size: 6 * MiB, partSize: 5 * MiB });
    await presigner.abortMultipart({ key: upload.key, uploadId: upload.uploadId });
    const error = await rejection(presigner.listParts({ key: upload.key, uploadId: upload.uploadId }));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'NoSuchUpload', status: 404, requestId: 'FRONT' });
    expect(error.s3Message).toMatch(/does not exist/);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/X-Amz-Signature|X-Amz-Credential/i);
    const completion = await rejection(
      presigner.completeMultipart({
        key: upload.key,
        uploadId: upload.uploadId,
        parts: [{ partNumber: 1, etag: '"e"' }],
      }),
    );
    expect(completion).toMatchObject({ code: 'ERR_S3', s3Code: 'NoSuchUpload', leftOpen: false });
  });

  it('pages through ListParts with part-number-marker: 3 parts from a server that answers 2 at a time', async () => {
    const paged = await startMultipartFront(s3.endpoint, { pageSize: 2 });
    try {
      const p = localPresigner(paged.endpoint);
      const bytes = new Uint8Array(randomBytes(11 * MiB));
      const upload = await p.presignMultipart({ key: 'no-client/paged.bin', size: bytes.length, partSize: 5 * MiB });
      for (const part of upload.parts) {
        const start = (part.partNumber - 1) * upload.partSize;
        const body = bytes.subarray(start, start + upload.partSize);
        expect((await fetch(part.request.url, { method: 'PUT', headers: part.request.headers, body })).status).toBe(
          200,
        );
      }
      const listed = await p.listParts({ key: upload.key, uploadId: upload.uploadId });
      expect(listed.map((part) => [part.partNumber, part.size])).toEqual([
        [1, 5 * MiB],
        [2, 5 * MiB],
        [3, 1 * MiB],
      ]);
      await p.abortMultipart({ key: upload.key, uploadId: upload.uploadId });
    } finally {
      await paged.close();
    }
  });

  it('retries a 503 and a reset, signing each attempt anew', async () => {
    const through = localPresigner(proxy.endpoint);
    proxy.faults.push(503, 'reset');
    const upload = await through.presignMultipart({ key: 'no-client/retried.bin', size: 6 * MiB, partSize: 5 * MiB });
    expect(front.created.has(upload.uploadId)).toBe(true);
    await through.abortMultipart({ key: upload.key, uploadId: upload.uploadId });
    expect(front.aborted.has(upload.uploadId)).toBe(true);
  });
});
