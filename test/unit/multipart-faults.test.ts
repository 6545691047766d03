import { describe, expect, it } from 'vitest';
import { type MultipartOptions, type MultipartUpload, uploadMultipart } from '../../src/consumer/multipart/index.js';
import { createPresigner, type PresignedRequest } from '../../src/index.js';
import { type Call, fakeS3, s3Error } from '../helpers/fake-s3.js';
import { rejection } from '../helpers/rejection.js';

// What uploadMultipart does when the last steps meet faults: an abort that fails is retried, and a
// completion whose answer is lost is looked for (HEAD) before anything else, so that an upload S3
// completed is reported as a success and never aborted, and the caller learns which uploads are left open.

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signedAt = new Date('2026-11-29T12:00:00Z');
const now = () => signedAt.getTime() + 1000;
const presigner = createPresigner({ region: 'eu-west-1', credentials, bucket: 'bucket-1', now: () => signedAt });
const KEY = 'faults.bin';
const UPLOAD_ID = 'U-FAULTS';
const PART = 5 * 1024 * 1024;
const SIZE = PART + 10;
const BODY = new Uint8Array(SIZE).fill(3);

const uploadRequest = (method: 'POST' | 'DELETE'): Promise<PresignedRequest> =>
  presigner.presign({ method, key: KEY, query: { uploadId: UPLOAD_ID } });

/** A two-part upload as `presignMultipart` returns it: parts, complete, abort and head all signed. */
async function twoParts(): Promise<MultipartUpload> {
  return {
    bucket: 'bucket-1',
    key: KEY,
    uploadId: UPLOAD_ID,
    size: SIZE,
    partSize: PART,
    partCount: 2,
    parts: await presigner.presignParts({ key: KEY, uploadId: UPLOAD_ID, partNumbers: [1, 2] }),
    complete: await uploadRequest('POST'),
    abort: await uploadRequest('DELETE'),
    head: await presigner.presignHead({ key: KEY }),
  };
}

const options = (s3: ReturnType<typeof fakeS3>, more: MultipartOptions = {}): MultipartOptions => ({
  fetch: s3.fetch,
  now,
  retry: { limit: 2, backoffLimit: 0 },
  ...more,
});

/** The object S3 made of the two parts, as its HEAD describes it. */
const completedObject = (size = SIZE, etag = '"0f343b0931126a20f133d67c2b018a3b-2"') =>
  new Response(null, { status: 200, headers: { etag, 'content-length': String(size) } });
/** A 200 whose body breaks off before the result, as when the connection drops mid-answer. */
const cutOff = () =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('<?xml version="1.0"?><CompleteMultipart'));
        controller.error(new TypeError('terminated'));
      },
    }),
    { status: 200 },
  );
const count = (s3: ReturnType<typeof fakeS3>, method: string) =>
  s3.calls.filter((c: Call) => c.method === method).length;

describe('uploadMultipart under faults', () => {
  it('retries an abort that S3 answered with a 503, and reports the upload as no longer open', async () => {
    const s3 = fakeS3((call, attempt) => {
      if (call.method === 'PUT' && call.partNumber === 2) return s3Error(400, 'InvalidArgument');
      if (call.method === 'DELETE' && attempt === 1) return s3Error(503, 'SlowDown');
      return undefined;
    });
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3)));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'InvalidArgument', leftOpen: false });
    expect(count(s3, 'DELETE')).toBe(2);
  });

  it('reports an upload whose abort kept failing as left open, with the first error', async () => {
    const s3 = fakeS3((call) => {
      if (call.method === 'PUT' && call.partNumber === 2) return s3Error(400, 'InvalidArgument');
      if (call.method === 'DELETE') return new TypeError('fetch failed');
      return undefined;
    });
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3)));
    expect(error).toMatchObject({ s3Code: 'InvalidArgument', leftOpen: true });
    expect(count(s3, 'DELETE')).toBe(3);
  });

  it('takes an abort that finds the upload gone (NoSuchUpload) as done', async () => {
    const s3 = fakeS3((call) => {
      if (call.method === 'PUT' && call.partNumber === 2) return s3Error(400, 'InvalidArgument');
      if (call.method === 'DELETE') return s3Error(404, 'NoSuchUpload');
      return undefined;
    });
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3)));
    expect(error).toMatchObject({ s3Code: 'InvalidArgument', leftOpen: false });
  });

  it('retries a completion whose body was cut off, as a lost answer, and succeeds', async () => {
    const s3 = fakeS3((call, attempt) => (call.method === 'POST' && attempt === 1 ? cutOff() : undefined));
    const result = await uploadMultipart(await twoParts(), BODY, options(s3));
    expect(result.etag).toBe('"whole-3"');
    expect(count(s3, 'POST')).toBe(2);
    expect(count(s3, 'DELETE')).toBe(0);
  });

  it('finds the object when S3 completed the upload but the answer was lost, and never aborts it', async () => {
    // The first completion reached S3 and completed the upload; its answer was lost. The retry then
    // meets NoSuchUpload: the HEAD shows the object this upload made.
    const s3 = fakeS3((call, attempt) => {
      if (call.method === 'POST') return attempt === 1 ? new TypeError('terminated') : s3Error(404, 'NoSuchUpload');
      if (call.method === 'HEAD') return completedObject();
      return undefined;
    });
    const result = await uploadMultipart(await twoParts(), BODY, options(s3));
    expect(result).toMatchObject({ etag: '"0f343b0931126a20f133d67c2b018a3b-2"' });
    expect(result.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(count(s3, 'HEAD')).toBe(1);
    expect(count(s3, 'DELETE')).toBe(0);
  });

  it('finds the object after every completion attempt lost its answer', async () => {
    const s3 = fakeS3((call) => {
      if (call.method === 'POST') return cutOff();
      if (call.method === 'HEAD') return completedObject();
      return undefined;
    });
    const result = await uploadMultipart(await twoParts(), BODY, options(s3));
    expect(result.etag).toMatch(/-2"$/);
    expect(count(s3, 'POST')).toBe(3);
    expect(count(s3, 'DELETE')).toBe(0);
  });

  it.each([
    ['no object', () => new Response(null, { status: 404 })],
    ['an object of another size', () => completedObject(SIZE - 1)],
    ['an object that is not a 2-part upload', () => completedObject(SIZE, '"0f343b0931126a20f133d67c2b018a3b"')],
  ])('leaves the upload open, unaborted, when answers were lost and the HEAD shows %s', async (_what, head) => {
    // S3 may still be completing it: an abort now could lose an object that is about to exist.
    const s3 = fakeS3((call) => {
      if (call.method === 'POST') return new TypeError('fetch failed');
      if (call.method === 'HEAD') return head();
      return undefined;
    });
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3)));
    expect(error).toMatchObject({ code: 'ERR_NETWORK', leftOpen: true });
    expect(count(s3, 'DELETE')).toBe(0);
  });

  it('reports an upload S3 no longer knows, and that made no object, as failed and not open', async () => {
    const s3 = fakeS3((call) => (call.method === 'POST' ? s3Error(404, 'NoSuchUpload') : undefined));
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3)));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'NoSuchUpload', leftOpen: false });
    expect(count(s3, 'HEAD')).toBe(1);
    expect(count(s3, 'DELETE')).toBe(0);
  });

  it('does not look for the object when S3 refused the completion, and aborts', async () => {
    const s3 = fakeS3((call) => (call.method === 'POST' ? s3Error(400, 'InvalidPart') : undefined));
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3)));
    expect(error).toMatchObject({ s3Code: 'InvalidPart', leftOpen: false });
    expect(count(s3, 'HEAD')).toBe(0);
    expect(count(s3, 'DELETE')).toBe(1);
  });

  it('says an upload kept by keepOnFailure is left open', async () => {
    const s3 = fakeS3((call) => (call.method === 'PUT' ? s3Error(400, 'InvalidArgument') : undefined));
    const error = await rejection(uploadMultipart(await twoParts(), BODY, options(s3, { keepOnFailure: true })));
    expect(error).toMatchObject({ leftOpen: true });
    expect(count(s3, 'DELETE')).toBe(0);
  });
});
