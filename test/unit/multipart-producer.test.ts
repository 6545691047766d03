import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createPresigner, type PresignError, type Presigner, type PresignerOptions } from '../../src/index.js';
import { rejection } from '../helpers/rejection.js';
import { smithyPresign } from '../helpers/smithy.js';

const MiB = 1024 ** 2;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2026-11-29T12:00:00Z');
const SHA = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';

const client = new S3Client({ region: 'eu-west-1', credentials });
const s3 = mockClient(client);
afterEach(() => s3.reset());

function presigner(options: Partial<PresignerOptions> = {}): Presigner {
  return createPresigner({ client, bucket: 'uploads', now: () => signingDate, ...options });
}

function s3Error(name: string, status: number, message = `${name} happened`): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode: status, requestId: 'REQ123' },
  });
}

function noSecrets(error: PresignError): void {
  const text = `${error.message} ${error.hint ?? ''} ${error.s3Message ?? ''}`;
  expect(text).not.toContain(credentials.secretAccessKey);
  expect(text).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
  expect(text).not.toContain('AKIDEXAMPLE');
}

describe('presignMultipart', () => {
  it('creates the upload with the object options and signs every part, complete and abort', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up/1+=' });
    const upload = await presigner().presignMultipart({
      key: 'videos/a b.mp4',
      size: 12 * MiB,
      partSize: 5 * MiB,
      contentType: 'video/mp4',
      metadata: { Owner: '42' },
      cacheControl: 'max-age=60',
      acl: 'private',
      storageClass: 'STANDARD_IA',
      tagging: { team: 'a b' },
      serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'key-1', bucketKeyEnabled: true },
      expires: new Date('2027-01-01T00:00:00Z'),
      expiresIn: 3600,
    });

    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(1);
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'uploads',
      Key: 'videos/a b.mp4',
      ContentType: 'video/mp4',
      CacheControl: 'max-age=60',
      Metadata: { owner: '42' },
      ACL: 'private',
      StorageClass: 'STANDARD_IA',
      Tagging: 'team=a%20b',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'key-1',
      BucketKeyEnabled: true,
      Expires: new Date('2027-01-01T00:00:00Z'),
    });

    expect(upload).toMatchObject({
      bucket: 'uploads',
      key: 'videos/a b.mp4',
      uploadId: 'up/1+=',
      size: 12 * MiB,
      partSize: 5 * MiB,
      partCount: 3,
      expiresAt: '2026-11-29T13:00:00Z',
    });
    expect(upload.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(upload.parts.map((p) => p.request.headers)).toEqual([
      { 'content-length': String(5 * MiB) },
      { 'content-length': String(5 * MiB) },
      { 'content-length': String(2 * MiB) },
    ]);
    for (const { partNumber, request } of upload.parts) {
      expect(request.method).toBe('PUT');
      const url = new URL(request.url);
      expect(url.origin + url.pathname).toBe('https://uploads.s3.eu-west-1.amazonaws.com/videos/a%20b.mp4');
      expect(url.searchParams.get('partNumber')).toBe(String(partNumber));
      expect(url.searchParams.get('uploadId')).toBe('up/1+=');
      expect(url.search).toContain('uploadId=up%2F1%2B%3D');
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;host');
      // Nothing but the standard parameters and the operation's own.
      expect([...url.searchParams.keys()].sort()).toEqual(
        [
          'X-Amz-Algorithm',
          'X-Amz-Credential',
          'X-Amz-Date',
          'X-Amz-Expires',
          'X-Amz-SignedHeaders',
          'X-Amz-Signature',
          'partNumber',
          'uploadId',
        ].sort(),
      );
      expect(request.expiresAt).toBe(upload.expiresAt);
    }
    expect(upload.complete.method).toBe('POST');
    expect(new URL(upload.complete.url).searchParams.get('uploadId')).toBe('up/1+=');
    expect(new URL(upload.complete.url).searchParams.has('partNumber')).toBe(false);
    expect(upload.complete.headers).toEqual({});
    expect(upload.abort.method).toBe('DELETE');
    expect(new URL(upload.abort.url).searchParams.get('uploadId')).toBe('up/1+=');
    // A HEAD of the object, for the consumer to see whether a completion whose answer was lost took effect.
    expect(upload.head.method).toBe('HEAD');
    expect(new URL(upload.head.url).pathname).toBe(new URL(upload.complete.url).pathname);
    expect(new URL(upload.head.url).searchParams.has('uploadId')).toBe(false);
    expect(upload.head.expiresAt).toBe(upload.expiresAt);
    // The result is plain JSON: a server hands it to a browser as is.
    expect(JSON.parse(JSON.stringify(upload))).toEqual(upload);
  });

  it("signs each part exactly as AWS's own signer does", async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'abc~ def' });
    const upload = await presigner().presignMultipart({ key: 'k/ü.bin', size: 6 * MiB, partSize: 5 * MiB });
    for (const { partNumber, request } of upload.parts) {
      const ours = new URL(request.url).searchParams;
      const theirs = await smithyPresign({
        method: 'PUT',
        hostname: 'uploads.s3.eu-west-1.amazonaws.com',
        path: '/k/%C3%BC.bin',
        query: { partNumber: String(partNumber), uploadId: 'abc~ def' },
        headers: request.headers,
        ...credentials,
        region: 'eu-west-1',
        signingDate,
        expiresIn: 900,
      });
      expect(ours.get('X-Amz-Signature')).toBe(theirs.get('X-Amz-Signature'));
    }
  });

  it('signs only the first `initialParts` parts when asked', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    const upload = await presigner().presignMultipart({
      key: 'big',
      size: 1024 * MiB,
      partSize: 5 * MiB,
      initialParts: 3,
    });
    expect(upload.partCount).toBe(205);
    expect(upload.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    const none = await presigner().presignMultipart({ key: 'big', size: 1024 * MiB, initialParts: 0 });
    expect(none.parts).toEqual([]);
  });

  it('sets the checksum algorithm at create and signs each part with its checksum header', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    const upload = await presigner().presignMultipart({
      key: 'sum',
      size: 6 * MiB,
      partSize: 5 * MiB,
      contentType: 'application/octet-stream',
      checksumAlgorithm: 'SHA256',
      checksums: { 1: SHA },
    });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input.ChecksumAlgorithm).toBe('SHA256');
    expect(upload.checksumAlgorithm).toBe('SHA256');
    // Only the parts whose checksum is known are signed; content-type is never on a part.
    expect(upload.parts).toHaveLength(1);
    expect(upload.parts[0]?.request.headers).toEqual({
      'content-length': String(5 * MiB),
      'x-amz-checksum-sha256': SHA,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a part size under 5 MiB', { partSize: 1024 }, 'ERR_INVALID_PART_SIZE'],
    ['an object over 5 TiB', { size: 5 * 1024 ** 4 + 1 }, 'ERR_TOO_LARGE'],
    ['a bad key', { key: '' }, 'ERR_INVALID_KEY'],
    ['a bad content-type', { contentType: 'a\nb' }, 'ERR_INVALID_HEADER'],
    ['bad metadata', { metadata: { 'a b': 'x' } }, 'ERR_INVALID_METADATA'],
    ['an unknown checksum algorithm', { checksumAlgorithm: 'MD5', initialParts: 0 }, 'ERR_INVALID_CHECKSUM'],
    ['a part to sign without its checksum', { checksumAlgorithm: 'SHA256', initialParts: 1 }, 'ERR_INVALID_CHECKSUM'],
    ['a malformed checksum', { checksumAlgorithm: 'SHA256', checksums: { 1: 'abc' } }, 'ERR_INVALID_CHECKSUM'],
    ['checksums without an algorithm', { checksums: { 1: SHA } }, 'ERR_INVALID_CHECKSUM'],
    ['a negative initialParts', { initialParts: -1 }, 'ERR_INVALID_OPTION'],
    ['an expiresIn over 7 days', { expiresIn: 604_801 }, 'ERR_INVALID_EXPIRES'],
  ])('refuses %s before creating anything', async (_name, change, code) => {
    const error = await rejection(presigner().presignMultipart({ key: 'k', size: 20 * MiB, ...change }));
    expect(error.code).toBe(code);
    expect(s3.calls()).toHaveLength(0);
  });

  it('without an S3Client signs its own requests: CreateMultipartUpload is a signed POST ?uploads', async () => {
    const p = createPresigner({ region: 'eu-west-1', credentials, bucket: 'uploads' });
    const calls: Array<{ url: string; method: string | undefined }> = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), method: init?.method });
      return new Response('<InitiateMultipartUploadResult><UploadId>U-1</UploadId></InitiateMultipartUploadResult>');
    }) as typeof fetch;
    try {
      const upload = await p.presignMultipart({ key: 'k', size: 1, contentType: 'text/plain' });
      expect(upload.uploadId).toBe('U-1');
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0]!.url);
    expect(calls[0]!.method).toBe('POST');
    expect(url.searchParams.has('uploads')).toBe(true);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('surfaces a failed create as ERR_S3 with S3 fields, and aborts nothing', async () => {
    s3.on(CreateMultipartUploadCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    const error = await rejection(presigner().presignMultipart({ key: 'k', size: 20 * MiB }));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'AccessDenied', status: 403, requestId: 'REQ123' });
    expect(error.s3Message).toBe('Access Denied');
    noSecrets(error);
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it("says a failure inside the SDK is the SDK's, not S3's: no S3 code, the reason in the message", async () => {
    // What the SDK's browser build does in workerd, which has no DOMParser: S3 answered 200.
    const broken = Object.assign(new ReferenceError('DOMParser is not defined'), {
      $metadata: { httpStatusCode: 200 },
    });
    s3.on(CreateMultipartUploadCommand).rejects(broken);
    const error = await rejection(presigner().presignMultipart({ key: 'k', size: 20 * MiB }));
    expect(error.code).toBe('ERR_S3');
    expect(error.s3Code).toBeUndefined();
    expect(error.message).toBe(
      'CreateMultipartUpload failed (HTTP 200): the SDK failed (ReferenceError: DOMParser is not defined)',
    );
  });

  it('refuses an answer without an UploadId', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({});
    expect((await rejection(presigner().presignMultipart({ key: 'k', size: 1 }))).code).toBe('ERR_S3');
  });

  it('aborts the created upload when signing fails after create, and throws the signing error', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u-created' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    let calls = 0;
    // The credential source works for the check before create, then fails.
    const flaky = async () => {
      calls++;
      if (calls > 1) throw new Error('credential source is down');
      return credentials;
    };
    const error = await rejection(presigner({ credentials: flaky }).presignMultipart({ key: 'k', size: 20 * MiB }));
    expect(error.code).toBe('ERR_INVALID_CREDENTIALS');
    const aborts = s3.commandCalls(AbortMultipartUploadCommand);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]?.args[0].input).toEqual({ Bucket: 'uploads', Key: 'k', UploadId: 'u-created' });
  });

  it('throws the original error when the cleanup abort fails too', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u-created' });
    s3.on(AbortMultipartUploadCommand).rejects(s3Error('InternalError', 500));
    let calls = 0;
    const flaky = async () => {
      if (++calls > 1) throw new Error('down');
      return credentials;
    };
    const error = await rejection(presigner({ credentials: flaky }).presignMultipart({ key: 'k', size: 20 * MiB }));
    expect(error.code).toBe('ERR_INVALID_CREDENTIALS');
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
  });

  it('rejects with ERR_ABORTED and sends nothing when the signal is already aborted', async () => {
    const error = await rejection(
      presigner().presignMultipart({ key: 'k', size: 1, signal: AbortSignal.abort(new Error('user left')) }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('the Presigner methods together', () => {
  it('sign the same parts at create as later through presignParts, and abort through the client', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u-public' });
    s3.on(AbortMultipartUploadCommand).resolves({});
    const p = presigner();
    const upload = await p.presignMultipart({ key: 'k', size: 6 * MiB, partSize: 5 * MiB });
    // Another presigner of the same configuration (as on another server replica) signs them alike.
    const later = await presigner().presignParts({
      key: 'k',
      uploadId: 'u-public',
      partNumbers: [1, 2],
      size: upload.size,
      partSize: upload.partSize,
    });
    expect(upload.parts).toEqual(later);
    expect(await p.presignParts({ key: 'k', uploadId: 'u-public', partNumbers: [2] })).toHaveLength(1);
    await p.abortMultipart({ key: 'k', uploadId: 'u-public' });
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'uploads',
      Key: 'k',
      UploadId: 'u-public',
    });
  });
});

describe('presignParts', () => {
  it('signs the parts asked for with their exact content-length, the last one shorter', async () => {
    const parts = await presigner().presignParts({
      key: 'k',
      uploadId: 'u1',
      partNumbers: [7, 2],
      size: 32 * MiB,
      partSize: 5 * MiB,
      expiresIn: 60,
      signingDate,
    });
    expect(parts.map((p) => [p.partNumber, p.request.headers['content-length']])).toEqual([
      [7, String(2 * MiB)],
      [2, String(5 * MiB)],
    ]);
    expect(parts[0]?.request.expiresAt).toBe('2026-11-29T12:01:00Z');
    expect(s3.calls()).toHaveLength(0);
  });

  it('signs without content-length when the plan is not given', async () => {
    const [part] = await presigner().presignParts({ key: 'k', uploadId: 'u1', partNumbers: [1] });
    expect(part?.request.headers).toEqual({});
  });

  it('signs checksums per part', async () => {
    const [part] = await presigner().presignParts({
      key: 'k',
      uploadId: 'u1',
      partNumbers: [3],
      checksumAlgorithm: 'CRC32',
      checksums: { 3: 'AAAAAA==' },
    });
    expect(part?.request.headers).toEqual({ 'x-amz-checksum-crc32': 'AAAAAA==' });
    expect(new URL(part?.request.url ?? '').searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-amz-checksum-crc32');
  });

  it.each<[string, Record<string, unknown>]>([
    ['a repeated part', { partNumbers: [1, 1] }],
    ['part 0', { partNumbers: [0] }],
    ['part 10001', { partNumbers: [10_001] }],
    ['a part past the plan', { partNumbers: [8], size: 32 * MiB, partSize: 5 * MiB }],
    ['size without partSize', { partNumbers: [1], size: 32 * MiB }],
    ['no uploadId', { partNumbers: [1], uploadId: '' }],
    ['partNumbers not an array', { partNumbers: 3 }],
  ])('refuses %s with ERR_INVALID_OPTION', async (_name, change) => {
    const error = await rejection(presigner().presignParts({ key: 'k', uploadId: 'u1', partNumbers: [], ...change }));
    expect(error.code).toBe('ERR_INVALID_OPTION');
  });
});

describe('completeMultipart', () => {
  const parts = [
    { partNumber: 2, etag: '"e2"' },
    { partNumber: 1, etag: '"e1"' },
  ];

  it('completes with the parts sorted by part number', async () => {
    s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"whole-2"', Location: 'https://x/k', VersionId: 'v1' });
    const done = await presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts });
    expect(done).toEqual({ bucket: 'uploads', key: 'k', etag: '"whole-2"', location: 'https://x/k', versionId: 'v1' });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'uploads',
      Key: 'k',
      UploadId: 'u1',
      MultipartUpload: {
        Parts: [
          { PartNumber: 1, ETag: '"e1"' },
          { PartNumber: 2, ETag: '"e2"' },
        ],
      },
    });
  });

  it('sends each part checksum when the upload has an algorithm', async () => {
    s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"w"' });
    await presigner().completeMultipart({
      key: 'k',
      uploadId: 'u1',
      checksumAlgorithm: 'SHA256',
      parts: [{ partNumber: 1, etag: '"e1"', checksum: SHA }],
    });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input.MultipartUpload?.Parts).toEqual([
      { PartNumber: 1, ETag: '"e1"', ChecksumSHA256: SHA },
    ]);
  });

  it('aborts the upload when completion fails, and throws the completion error', async () => {
    s3.on(CompleteMultipartUploadCommand).rejects(s3Error('InvalidPart', 400));
    s3.on(AbortMultipartUploadCommand).resolves({});
    const error = await rejection(presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts }));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'InvalidPart', status: 400, leftOpen: false });
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'uploads',
      Key: 'k',
      UploadId: 'u1',
    });
  });

  it('throws the completion error, not the abort error, when the abort fails too', async () => {
    s3.on(CompleteMultipartUploadCommand).rejects(s3Error('InvalidPartOrder', 400));
    s3.on(AbortMultipartUploadCommand).rejects(s3Error('InternalError', 500));
    const error = await rejection(presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts }));
    expect(error).toMatchObject({ s3Code: 'InvalidPartOrder', leftOpen: true });
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
  });

  it('looks at the object when S3 no longer knows the upload (a lost answer, then a retry), and succeeds without aborting', async () => {
    s3.on(CompleteMultipartUploadCommand).rejects(s3Error('NoSuchUpload', 404));
    s3.on(HeadObjectCommand).resolves({ ETag: '"9b2cf535f27731c974343645a3985328-2"', VersionId: 'v2' });
    const done = await presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts });
    expect(done).toMatchObject({ etag: '"9b2cf535f27731c974343645a3985328-2"', versionId: 'v2' });
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'uploads', Key: 'k' });
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('never aborts an upload whose completion got no answer, and says it may be left open', async () => {
    s3.on(CompleteMultipartUploadCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    const error = await rejection(presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts }));
    expect(error).toMatchObject({ code: 'ERR_S3', leftOpen: true });
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('does not take another object for the upload, and reports the upload gone', async () => {
    s3.on(CompleteMultipartUploadCommand).rejects(s3Error('NoSuchUpload', 404));
    s3.on(HeadObjectCommand).resolves({ ETag: '"9b2cf535f27731c974343645a3985328"' });
    const error = await rejection(presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts }));
    expect(error).toMatchObject({ s3Code: 'NoSuchUpload', leftOpen: false });
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('keeps the upload when completion fails with keepOnFailure', async () => {
    s3.on(CompleteMultipartUploadCommand).rejects(s3Error('InvalidPart', 400));
    const error = await rejection(
      presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts, keepOnFailure: true }),
    );
    expect(error.s3Code).toBe('InvalidPart');
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it.each<[string, unknown, string]>([
    ['no parts', [], 'ERR_INVALID_OPTION'],
    ['a repeated part', [parts[0], parts[0]], 'ERR_INVALID_OPTION'],
    ['a part without an ETag', [{ partNumber: 1, etag: '' }], 'ERR_INVALID_OPTION'],
    ['a part number of 0', [{ partNumber: 0, etag: 'e' }], 'ERR_INVALID_OPTION'],
  ])('refuses %s before any I/O', async (_name, bad, code) => {
    const error = await rejection(
      presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts: bad as typeof parts }),
    );
    expect(error.code).toBe(code);
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses a part without its checksum when the upload has an algorithm', async () => {
    const error = await rejection(
      presigner().completeMultipart({ key: 'k', uploadId: 'u1', parts, checksumAlgorithm: 'SHA256' }),
    );
    expect(error.code).toBe('ERR_INVALID_CHECKSUM');
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('abortMultipart', () => {
  it('aborts through the client', async () => {
    s3.on(AbortMultipartUploadCommand).resolves({});
    await presigner().abortMultipart({ key: 'k', bucket: 'other', uploadId: 'u1' });
    expect(s3.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'other',
      Key: 'k',
      UploadId: 'u1',
    });
  });

  it('reports a failed abort as ERR_S3', async () => {
    s3.on(AbortMultipartUploadCommand).rejects(s3Error('NoSuchUpload', 404));
    const error = await rejection(presigner().abortMultipart({ key: 'k', uploadId: 'u1' }));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'NoSuchUpload', status: 404 });
  });
});

describe('listParts', () => {
  it('follows every page and returns the parts sorted', async () => {
    s3.on(ListPartsCommand, { PartNumberMarker: undefined })
      .resolves({
        IsTruncated: true,
        NextPartNumberMarker: '2',
        Parts: [
          { PartNumber: 2, ETag: '"e2"', Size: 5 * MiB },
          { PartNumber: 1, ETag: '"e1"', Size: 5 * MiB, LastModified: signingDate },
        ],
      })
      .on(ListPartsCommand, { PartNumberMarker: '2' })
      .resolves({ IsTruncated: true, NextPartNumberMarker: '4', Parts: [{ PartNumber: 4, ETag: '"e4"', Size: 1 }] })
      .on(ListPartsCommand, { PartNumberMarker: '4' })
      .resolves({ IsTruncated: false, Parts: [{ PartNumber: 5, ETag: '"e5"', Size: 2 }] });
    const parts = await presigner().listParts({ key: 'k', uploadId: 'u1' });
    expect(parts).toEqual([
      { partNumber: 1, etag: '"e1"', size: 5 * MiB, lastModified: signingDate },
      { partNumber: 2, etag: '"e2"', size: 5 * MiB },
      { partNumber: 4, etag: '"e4"', size: 1 },
      { partNumber: 5, etag: '"e5"', size: 2 },
    ]);
    const calls = s3.commandCalls(ListPartsCommand).map((c) => c.args[0].input.PartNumberMarker);
    expect(calls).toEqual([undefined, '2', '4']);
  });

  it('reports each part checksum of an upload created with an algorithm', async () => {
    s3.on(ListPartsCommand).resolves({
      ChecksumAlgorithm: 'SHA256',
      Parts: [{ PartNumber: 1, ETag: '"e1"', Size: 3, ChecksumSHA256: SHA }],
    });
    expect(await presigner().listParts({ key: 'k', uploadId: 'u1' })).toEqual([
      { partNumber: 1, etag: '"e1"', size: 3, checksum: SHA },
    ]);
  });

  it('stops when a server repeats its marker instead of looping', async () => {
    s3.on(ListPartsCommand).resolves({ IsTruncated: true, NextPartNumberMarker: '1', Parts: [] });
    await presigner().listParts({ key: 'k', uploadId: 'u1' });
    expect(s3.commandCalls(ListPartsCommand)).toHaveLength(2);
  });

  it('reports a failed page as ERR_S3', async () => {
    s3.on(ListPartsCommand).rejects(s3Error('NoSuchUpload', 404));
    expect((await rejection(presigner().listParts({ key: 'k', uploadId: 'u1' }))).s3Code).toBe('NoSuchUpload');
  });
});
