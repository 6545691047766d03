import { createHash } from 'node:crypto';
import { AwsCrc32 } from '@aws-crypto/crc32';
import { CreateMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/consumer/index.js';
import { type MultipartOptions, type MultipartUpload, uploadMultipart } from '../../src/consumer/multipart/index.js';
import { createPresigner, type PresignedMultipart, type PresignedRequest } from '../../src/index.js';
import { fakeS3, s3Error } from '../helpers/fake-s3.js';
import { rejection } from '../helpers/rejection.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signedAt = new Date('2026-11-29T12:00:00Z');
const now = () => signedAt.getTime() + 1000;
const SHA = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
const presigner = createPresigner({ region: 'eu-west-1', credentials, bucket: 'bucket-1', now: () => signedAt });
const KEY = 'k.bin';
const UPLOAD_ID = 'U1';

async function sign(
  partNumbers: number[],
  extra: { expiresIn?: number; signingDate?: Date; checksums?: Record<number, string> } = {},
) {
  return presigner.presignParts({
    key: KEY,
    uploadId: UPLOAD_ID,
    partNumbers,
    ...(extra.expiresIn === undefined ? {} : { expiresIn: extra.expiresIn }),
    ...(extra.signingDate === undefined ? {} : { signingDate: extra.signingDate }),
    ...(extra.checksums === undefined ? {} : { checksumAlgorithm: 'SHA256' as const, checksums: extra.checksums }),
  });
}

async function signed(method: 'POST' | 'DELETE', expiresIn = 900): Promise<PresignedRequest> {
  return presigner.presign({ method, key: KEY, query: { uploadId: UPLOAD_ID }, expiresIn });
}

/** Sizes in these tests are in units of 512 KiB: parts of 10 units are S3's smallest, 5 MiB. */
const U = 512 * 1024;

/** An upload of `units` * 512 KiB in parts of 5 MiB (10 units). */
async function makeUpload(units: number, signedParts?: number[]): Promise<MultipartUpload> {
  const size = units * U;
  const partSize = 10 * U;
  const partCount = Math.max(1, Math.ceil(size / partSize));
  const numbers = signedParts ?? Array.from({ length: partCount }, (_, i) => i + 1);
  return {
    bucket: 'bucket-1',
    key: KEY,
    uploadId: UPLOAD_ID,
    size,
    partSize,
    partCount,
    parts: await sign(numbers),
    complete: await signed('POST'),
    abort: await signed('DELETE'),
  };
}

/** `units` * 512 KiB of a-z, repeating. */
function body(units: number): Uint8Array {
  const bytes = new Uint8Array(units * U);
  for (let i = 0; i < bytes.length; i++) bytes[i] = 97 + (i % 26);
  return bytes;
}

function options(s3: ReturnType<typeof fakeS3>, more: MultipartOptions = {}): MultipartOptions {
  return { fetch: s3.fetch, now, retry: { limit: 2, backoffLimit: 0 }, ...more };
}

describe('uploadMultipart', () => {
  it('sends every part, then completes with the XML body in part order, and returns the ETags', async () => {
    // Part 1 answers last: completion order must not decide the XML order.
    const s3 = fakeS3();
    const upload = await makeUpload(35);
    const result = await uploadMultipart(upload, new Blob([new Uint8Array(body(35))]), options(s3));
    expect(s3.parts().sort()).toEqual([1, 2, 3, 4]);
    const put = s3.calls.filter((c) => c.method === 'PUT');
    expect(put.find((c) => c.partNumber === 4)?.body).toBe(Buffer.from(body(35).subarray(30 * U)).toString());
    const complete = s3.calls.find((c) => c.method === 'POST');
    expect(complete?.body).toBe(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Part><PartNumber>1</PartNumber><ETag>"etag-1"</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>"etag-2"</ETag></Part>' +
        '<Part><PartNumber>3</PartNumber><ETag>"etag-3"</ETag></Part>' +
        '<Part><PartNumber>4</PartNumber><ETag>"etag-4"</ETag></Part>' +
        '</CompleteMultipartUpload>',
    );
    expect(result).toEqual({
      etag: '"whole-3"',
      location: 'https://b/k.bin',
      parts: [1, 2, 3, 4].map((n) => ({ partNumber: n, etag: `"etag-${n}"`, size: (n === 4 ? 5 : 10) * U })),
    });
    expect(s3.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('sends each part checksum in the completion when the parts were signed with one', async () => {
    const s3 = fakeS3();
    const upload = { ...(await makeUpload(15)), parts: await sign([1, 2], { checksums: { 1: SHA, 2: SHA } }) };
    const result = await uploadMultipart(upload, body(15), options(s3));
    expect(s3.calls.find((c) => c.method === 'POST')?.body).toContain(`<ChecksumSHA256>${SHA}</ChecksumSHA256>`);
    expect(result.parts[0]).toEqual({ partNumber: 1, etag: '"etag-1"', size: 10 * U, checksum: SHA });
  });

  it('escapes the XML-special characters of an ETag in the completion body, parts in order', async () => {
    // Part 1's answer is held back, so part 2 finishes first: the body is still in part order.
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const s3 = fakeS3((call) => {
      if (call.method !== 'PUT') return undefined;
      if (call.partNumber === 2) {
        setTimeout(releaseFirst, 0);
        return new Response(null, { status: 200, headers: { etag: '"b&<"' } });
      }
      return firstHeld.then(() => new Response(null, { status: 200, headers: { etag: '"a"' } }));
    });
    await uploadMultipart(await makeUpload(15), body(15), options(s3, { concurrency: 2 }));
    expect(s3.calls.find((c) => c.method === 'POST')?.body).toBe(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Part><PartNumber>1</PartNumber><ETag>"a"</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>"b&amp;&lt;"</ETag></Part>' +
        '</CompleteMultipartUpload>',
    );
  });

  it('computes SHA-256 part checksums for signParts when the upload checks them, and completes with them', async () => {
    const s3 = fakeS3();
    const data = body(25);
    const upload: MultipartUpload = { ...(await makeUpload(25, [])), checksumAlgorithm: 'SHA256' };
    const given: Array<Record<number, string> | undefined> = [];
    await uploadMultipart(
      upload,
      new Blob([new Uint8Array(data)]),
      options(s3, {
        signParts: async (numbers, checksums) => {
          given.push(checksums);
          return sign(numbers, checksums === undefined ? {} : { checksums });
        },
      }),
    );
    const expected = [0, 10 * U, 20 * U].map((start) =>
      createHash('sha256')
        .update(data.subarray(start, start + 10 * U))
        .digest('base64'),
    );
    expect(given).toEqual([{ 1: expected[0], 2: expected[1], 3: expected[2] }]);
    const xml = s3.calls.find((c) => c.method === 'POST')?.body ?? '';
    for (const value of expected) expect(xml).toContain(`<ChecksumSHA256>${value}</ChecksumSHA256>`);
  });

  it('computes CRC part checksums too (CRC32, one chunk at a time), as the oracle does', async () => {
    const s3 = fakeS3();
    const upload: MultipartUpload = { ...(await makeUpload(15, [])), checksumAlgorithm: 'CRC32' };
    const data = body(15);
    const given: unknown[] = [];
    await uploadMultipart(
      upload,
      data,
      options(s3, {
        signParts: async (numbers, checksums) => {
          given.push(checksums);
          return sign(numbers);
        },
      }),
    );
    const expected: Record<number, string> = {};
    for (let n = 1; n <= upload.partCount!; n++) {
      const part = data.subarray((n - 1) * upload.partSize, n * upload.partSize);
      const crc = new AwsCrc32();
      crc.update(part);
      expected[n] = Buffer.from(await crc.digest()).toString('base64');
    }
    expect(given).toEqual([expected]);
  });

  it.each([
    [undefined, 4],
    [2, 2],
    [1, 1],
  ])('keeps at most `concurrency` (%s) parts in flight (%s)', async (concurrency, expected) => {
    const s3 = fakeS3();
    const upload = await makeUpload(100);
    await uploadMultipart(upload, body(100), options(s3, concurrency === undefined ? {} : { concurrency }));
    expect(s3.maxInFlight).toBe(expected);
    expect(s3.parts()).toHaveLength(10);
  });

  it('reports progress over the whole object, monotonic, not counting a failed attempt twice, 100% once at the end', async () => {
    const s3 = fakeS3((call, attempt) =>
      call.method === 'PUT' && call.partNumber === 2 && attempt === 1 ? s3Error(500, 'InternalError') : undefined,
    );
    const upload = await makeUpload(35);
    const events: Progress[] = [];
    await uploadMultipart(upload, body(35), options(s3, { concurrency: 2, onProgress: (e) => events.push(e) }));
    const bytes = events.map((e) => e.transferredBytes);
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThan(bytes[i - 1] as number);
    expect(Math.max(...bytes)).toBe(35 * U);
    expect(events.filter((e) => e.transferredBytes === 35 * U)).toHaveLength(1);
    expect(events.at(-1)).toEqual({ transferredBytes: 35 * U, totalBytes: 35 * U, percent: 100 });
    // Part 2 was sent twice, yet progress never passed the size.
    expect(s3.parts().filter((n) => n === 2)).toHaveLength(2);
  });

  it('signs missing parts lazily, in batches, each part once', async () => {
    const s3 = fakeS3();
    const upload = await makeUpload(120, [1]);
    const asked: number[][] = [];
    await uploadMultipart(
      upload,
      body(120),
      options(s3, {
        concurrency: 2,
        signParts: async (numbers) => {
          asked.push(numbers);
          return sign(numbers);
        },
      }),
    );
    expect(asked.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 2));
    expect(asked.length).toBeLessThanOrEqual(4);
    expect(asked[0]?.length).toBe(8);
    expect(s3.parts()).toHaveLength(12);
  });

  it('re-signs ahead of sending a part whose signature has expired', async () => {
    const s3 = fakeS3();
    const upload = await makeUpload(20);
    upload.parts = await sign([1, 2], { expiresIn: 60, signingDate: new Date(signedAt.getTime() - 3600_000) });
    const asked: number[][] = [];
    await uploadMultipart(
      upload,
      body(20),
      options(s3, {
        // The server's time when the upload was received: its parts were signed an hour before.
        serverTime: now(),
        signParts: async (n) => {
          asked.push(n);
          return sign(n);
        },
      }),
    );
    expect(asked.flat().sort()).toEqual([1, 2]);
    expect(s3.parts()).toHaveLength(2);
  });

  it('re-signs a part S3 refuses with 403 "Request has expired" and retries it, once', async () => {
    const expired = () =>
      s3Error(403, 'AccessDenied', 'Request has expired', '<Expires>2026-11-29T00:05:00Z</Expires>');
    const s3 = fakeS3((call, attempt) =>
      call.method === 'PUT' && call.partNumber === 1 && attempt === 1 ? expired() : undefined,
    );
    const upload = await makeUpload(20);
    const asked: number[][] = [];
    const result = await uploadMultipart(
      upload,
      body(20),
      options(s3, {
        signParts: async (n) => {
          asked.push(n);
          return sign(n);
        },
      }),
    );
    expect(asked).toEqual([[1]]);
    expect(result.parts).toHaveLength(2);

    const always = fakeS3((call) => (call.method === 'PUT' && call.partNumber === 1 ? expired() : undefined));
    const error = await rejection(
      uploadMultipart(await makeUpload(20), body(20), options(always, { signParts: async (n) => sign(n) })),
    );
    expect(error).toMatchObject({ code: 'ERR_EXPIRED', status: 403 });
    expect(always.parts().filter((n) => n === 1)).toHaveLength(2);
  });

  it('fails with ERR_ETAG_UNREADABLE naming the CORS fix when the ETag cannot be read, and aborts', async () => {
    const s3 = fakeS3((call) => (call.method === 'PUT' ? new Response(null, { status: 200 }) : undefined));
    const error = await rejection(uploadMultipart(await makeUpload(20), body(20), options(s3)));
    expect(error.code).toBe('ERR_ETAG_UNREADABLE');
    expect(error.message).toContain('<ExposeHeader>ETag</ExposeHeader>');
    expect(s3.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(s3.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('aborts after the parts in flight settle when a part fails past its retries, and rejects with that error', async () => {
    const s3 = fakeS3((call) => {
      if (call.method !== 'PUT') return undefined;
      if (call.partNumber === 3) return s3Error(503, 'SlowDown');
      return call.partNumber === 1 || call.partNumber === 2 || call.partNumber === 4 ? 'hang' : undefined;
    });
    const error = await rejection(uploadMultipart(await makeUpload(100), body(100), options(s3)));
    expect(error).toMatchObject({ code: 'ERR_S3', status: 503, s3Code: 'SlowDown' });
    // The message names the request, never its signature or credential.
    expect(error.message).toContain('partNumber=3');
    expect(error.message).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
    expect(error.message).not.toContain('AKIDEXAMPLE');
    // Three attempts of part 3, the parts in flight cancelled, no part started after the failure.
    expect(s3.parts().filter((n) => n === 3)).toHaveLength(3);
    expect(s3.parts().every((n) => (n ?? 0) <= 4)).toBe(true);
    expect(s3.calls.filter((c) => c.method === 'PUT' && c.partNumber !== 3).every((c) => c.signal?.aborted)).toBe(true);
    expect(s3.calls.at(-1)?.method).toBe('DELETE');
  });

  it('keeps the upload with keepOnFailure', async () => {
    const s3 = fakeS3((call) =>
      call.method === 'PUT' && call.partNumber === 2 ? s3Error(400, 'BadDigest') : undefined,
    );
    const error = await rejection(
      uploadMultipart(await makeUpload(20), body(20), options(s3, { keepOnFailure: true })),
    );
    expect(error.s3Code).toBe('BadDigest');
    expect(s3.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('aborts through the abort callback when given, and keeps the first error when the abort fails', async () => {
    const s3 = fakeS3((call) => (call.method === 'PUT' ? s3Error(400, 'InvalidArgument') : undefined));
    let aborted = 0;
    const error = await rejection(
      uploadMultipart(
        await makeUpload(20),
        body(20),
        options(s3, {
          abort: async () => {
            aborted++;
            throw new Error('server down');
          },
        }),
      ),
    );
    expect(error.s3Code).toBe('InvalidArgument');
    expect(aborted).toBe(1);
    expect(s3.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('stops every transfer at once on abort, starts no new part, aborts on S3 and rejects with ERR_ABORTED', async () => {
    const controller = new AbortController();
    const s3 = fakeS3((call) => {
      if (call.method !== 'PUT') return undefined;
      if (call.partNumber === 2) controller.abort(new Error('user'));
      return 'hang';
    });
    const error = await rejection(
      uploadMultipart(await makeUpload(100), body(100), options(s3, { signal: controller.signal })),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(s3.parts().length).toBeLessThanOrEqual(4);
    expect(s3.calls.filter((c) => c.method === 'PUT').every((c) => c.signal?.aborted)).toBe(true);
    expect(s3.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(s3.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('rejects at once with ERR_ABORTED, sending nothing, when the signal is already aborted', async () => {
    const s3 = fakeS3();
    const error = await rejection(
      uploadMultipart(await makeUpload(20), body(20), options(s3, { signal: AbortSignal.abort() })),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(s3.calls).toHaveLength(0);
  });

  it('retries a completion S3 failed in the body of a 200, and fails (then aborts) on one it cannot retry', async () => {
    const inBody = (code: string) =>
      new Response(`<Error><Code>${code}</Code><Message>m</Message></Error>`, { status: 200 });
    const flaky = fakeS3((call, attempt) =>
      call.method === 'POST' && attempt === 1 ? inBody('InternalError') : undefined,
    );
    const done = await uploadMultipart(await makeUpload(20), body(20), options(flaky));
    expect(done.etag).toBe('"whole-3"');
    expect(flaky.calls.filter((c) => c.method === 'POST')).toHaveLength(2);

    const bad = fakeS3((call) => (call.method === 'POST' ? inBody('InvalidPart') : undefined));
    const error = await rejection(uploadMultipart(await makeUpload(20), body(20), options(bad)));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'InvalidPart' });
    expect(bad.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(bad.calls.at(-1)?.method).toBe('DELETE');
  });

  it('completes through the complete callback with the parts in order', async () => {
    const s3 = fakeS3();
    const upload = await makeUpload(25);
    delete upload.complete;
    let given: unknown;
    const result = await uploadMultipart(
      upload,
      body(25),
      options(s3, {
        complete: async (parts) => {
          given = parts;
          return { etag: '"server"', versionId: 'v9' };
        },
      }),
    );
    expect(given).toEqual([1, 2, 3].map((n) => ({ partNumber: n, etag: `"etag-${n}"`, size: (n === 3 ? 5 : 10) * U })));
    expect(result).toMatchObject({ etag: '"server"', versionId: 'v9' });
    expect(s3.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('re-signs an expired complete through signRequest', async () => {
    const s3 = fakeS3();
    const upload = await makeUpload(20);
    upload.complete = await presigner.presign({
      method: 'POST',
      key: KEY,
      query: { uploadId: UPLOAD_ID },
      expiresIn: 1,
      signingDate: new Date(signedAt.getTime() - 60_000),
    });
    const kinds: string[] = [];
    await uploadMultipart(
      upload,
      body(20),
      options(s3, {
        signRequest: async (kind) => {
          kinds.push(kind);
          return signed('POST');
        },
      }),
    );
    expect(kinds).toEqual(['complete']);
  });

  it('resumes: skips the parts given, sends the rest, and re-sends a resumed part of the wrong size', async () => {
    const s3 = fakeS3();
    const events: Progress[] = [];
    const result = await uploadMultipart(
      await makeUpload(35),
      body(35),
      options(s3, {
        resume: [
          { partNumber: 1, etag: '"old-1"' },
          { partNumber: 3, etag: '"old-3"', size: 10 * U },
          { partNumber: 4, etag: '"old-4"', size: 10 * U },
        ],
        onProgress: (e) => events.push(e),
      }),
    );
    expect(s3.parts().sort()).toEqual([2, 4]);
    expect(result.parts.map((p) => p.etag)).toEqual(['"old-1"', '"etag-2"', '"old-3"', '"etag-4"']);
    expect(events[0]?.transferredBytes).toBe(20 * U);
  });

  it('publishes the state to resume from at the start and after every part', async () => {
    const s3 = fakeS3();
    const states: string[] = [];
    await uploadMultipart(
      await makeUpload(25),
      body(25),
      options(s3, { concurrency: 1, onState: (s) => states.push(JSON.stringify(s)) }),
    );
    expect(states).toHaveLength(4);
    expect(JSON.parse(states[0] as string)).toEqual({
      bucket: 'bucket-1',
      key: KEY,
      uploadId: UPLOAD_ID,
      size: 25 * U,
      partSize: 10 * U,
      partCount: 3,
      parts: [],
    });
    expect(JSON.parse(states[3] as string).parts).toHaveLength(3);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'a body of another size',
      async () => uploadMultipart(await makeUpload(20), body(21), options(fakeS3())),
      'ERR_BODY_SIZE_MISMATCH',
    ],
    [
      'a body that is not bytes',
      async () => uploadMultipart(await makeUpload(20), 'text' as unknown as Blob, options(fakeS3())),
      'ERR_INVALID_BODY',
    ],
    [
      'unsigned parts and no signParts',
      async () => uploadMultipart(await makeUpload(20, [1]), body(20), options(fakeS3())),
      'ERR_INVALID_OPTION',
    ],
    [
      'nothing to complete with',
      async () =>
        uploadMultipart(
          { ...(await makeUpload(20)), complete: undefined } as unknown as MultipartUpload,
          body(20),
          options(fakeS3()),
        ),
      'ERR_INVALID_OPTION',
    ],
    [
      'a concurrency of 0',
      async () => uploadMultipart(await makeUpload(20), body(20), options(fakeS3(), { concurrency: 0 })),
      'ERR_INVALID_OPTION',
    ],
    [
      'a part count that disagrees with the plan',
      async () => uploadMultipart({ ...(await makeUpload(20)), partCount: 3 }, body(20), options(fakeS3())),
      'ERR_INVALID_DESCRIPTOR',
    ],
    [
      'a resumed part outside the plan',
      async () =>
        uploadMultipart(await makeUpload(20), body(20), options(fakeS3(), { resume: [{ partNumber: 3, etag: 'e' }] })),
      'ERR_INVALID_OPTION',
    ],
  ])('refuses %s before any request', async (_name, run, code) => {
    expect((await rejection(run())).code).toBe(code);
  });

  it('takes what presignMultipart returns, through JSON, without adaptation', async () => {
    const client = new S3Client({ region: 'eu-west-1', credentials });
    const mock = mockClient(client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'from-server' });
    const server = createPresigner({ client, bucket: 'bucket-1', now: () => signedAt });
    const created: PresignedMultipart = await server.presignMultipart({
      key: KEY,
      size: 6 * 1024 ** 2,
      partSize: 5 * 1024 ** 2,
    });
    mock.restore();
    const s3 = fakeS3();
    const upload: MultipartUpload = JSON.parse(JSON.stringify(created));
    const result = await uploadMultipart(upload, new Blob([new Uint8Array(6 * 1024 ** 2)]), options(s3));
    expect(result.parts.map((p) => p.size)).toEqual([5 * 1024 ** 2, 1024 ** 2]);
    expect(s3.calls.map((c) => c.method)).toEqual(['PUT', 'PUT', 'POST']);
  });
});
