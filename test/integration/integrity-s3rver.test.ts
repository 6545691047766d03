/**
 * Issue 13 end to end: the library's checksums, conditions and owner guard against the real test
 * server with the integrity front in front of it (test/helpers/integrity-front.ts checks what s3rver
 * does not: checksums, conditional writes, the expected owner, unsigned headers). The oracles are
 * the AWS CRC libraries.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, upload } from '../../src/consumer/index.js';
import { uploadMultipart } from '../../src/consumer/multipart/index.js';
import { uploadFile } from '../../src/consumer/upload/index.js';
import type { Presigner } from '../../src/index.js';
import { createUploadHandler } from '../../src/server/index.js';
import { type IntegrityFront, startIntegrityFront } from '../helpers/integrity-front.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { localPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';
import { UPLOAD_SECRET } from '../helpers/upload-app.js';

const MiB = 1024 ** 2;
const randomBytes = (size: number): Uint8Array<ArrayBuffer> => new Uint8Array(nodeRandomBytes(size));
let s3: RunningS3;
let multipart: MultipartFront;
let front: IntegrityFront;
let presigner: Presigner;

beforeAll(async () => {
  s3 = await startS3();
  multipart = await startMultipartFront(s3.endpoint);
  front = await startIntegrityFront(multipart.endpoint);
  presigner = localPresigner(front.endpoint);
});
afterAll(async () => {
  await front?.close();
  await multipart?.close();
  await s3?.close();
});

async function crc64(bytes: Uint8Array): Promise<string> {
  const crc = new Crc64Nvme();
  crc.update(bytes);
  return Buffer.from(await crc.digest()).toString('base64');
}

const key = (name: string) => `integrity/${crypto.randomUUID()}/${name}`;

describe('single PUT with a checksum S3 enforces', () => {
  it('stores the bytes signed with their CRC64NVME, and S3 refuses other bytes (BadDigest)', async () => {
    const bytes = randomBytes(64 * 1024);
    const checksum = { algorithm: 'CRC64NVME' as const, value: await crc64(bytes) };
    const put = await presigner.presignPut({ key: key('a.bin'), contentLength: bytes.length, checksum });
    await upload(put, bytes);
    const other = randomBytes(64 * 1024);
    const again = await presigner.presignPut({ key: key('b.bin'), contentLength: other.length, checksum });
    const error = await rejection(upload(again, other));
    expect([error.code, error.status, error.s3Code]).toEqual(['ERR_S3', 400, 'BadDigest']);
  });
});

describe('conditional writes', () => {
  it('ifNoneMatch * creates once, then 412 is ERR_PRECONDITION_FAILED and not retried', async () => {
    const target = key('once.txt');
    const first = await presigner.presignPut({ key: target, contentLength: 3, ifNoneMatch: '*' });
    await upload(first, 'one');
    const second = await presigner.presignPut({ key: target, contentLength: 3, ifNoneMatch: '*' });
    const before = front.refused.length;
    const error = await rejection(upload(second, 'two', { retry: { limit: 3, backoffLimit: 0 } }));
    expect([error.code, error.status, error.s3Code]).toEqual(['ERR_PRECONDITION_FAILED', 412, 'PreconditionFailed']);
    expect(error.hint).toBeTruthy();
    expect(front.refused.length - before).toBe(1);
  });

  it('a 409 ConditionalRequestConflict is ERR_CONDITIONAL_CONFLICT, retried only when asked', async () => {
    const target = key('race.txt');
    front.conflictNext();
    const put = await presigner.presignPut({ key: target, contentLength: 2, ifNoneMatch: '*' });
    const error = await rejection(upload(put, 'ab', { retry: { limit: 3, backoffLimit: 0 } }));
    expect([error.code, error.status]).toEqual(['ERR_CONDITIONAL_CONFLICT', 409]);
    front.conflictNext();
    const done = await upload(put, 'ab', { retry: { limit: 3, backoffLimit: 0, statusCodes: [409] } });
    expect(done.status).toBe(200);
  });

  it('a multipart upload created with ifNoneMatch * cannot complete over an existing key, and is aborted', async () => {
    const target = key('big.bin');
    await upload(await presigner.presignPut({ key: target, contentLength: 1 }), 'x');
    const created = await presigner.presignMultipart({ key: target, size: 6 * MiB, ifNoneMatch: '*' });
    const error = await rejection(uploadMultipart(created, randomBytes(6 * MiB)));
    expect(error.code).toBe('ERR_PRECONDITION_FAILED');
    expect(error.leftOpen).toBe(false);
    expect(multipart.open()).not.toContain(created.uploadId);
  });
});

describe('the expected bucket owner', () => {
  it('passes for the owner and is refused (403) for another account', async () => {
    const mine = localPresigner(front.endpoint, { expectedBucketOwner: '111122223333' });
    await upload(await mine.presignPut({ key: key('own.txt'), contentLength: 2 }), 'ok');
    const theirs = localPresigner(front.endpoint, { expectedBucketOwner: '999999999999' });
    const error = await rejection(upload(await theirs.presignPut({ key: key('own.txt'), contentLength: 2 }), 'no'));
    expect([error.status, error.s3Code]).toEqual([403, 'AccessDenied']);
  });
});

describe('multipart with a FULL_OBJECT CRC64NVME checksum', () => {
  it('signs each part with its CRC, combines them into the object CRC S3 reports, without a second pass', async () => {
    const size = 12 * MiB + 123;
    const bytes = randomBytes(size);
    const created = await presigner.presignMultipart({
      key: key('full.bin'),
      size,
      partSize: 5 * MiB,
      checksumAlgorithm: 'CRC64NVME',
    });
    expect(created.parts).toEqual([]);
    const result = await uploadMultipart(created, bytes, {
      signParts: (partNumbers, checksums) =>
        presigner.presignParts({
          key: created.key,
          uploadId: created.uploadId,
          partNumbers,
          size,
          partSize: created.partSize,
          checksumAlgorithm: 'CRC64NVME',
          checksums,
        }),
    });
    const whole = await crc64(bytes);
    expect(result.checksum).toMatchObject({ algorithm: 'CRC64NVME', value: whole, type: 'FULL_OBJECT' });
    expect(
      front.checksums.get(`/${created.bucket}/${created.key.split('/').map(encodeURIComponent).join('/')}`)?.value,
    ).toBe(whole);
  });
});

describe('verified downloads', () => {
  it('checks the bytes against the object checksum S3 sends, and fails on other bytes', async () => {
    const bytes = randomBytes(300 * 1024);
    const target = key('read.bin');
    await upload(await presigner.presignPut({ key: target, contentLength: bytes.length }), bytes);
    const get = await presigner.presignGet({ key: target, checksumMode: true });
    const { body, checksum } = await download(get, { as: 'arrayBuffer', verifyChecksum: true });
    expect(new Uint8Array(body)).toEqual(bytes);
    expect(checksum).toEqual({ verified: true, algorithm: 'CRC64NVME', value: await crc64(bytes) });

    // One byte changed on the way: the download fails, whatever the form asked for.
    const tamper: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const changed = new Uint8Array(await response.arrayBuffer());
      changed[1000] = (changed[1000]! + 1) % 256;
      return new Response(changed, response);
    };
    for (const as of ['blob', 'stream'] as const) {
      const attempt = download(get, { as, verifyChecksum: true, fetch: tamper, retry: 0 }).then(async (r) =>
        as === 'stream' ? new Response(r.body as ReadableStream).arrayBuffer() : r.body,
      );
      expect((await rejection(attempt)).code).toBe('ERR_CHECKSUM_MISMATCH');
    }
  });

  it('says when there is nothing to compare: unsigned checksum mode and ranges before the network, none sent after', async () => {
    const target = key('none.bin');
    await upload(await presigner.presignPut({ key: target, contentLength: 4 }), 'abcd');
    let sent = 0;
    const counting: typeof fetch = (input, init) => {
      sent++;
      return fetch(input, init);
    };
    const plain = await presigner.presignGet({ key: target });
    const ranged = await presigner.presignGet({ key: target, checksumMode: true, range: { start: 1, end: 2 } });
    for (const request of [plain, ranged]) {
      const error = await rejection(download(request, { verifyChecksum: true, fetch: counting }));
      expect(error.code).toBe('ERR_CHECKSUM_UNAVAILABLE');
    }
    expect(sent).toBe(0);
    const lenient = await download(ranged, { as: 'text', verifyChecksum: 'if-present' });
    expect(lenient.body).toBe('bc');
    expect(lenient.checksum).toMatchObject({ verified: false, reason: expect.stringContaining('range') });
    // A server (or CORS) that sends no checksum header: refused, and said why.
    const stripped: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      for (const name of [...headers.keys()]) if (name.startsWith('x-amz-checksum')) headers.delete(name);
      return new Response(response.body, { status: response.status, headers });
    };
    const get = await presigner.presignGet({ key: target, checksumMode: true });
    const error = await rejection(download(get, { verifyChecksum: true, fetch: stripped }));
    expect(error.message).toContain('no x-amz-checksum-* header');
  });
});

describe('upload handler routes with a checksum, create only', () => {
  function app(routes: Parameters<typeof createUploadHandler>[0]['routes']) {
    const uploads = createUploadHandler({
      presigner,
      secret: UPLOAD_SECRET,
      authorize: () => ({ id: 'user-1' }),
      routes,
    });
    const viaApp = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith('http://app/')) {
        if (init?.method === 'PUT') puts.push(new Headers(init.headers).get('x-amz-checksum-crc64nvme'));
        return fetch(input, init);
      }
      return uploads.fetch(new Request(url, init));
    };
    return viaApp as typeof fetch;
  }
  /** The CRC64NVME header of every PUT (single or part) sent to S3. */
  const puts: Array<string | null> = [];

  it.each([
    ['single PUT', 1 * MiB],
    ['multipart', 11 * MiB + 7],
  ])('a CRC64NVME route: uploadFile computes it, S3 checks it (%s)', async (_kind, size) => {
    const target = key(`route-${size}.bin`);
    const fetcher = app({
      files: {
        maxSize: 64 * MiB,
        key: () => target,
        checksum: 'CRC64NVME',
        multipart: { threshold: 5 * MiB, partSize: 5 * MiB },
      },
    });
    const bytes = randomBytes(size);
    const file = new Blob([bytes], { type: 'application/octet-stream' });
    const done = await uploadFile(file, {
      endpoint: 'http://app/api/upload',
      route: 'files',
      fetch: fetcher,
      resume: false,
    });
    expect(done.size).toBe(size);
    expect(puts.length).toBe(size > 5 * MiB ? 3 : 1);
    expect(puts.every((value) => typeof value === 'string' && value.length === 12)).toBe(true);
    puts.length = 0;
    const stored = front.checksums.get(`/${'test-bucket'}/${target.split('/').map(encodeURIComponent).join('/')}`);
    expect(stored).toMatchObject({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', value: await crc64(bytes) });
  });

  it('a createOnly route never overwrites: the second upload to the key is ERR_PRECONDITION_FAILED (412)', async () => {
    const target = key('profile.json');
    const fetcher = app({ profile: { maxSize: MiB, key: () => target, createOnly: true } });
    const options = { endpoint: 'http://app/api/upload', route: 'profile', fetch: fetcher, resume: false };
    await uploadFile(new Blob(['{"a":1}'], { type: 'application/json' }), options);
    const error = await rejection(uploadFile(new Blob(['{"a":2}'], { type: 'application/json' }), options));
    expect(error.code).toBe('ERR_PRECONDITION_FAILED');
  });
});
