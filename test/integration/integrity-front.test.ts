/**
 * The integrity front (test/helpers/integrity-front.ts) against the real test server: the SDK's
 * correct requests pass it and read back the checksums S3 would give; tampered ones (a wrong body, a
 * wrong or malformed checksum, an unsigned header, a failed condition, another bucket owner) get
 * S3's status and error code. Each refusal is also checked to be the front's: s3rver alone accepts
 * the same request.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';
import {
  type ChecksumAlgorithm,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../helpers/canary.js';
import { type IntegrityFront, startIntegrityFront } from '../helpers/integrity-front.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { type RunningS3, startS3, TEST_BUCKET, TEST_REGION } from '../helpers/s3-server.js';

const MiB = 1024 ** 2;
const Bucket = TEST_BUCKET;
let s3: RunningS3;
let multipart: MultipartFront;
let front: IntegrityFront;
let client: S3Client;
/** A client straight to the multipart front (s3rver behind it): what the front refuses, s3rver accepts. */
let direct: S3Client;
/** Signs presigned URLs without adding checksums of its own. */
let presigning: S3Client;

const sdk = (endpoint: string, checksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' = 'WHEN_SUPPORTED') =>
  new S3Client({
    region: TEST_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { ...CANARY },
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    maxAttempts: 1,
  });

beforeAll(async () => {
  s3 = await startS3();
  multipart = await startMultipartFront(s3.endpoint);
  front = await startIntegrityFront(multipart.endpoint);
  client = sdk(front.endpoint);
  direct = sdk(multipart.endpoint);
  presigning = sdk(front.endpoint, 'WHEN_REQUIRED');
});
afterAll(async () => {
  client?.destroy();
  direct?.destroy();
  presigning?.destroy();
  await front?.close();
  await multipart?.close();
  await s3?.close();
});

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
async function oracle(algorithm: ChecksumAlgorithm, chunks: Uint8Array[]): Promise<Buffer> {
  if (algorithm === 'SHA1' || algorithm === 'SHA256') {
    const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
    for (const chunk of chunks) hash.update(chunk);
    return hash.digest();
  }
  if (algorithm === 'CRC64NVME') {
    const crc = new Crc64Nvme();
    for (const chunk of chunks) crc.update(chunk);
    return Buffer.from(await crc.digest());
  }
  const crc = algorithm === 'CRC32' ? new Crc32() : new Crc32c();
  for (const chunk of chunks) crc.update(chunk);
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc.digest() >>> 0);
  return out;
}
const checksum = async (algorithm: ChecksumAlgorithm, ...chunks: Uint8Array[]) => b64(await oracle(algorithm, chunks));

/** The S3 error of a rejected SDK call: its code and HTTP status. */
async function s3Error(call: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name, status: e.$metadata?.httpStatusCode ?? 0, message: e.message };
  }
  throw new Error('the call succeeded');
}

const bytes = (data: string | ArrayBuffer | ArrayBufferView) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 for the SigV4 signer, from node:crypto. */
class Sha256 {
  #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.#hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.#hash.digest());
  }
}

const xmlCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
const ALGORITHMS: ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

describe('PutObject checksums', () => {
  it.each(ALGORITHMS)('passes the SDK’s %s checksum, and GetObject ChecksumMode ENABLED returns it', async (algo) => {
    const Body = new Uint8Array(randomBytes(1000 + ALGORITHMS.indexOf(algo)));
    const Key = `integrity/put-${algo}.bin`;
    const put = await client.send(new PutObjectCommand({ Bucket, Key, Body, ChecksumAlgorithm: algo }));
    const expected = await checksum(algo, Body);
    expect(put[`Checksum${algo}`]).toBe(expected);
    expect(put.ChecksumType).toBe('FULL_OBJECT');
    const got = await client.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect(got[`Checksum${algo}`]).toBe(expected);
    expect(got.ChecksumType).toBe('FULL_OBJECT');
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.from(Body))).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect(head[`Checksum${algo}`]).toBe(expected);
  });

  it('refuses a wrong checksum with BadDigest and a malformed one with InvalidRequest; s3rver alone took both', async () => {
    const Body = new Uint8Array(randomBytes(64));
    const Key = 'integrity/put-bad.bin';
    const wrong = b64(Buffer.alloc(4));
    expect(await s3Error(client.send(new PutObjectCommand({ Bucket, Key, Body, ChecksumCRC32: wrong })))).toMatchObject(
      {
        code: 'BadDigest',
        status: 400,
        message: 'The CRC32 you specified did not match the calculated checksum.',
      },
    );
    expect(
      await s3Error(client.send(new PutObjectCommand({ Bucket, Key, Body, ChecksumSHA256: 'bm90LWEtc2hhMjU2' }))),
    ).toMatchObject({
      code: 'InvalidRequest',
      status: 400,
      message: 'Value for x-amz-checksum-sha256 header is invalid.',
    });
    expect(front.etags.has(`/${Bucket}/${Key}`)).toBe(false);
    await direct.send(new PutObjectCommand({ Bucket, Key: `${Key}.direct`, Body, ChecksumCRC32: wrong }));
  });

  it('refuses a presigned PUT whose body is not the one its signed checksum names (BadDigest), passes the right one', async () => {
    const Body = Buffer.from('the body that was signed');
    const Key = 'integrity/presigned-checksum.txt';
    const ChecksumSHA256 = await checksum('SHA256', Body);
    const url = await getSignedUrl(presigning, new PutObjectCommand({ Bucket, Key, ChecksumSHA256 }), {
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toContain('x-amz-checksum-sha256');
    const headers = { 'x-amz-checksum-sha256': ChecksumSHA256 };
    const tampered = await fetch(url, { method: 'PUT', headers, body: 'another body' });
    expect([tampered.status, xmlCode(await tampered.text())]).toEqual([400, 'BadDigest']);
    const sent = await fetch(url, { method: 'PUT', headers, body: Body });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('x-amz-checksum-sha256')).toBe(ChecksumSHA256);
  });

  it('refuses an SDK algorithm that is not the checksum header’s (InvalidRequest)', async () => {
    const Body = Buffer.from('abc');
    const error = await s3Error(
      client.send(
        new PutObjectCommand({
          Bucket,
          Key: 'integrity/algo-mismatch.txt',
          Body,
          ChecksumAlgorithm: 'SHA1',
          ChecksumCRC32C: await checksum('CRC32C', Body),
        }),
      ),
    );
    expect(error).toMatchObject({
      code: 'InvalidRequest',
      message: 'Value for x-amz-sdk-checksum-algorithm header is invalid.',
    });
  });

  it('stores S3’s default CRC64NVME for a PUT without checksum, and gives no checksum for a partial range', async () => {
    const Body = new Uint8Array(randomBytes(100));
    const Key = 'integrity/no-checksum.bin';
    const url = await getSignedUrl(presigning, new PutObjectCommand({ Bucket, Key }));
    expect((await fetch(url, { method: 'PUT', body: Body })).status).toBe(200);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([await checksum('CRC64NVME', Body), 'FULL_OBJECT']);
    const plain = await client.send(new HeadObjectCommand({ Bucket, Key }));
    expect(plain.ChecksumCRC64NVME).toBeUndefined();
    const part = await client.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=0-9', ChecksumMode: 'ENABLED' }));
    expect(part.ChecksumCRC64NVME).toBeUndefined();
    await part.Body!.transformToByteArray();
    const all = await client.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=0-99', ChecksumMode: 'ENABLED' }));
    expect(all.ChecksumCRC64NVME).toBe(await checksum('CRC64NVME', Body));
    await all.Body!.transformToByteArray();
  });

  it('adds the checksum headers to Access-Control-Expose-Headers, keeping s3rver’s, when the request has an Origin', async () => {
    const Key = 'integrity/no-checksum.bin';
    const url = await getSignedUrl(presigning, new GetObjectCommand({ Bucket, Key }));
    const res = await fetch(url, { headers: { origin: 'http://app.test', 'x-amz-checksum-mode': 'ENABLED' } });
    // x-amz-checksum-mode was not signed: a presigned request must sign every x-amz-* header it sends.
    expect([res.status, xmlCode(await res.text())]).toEqual([403, 'AccessDenied']);
    const signed = await getSignedUrl(presigning, new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }), {
      unhoistableHeaders: new Set(['x-amz-checksum-mode']),
    });
    const ok = await fetch(signed, { headers: { origin: 'http://app.test', 'x-amz-checksum-mode': 'ENABLED' } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const exposed = (ok.headers.get('access-control-expose-headers') ?? '')
      .split(/\s*,\s*/)
      .map((n) => n.toLowerCase());
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-type']));
    expect(ok.headers.get('x-amz-checksum-crc64nvme')).toBe(front.checksums.get(`/${Bucket}/${Key}`)?.value);
  });
});

describe('x-amz-content-sha256', () => {
  it('refuses a body whose SHA-256 is not the signed payload hash (XAmzContentSHA256Mismatch)', async () => {
    const signer = new SignatureV4({ service: 's3', region: TEST_REGION, credentials: { ...CANARY }, sha256: Sha256 });
    const url = new URL(`${front.endpoint}/${Bucket}/integrity/payload.txt`);
    const signedBody = Buffer.from('signed payload');
    const request = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: {
        host: url.host,
        'x-amz-content-sha256': createHash('sha256').update(signedBody).digest('hex'),
      },
      query: {},
      body: signedBody,
    });
    const send = (body: Buffer) => fetch(url, { method: 'PUT', headers: request.headers, body: new Uint8Array(body) });
    const tampered = await send(Buffer.from('tampered payload'));
    expect([tampered.status, xmlCode(await tampered.text())]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect((await send(signedBody)).status).toBe(200);
  });
});

describe('multipart checksums', () => {
  const parts = [new Uint8Array(randomBytes(5 * MiB)), new Uint8Array(randomBytes(MiB + 7))];

  async function uploadParts(Key: string, UploadId: string, algo?: ChecksumAlgorithm) {
    const done: Array<{ PartNumber: number; ETag: string; ChecksumCRC64NVME?: string; ChecksumSHA256?: string }> = [];
    for (const [i, Body] of parts.entries()) {
      const part = await client.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body,
          ...(algo ? { ChecksumAlgorithm: algo } : {}),
        }),
      );
      done.push({
        PartNumber: i + 1,
        ETag: part.ETag!,
        ...(algo ? { [`Checksum${algo}`]: part[`Checksum${algo}`] } : {}),
      });
    }
    return done;
  }

  it('FULL_OBJECT CRC64NVME: completes with the whole object’s CRC, which GetObject returns; a wrong one is BadDigest', async () => {
    const Key = 'integrity/mpu-full.bin';
    const whole = await checksum('CRC64NVME', ...parts);
    const create = await client.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'FULL_OBJECT' }),
    );
    expect([create.ChecksumAlgorithm, create.ChecksumType]).toEqual(['CRC64NVME', 'FULL_OBJECT']);
    const Parts = await uploadParts(Key, create.UploadId!, 'CRC64NVME');
    expect(Parts[0]!.ChecksumCRC64NVME).toBe(await checksum('CRC64NVME', parts[0]!));
    const complete = (ChecksumCRC64NVME: string) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId: create.UploadId,
          ChecksumCRC64NVME,
          ChecksumType: 'FULL_OBJECT',
          MultipartUpload: { Parts },
        }),
      );
    expect(await s3Error(complete(await checksum('CRC64NVME', parts[0]!)))).toMatchObject({
      code: 'BadDigest',
      status: 400,
      message: 'The crc64nvme you specified did not match the calculated checksum.',
    });
    const done = await complete(whole);
    expect([done.ChecksumCRC64NVME, done.ChecksumType]).toEqual([whole, 'FULL_OBJECT']);
    expect(done.ETag).toMatch(/-2"$/);
    // The SDK checks the body it reads against a full-object checksum.
    const got = await client.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect([got.ChecksumCRC64NVME, got.ChecksumType]).toEqual([whole, 'FULL_OBJECT']);
    expect((await got.Body!.transformToByteArray()).length).toBe(6 * MiB + 7);
  });

  it('COMPOSITE SHA256: S3’s checksum of checksums with -N; parts of another algorithm, missing or wrong checksums are refused', async () => {
    const Key = 'integrity/mpu-composite.bin';
    const create = await client.send(
      new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'SHA256', ChecksumType: 'COMPOSITE' }),
    );
    const UploadId = create.UploadId!;
    // The SDK's default part checksum is CRC32: not the upload's.
    expect(
      await s3Error(client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: parts[0]! }))),
    ).toMatchObject({
      code: 'InvalidRequest',
      message: 'Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32',
    });
    const Parts = await uploadParts(Key, UploadId, 'SHA256');
    const complete = (list: typeof Parts) =>
      client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: list } }));
    const missing = Parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
    expect(await s3Error(complete(missing))).toMatchObject({
      code: 'InvalidRequest',
      message:
        'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.',
    });
    const wrong = [Parts[0]!, { ...Parts[1]!, ChecksumSHA256: Parts[0]!.ChecksumSHA256! }];
    expect(await s3Error(complete(wrong))).toMatchObject({ code: 'InvalidPart', status: 400 });
    const done = await complete(Parts);
    const raw = await Promise.all(parts.map((p) => oracle('SHA256', [p])));
    const expected = `${await checksum('SHA256', ...raw)}-2`;
    expect([done.ChecksumSHA256, done.ChecksumType]).toEqual([expected, 'COMPOSITE']);
    const head = await client.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumSHA256, head.ChecksumType]).toEqual([expected, 'COMPOSITE']);
  });

  it('refuses the checksum types S3 does not allow for an algorithm; s3rver alone created them', async () => {
    for (const [ChecksumAlgorithm, ChecksumType] of [
      ['SHA256', 'FULL_OBJECT'],
      ['SHA1', 'FULL_OBJECT'],
      ['CRC64NVME', 'COMPOSITE'],
    ] as const) {
      const error = await s3Error(
        client.send(
          new CreateMultipartUploadCommand({ Bucket, Key: 'integrity/combo', ChecksumAlgorithm, ChecksumType }),
        ),
      );
      expect(error).toMatchObject({
        code: 'InvalidRequest',
        status: 400,
        message: `The ${ChecksumType} checksum type cannot be used with the ${ChecksumAlgorithm.toLowerCase()} checksum algorithm.`,
      });
      await direct.send(
        new CreateMultipartUploadCommand({ Bucket, Key: 'integrity/combo', ChecksumAlgorithm, ChecksumType }),
      );
    }
    // Defaults: CRC64NVME is FULL_OBJECT, the others COMPOSITE.
    const crc = await client.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'integrity/d1', ChecksumAlgorithm: 'CRC64NVME' }),
    );
    const sha = await client.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'integrity/d2', ChecksumAlgorithm: 'SHA1' }),
    );
    expect([crc.ChecksumType, sha.ChecksumType]).toEqual(['FULL_OBJECT', 'COMPOSITE']);
  });
});

describe('conditional writes', () => {
  it('If-None-Match: * twice: the second is 412 PreconditionFailed', async () => {
    const Key = 'integrity/create-only.txt';
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'one', IfNoneMatch: '*' }));
    expect(
      await s3Error(client.send(new PutObjectCommand({ Bucket, Key, Body: 'two', IfNoneMatch: '*' }))),
    ).toMatchObject({
      code: 'PreconditionFailed',
      status: 412,
    });
    const back = await client.send(new GetObjectCommand({ Bucket, Key }));
    expect(await back.Body!.transformToString()).toBe('one');
  });

  it('If-Match: the current ETag passes, another is 412, a missing key is 404 NoSuchKey; conflictNext() is 409', async () => {
    const Key = 'integrity/compare-and-swap.txt';
    const first = await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v1' }));
    expect(
      await s3Error(
        client.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: '"0123456789abcdef0123456789abcdef"' })),
      ),
    ).toMatchObject({ code: 'PreconditionFailed', status: 412 });
    const second = await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v2', IfMatch: first.ETag }));
    expect(second.ETag).not.toBe(first.ETag);
    expect(front.etags.get(`/${Bucket}/${Key}`)).toBe(second.ETag);
    expect(
      await s3Error(
        client.send(new PutObjectCommand({ Bucket, Key: 'integrity/absent.txt', Body: 'x', IfMatch: first.ETag })),
      ),
    ).toMatchObject({ code: 'NoSuchKey', status: 404 });
    front.conflictNext();
    expect(
      await s3Error(client.send(new PutObjectCommand({ Bucket, Key, Body: 'v3', IfMatch: second.ETag }))),
    ).toMatchObject({
      code: 'ConditionalRequestConflict',
      status: 409,
    });
    // Only the next one.
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'v3', IfMatch: second.ETag }));
  });

  it('a seeded ETag counts: If-None-Match on a key the front was told exists is 412', async () => {
    const Key = 'integrity/seeded.txt';
    front.setEtag(`/${Bucket}/${Key}`, '"seeded"');
    expect(
      await s3Error(client.send(new PutObjectCommand({ Bucket, Key, Body: 'x', IfNoneMatch: '*' }))),
    ).toMatchObject({
      code: 'PreconditionFailed',
    });
    front.setEtag(`/${Bucket}/${Key}`, null);
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'x', IfNoneMatch: '*' }));
  });

  it('CompleteMultipartUpload with If-None-Match: * on an existing key is 412', async () => {
    const Key = 'integrity/create-only.txt';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const part = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'tail' }));
    const error = await s3Error(
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'PreconditionFailed', status: 412 });
  });
});

describe('expected bucket owner and unsigned headers', () => {
  it('a wrong x-amz-expected-bucket-owner is 403 AccessDenied; the right one passes', async () => {
    const Key = 'integrity/owned.txt';
    expect(
      await s3Error(client.send(new PutObjectCommand({ Bucket, Key, Body: 'x', ExpectedBucketOwner: '999999999999' }))),
    ).toMatchObject({ code: 'AccessDenied', status: 403 });
    await client.send(new PutObjectCommand({ Bucket, Key, Body: 'x', ExpectedBucketOwner: '111122223333' }));
    await direct.send(new PutObjectCommand({ Bucket, Key, Body: 'x', ExpectedBucketOwner: '999999999999' }));
  });

  it('a presigned PUT with an unsigned x-amz-* header is 403 AccessDenied naming it; s3rver alone stored it', async () => {
    const Key = 'integrity/unsigned.txt';
    const url = await getSignedUrl(presigning, new PutObjectCommand({ Bucket, Key }));
    const res = await fetch(url, { method: 'PUT', headers: { 'x-amz-meta-owner': 'mallory' }, body: 'x' });
    const xml = await res.text();
    expect([res.status, xmlCode(xml)]).toEqual([403, 'AccessDenied']);
    expect(xml).toContain('There were headers present in the request which were not signed');
    expect(xml).toContain('<HeadersNotSigned>x-amz-meta-owner</HeadersNotSigned>');
    const alone = await getSignedUrl(sdk(multipart.endpoint, 'WHEN_REQUIRED'), new PutObjectCommand({ Bucket, Key }));
    expect((await fetch(alone, { method: 'PUT', headers: { 'x-amz-meta-owner': 'mallory' }, body: 'x' })).status).toBe(
      200,
    );
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(200);
  });
});
