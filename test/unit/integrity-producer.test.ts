/**
 * Issue 13 on the producer: checksum types at create, the whole-object checksum and the conditions
 * at completion, the expected bucket owner on every request, `If-Range` and checksum mode on reads;
 * and what goes on the wire for each multipart call, compared with what `@aws-sdk/client-s3` sends
 * for the same input (both intercepted, nothing reaches a network).
 */
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/protocol-http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPresigner, type Presigner, type PresignerOptions } from '../../src/index.js';
import { rejection } from '../helpers/rejection.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2026-12-07T12:00:00Z');
const OWNER = '111122223333';
const CRC64 = 'gtoXmMAazS4=';
const CRC32 = 'AAAAAA==';
const SHA = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
const MiB = 1024 ** 2;

/** One request as it went out: method, path, query and headers (lower-case), body. */
interface Sent {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

const CREATE_XML =
  '<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>uploads</Bucket><Key>a.bin</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>';
const COMPLETE_XML = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Location>http://x/uploads/a.bin</Location><Bucket>uploads</Bucket><Key>a.bin</Key><ETag>"abc-2"</ETag><ChecksumCRC64NVME>${CRC64}</ChecksumCRC64NVME><ChecksumType>FULL_OBJECT</ChecksumType></CompleteMultipartUploadResult>`;
const LIST_XML =
  '<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>uploads</Bucket><Key>a.bin</Key><UploadId>up-1</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>';

function answerFor(method: string, query: Record<string, string>): { status: number; xml: string } {
  if (method === 'POST' && 'uploads' in query) return { status: 200, xml: CREATE_XML };
  if (method === 'POST') return { status: 200, xml: COMPLETE_XML };
  if (method === 'GET') return { status: 200, xml: LIST_XML };
  return { status: 204, xml: '' };
}

const SIGNING =
  /^(authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256|x-amz-user-agent|user-agent|amz-sdk-.*|host|content-length|content-md5|x-amz-checksum-crc32|x-amz-sdk-checksum-algorithm|expect|transfer-encoding)$/;

/** The headers that carry the operation's meaning: not the signature's, the transport's, or the SDK's own. */
function meaningful(headers: Record<string, string>, body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // The SDK adds a CRC32 of the request body it sends (flexible checksums): not the object's.
    if (SIGNING.test(lower) && !(lower === 'x-amz-checksum-crc32' && body === '')) continue;
    if (lower === 'content-type' && body.startsWith('<')) continue;
    out[lower] = value;
  }
  return out;
}

/** The query of a URL without the signer's parameters. */
function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!name.startsWith('X-Amz-') && name !== 'x-id') out[name] = value;
  return out;
}

/**
 * A CompleteMultipartUpload body by content: its parts in order, each a record of its elements with
 * entities decoded (the SDK orders a part's elements and escapes quotes its own way, as XML allows).
 */
const xmlOf = (body: string) =>
  [...body.matchAll(/<Part>(.*?)<\/Part>/g)].map(([, inner]) =>
    Object.fromEntries(
      [...(inner ?? '').matchAll(/<(\w+)>(.*?)<\/\1>/g)].map(([, name, value]) => [
        name,
        (value ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
      ]),
    ),
  );

/** An SDK client whose requests are recorded and answered here. */
function recordingClient(sent: Sent[]): S3Client {
  return new S3Client({
    region: 'eu-west-1',
    credentials,
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: {
      async handle(request: {
        method: string;
        path: string;
        query?: Record<string, string | string[] | null>;
        headers: Record<string, string>;
        body?: unknown;
      }) {
        const query: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.query ?? {})) {
          if (name !== 'x-id') query[name] = value === null ? '' : String(value);
        }
        const body = typeof request.body === 'string' ? request.body : '';
        sent.push({ method: request.method, path: request.path, query, headers: request.headers, body });
        const { status, xml } = answerFor(request.method, query);
        return {
          response: new HttpResponse({
            statusCode: status,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from(xml === '' ? [] : [Buffer.from(xml)]),
          }),
        };
      },
    },
  });
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Replaces fetch with a recorder that answers like S3; returns what was sent. */
function recordFetch(answer?: (sent: Sent) => Response | undefined): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = typeof init?.body === 'string' ? init.body : '';
    const one = { method: init?.method ?? 'GET', path: url.pathname, query: queryOf(url), headers, body };
    sent.push(one);
    const custom = answer?.(one);
    if (custom) return custom;
    const { status, xml } = answerFor(one.method, one.query);
    return new Response(xml === '' ? null : xml, { status });
  }) as typeof fetch;
  return sent;
}

function presigner(options: Partial<PresignerOptions> = {}): Presigner {
  return createPresigner({
    region: 'eu-west-1',
    credentials,
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    bucket: 'uploads',
    now: () => signingDate,
    ...options,
  });
}

const signedHeaders = (url: string) => new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';') ?? [];

describe('checksum types at create', () => {
  it('defaults as S3 does: FULL_OBJECT for CRC64NVME, COMPOSITE for the others, sent as x-amz-checksum-type', async () => {
    const sent = recordFetch();
    const crc = await presigner().presignMultipart({
      key: 'a.bin',
      size: 10 * MiB,
      checksumAlgorithm: 'CRC64NVME',
      checksums: { 1: CRC64, 2: CRC64 },
    });
    const sha = await presigner().presignMultipart({ key: 'a.bin', size: 6 * MiB, checksumAlgorithm: 'SHA256' });
    expect(crc.checksumType).toBe('FULL_OBJECT');
    expect(sha.checksumType).toBe('COMPOSITE');
    expect(sent.map((s) => [s.headers['x-amz-checksum-algorithm'], s.headers['x-amz-checksum-type']])).toEqual([
      ['CRC64NVME', 'FULL_OBJECT'],
      ['SHA256', 'COMPOSITE'],
    ]);
    // Each part is signed with its own checksum.
    expect(crc.parts[0]?.request.headers['x-amz-checksum-crc64nvme']).toBe(CRC64);
    expect(signedHeaders(crc.parts[0]!.request.url)).toContain('x-amz-checksum-crc64nvme');
  });

  it.each([
    ['CRC64NVME', 'COMPOSITE'],
    ['SHA256', 'FULL_OBJECT'],
    ['SHA1', 'FULL_OBJECT'],
  ] as const)('refuses %s with %s before S3 is asked', async (algorithm, checksumType) => {
    const sent = recordFetch();
    const error = await rejection(
      presigner().presignMultipart({ key: 'a.bin', size: 6 * MiB, checksumAlgorithm: algorithm, checksumType }),
    );
    expect(error.code).toBe('ERR_INVALID_CHECKSUM');
    expect(error.message).toContain(`no ${checksumType} checksum of ${algorithm}`);
    expect(sent).toEqual([]);
  });

  it('refuses a checksumType without an algorithm, and an unknown type', async () => {
    const sent = recordFetch();
    const without = await rejection(presigner().presignMultipart({ key: 'a.bin', size: 1, checksumType: 'COMPOSITE' }));
    expect(without.code).toBe('ERR_INVALID_CHECKSUM');
    const unknown = await rejection(
      presigner().presignMultipart({
        key: 'a.bin',
        size: 1,
        checksumAlgorithm: 'CRC32',
        checksumType: 'WHOLE' as 'COMPOSITE',
      }),
    );
    expect(unknown.message).toContain("checksumType must be 'FULL_OBJECT' or 'COMPOSITE'");
    expect(sent).toEqual([]);
  });
});

describe('completion: the whole-object checksum and the conditions', () => {
  const parts = [
    { partNumber: 1, etag: '"e1"', checksum: CRC64 },
    { partNumber: 2, etag: '"e2"', checksum: CRC64 },
  ];

  it('sends the object checksum, its type and the conditions as headers, and reports S3 checksum', async () => {
    const sent = recordFetch();
    const done = await presigner().completeMultipart({
      key: 'a.bin',
      uploadId: 'up-1',
      parts,
      checksumAlgorithm: 'CRC64NVME',
      checksum: { algorithm: 'CRC64NVME', value: CRC64 },
      ifNoneMatch: '*',
    });
    expect(sent[0]?.headers).toMatchObject({
      'x-amz-checksum-crc64nvme': CRC64,
      'x-amz-checksum-type': 'FULL_OBJECT',
      'if-none-match': '*',
    });
    expect(done.checksum).toEqual({ algorithm: 'CRC64NVME', value: CRC64, type: 'FULL_OBJECT' });
  });

  it.each([
    [{ algorithm: 'SHA256', value: SHA }, 'SHA256', 'not SHA256'],
    [{ algorithm: 'CRC32', value: CRC32 }, 'CRC64NVME', 'must be one algorithm'],
    [{ algorithm: 'CRC64NVME', value: 'short' }, 'CRC64NVME', 'base64 of 8 bytes'],
  ] as const)('refuses the object checksum %j on a %s upload before S3 is asked', async (checksum, algorithm, says) => {
    const sent = recordFetch();
    const error = await rejection(
      presigner().completeMultipart({
        key: 'a.bin',
        uploadId: 'up-1',
        parts: parts.map((p) => ({ ...p, checksum: algorithm === 'SHA256' ? SHA : CRC64 })),
        checksumAlgorithm: algorithm,
        checksum,
      }),
    );
    expect(error.code).toBe('ERR_INVALID_CHECKSUM');
    expect(error.message).toContain(says);
    expect(sent).toEqual([]);
  });

  it('refuses ifNoneMatch other than * before S3 is asked', async () => {
    const sent = recordFetch();
    const error = await rejection(
      presigner().completeMultipart({ key: 'a.bin', uploadId: 'up-1', parts, ifNoneMatch: '"e"' as '*' }),
    );
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(sent).toEqual([]);
  });

  it('signs the conditions into the upload complete descriptor (create only, replace only)', async () => {
    recordFetch();
    const createOnly = await presigner().presignMultipart({ key: 'a.bin', size: 6 * MiB, ifNoneMatch: '*' });
    expect(createOnly.complete.headers['if-none-match']).toBe('*');
    expect(signedHeaders(createOnly.complete.url)).toContain('if-none-match');
    const replace = await presigner().presignMultipart({ key: 'a.bin', size: 6 * MiB, ifMatch: '"v1"' });
    expect(replace.complete.headers['if-match']).toBe('"v1"');
    // Only the completion carries them: parts and abort must not be conditional.
    expect(replace.parts[0]?.request.headers['if-match']).toBeUndefined();
    expect(replace.abort.headers['if-match']).toBeUndefined();
  });

  it.each([
    [412, 'PreconditionFailed', 'ERR_PRECONDITION_FAILED'],
    [409, 'ConditionalRequestConflict', 'ERR_CONDITIONAL_CONFLICT'],
  ] as const)('S3 %i %s is %s, with a hint, on both paths', async (status, s3Code, code) => {
    const xml = `<Error><Code>${s3Code}</Code><Message>At least one of the pre-conditions you specified did not hold</Message><RequestId>R1</RequestId></Error>`;
    recordFetch((s) => (s.method === 'POST' && !('uploads' in s.query) ? new Response(xml, { status }) : undefined));
    const signed = await rejection(
      presigner().completeMultipart({ key: 'a.bin', uploadId: 'up-1', parts, ifNoneMatch: '*', keepOnFailure: true }),
    );
    expect([signed.code, signed.status, signed.s3Code]).toEqual([code, status, s3Code]);
    expect(signed.hint).toBeTruthy();

    const sdk = new S3Client({
      region: 'eu-west-1',
      credentials,
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      maxAttempts: 1,
      requestHandler: {
        handle: async () => ({
          response: new HttpResponse({
            statusCode: status,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([Buffer.from(xml)]),
          }),
        }),
      },
    });
    const viaClient = await rejection(
      createPresigner({ client: sdk, bucket: 'uploads' }).completeMultipart({
        key: 'a.bin',
        uploadId: 'up-1',
        parts,
        ifNoneMatch: '*',
        keepOnFailure: true,
      }),
    );
    expect([viaClient.code, viaClient.status, viaClient.s3Code]).toEqual([code, status, s3Code]);
  });
});

describe('the expected bucket owner', () => {
  it('is signed on every request of a presigner that expects one, and a call can name another', async () => {
    const sent = recordFetch();
    const p = presigner({ expectedBucketOwner: OWNER });
    const requests = [
      await p.presignGet({ key: 'a.bin' }),
      await p.presignHead({ key: 'a.bin' }),
      await p.presignPut({ key: 'a.bin', contentLength: 1 }),
      await p.presignDelete({ key: 'a.bin' }),
      await p.presign({ method: 'GET', query: { 'list-type': 2 } }),
    ];
    const upload = await p.presignMultipart({ key: 'a.bin', size: 6 * MiB });
    requests.push(upload.complete, upload.abort, upload.head, ...upload.parts.map((part) => part.request));
    requests.push(
      ...(await p.presignParts({ key: 'a.bin', uploadId: 'up-1', partNumbers: [1] })).map((x) => x.request),
    );
    for (const request of requests) {
      expect(request.headers['x-amz-expected-bucket-owner']).toBe(OWNER);
      expect(signedHeaders(request.url)).toContain('x-amz-expected-bucket-owner');
    }
    await p.completeMultipart({ key: 'a.bin', uploadId: 'up-1', parts: [{ partNumber: 1, etag: '"e"' }] });
    await p.abortMultipart({ key: 'a.bin', uploadId: 'up-1' });
    await p.listParts({ key: 'a.bin', uploadId: 'up-1' });
    expect(sent.map((s) => s.headers['x-amz-expected-bucket-owner'])).toEqual([OWNER, OWNER, OWNER, OWNER]);

    const other = await p.presignGet({ key: 'a.bin', expectedBucketOwner: '444455556666' });
    expect(other.headers['x-amz-expected-bucket-owner']).toBe('444455556666');
  });

  it('is a 12-digit account id, refused otherwise when the presigner is created and per call', async () => {
    expect(() => presigner({ expectedBucketOwner: 'acme' })).toThrow(/12-digit AWS account id/);
    const error = await rejection(presigner().presignGet({ key: 'a.bin', expectedBucketOwner: '1234' }));
    expect(error.code).toBe('ERR_INVALID_OPTION');
    const sent = recordFetch();
    const multipart = await rejection(
      presigner().abortMultipart({ key: 'a', uploadId: 'u', expectedBucketOwner: 'x' }),
    );
    expect(multipart.code).toBe('ERR_INVALID_OPTION');
    expect(sent).toEqual([]);
  });
});

describe('reads: If-Range and checksum mode', () => {
  it('signs if-range with a range (an ETag or a date), and refuses it without one', async () => {
    const etag = await presigner().presignGet({ key: 'a.bin', range: { start: 100 }, ifRange: '"v1"' });
    expect(etag.headers).toMatchObject({ range: 'bytes=100-', 'if-range': '"v1"' });
    expect(signedHeaders(etag.url)).toEqual(expect.arrayContaining(['if-range', 'range']));
    const date = await presigner().presignGet({
      key: 'a.bin',
      range: 'bytes=0-9',
      ifRange: new Date('2026-12-01T00:00:00Z'),
    });
    expect(date.headers['if-range']).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
    const error = await rejection(presigner().presignGet({ key: 'a.bin', ifRange: '"v1"' }));
    expect(error.code).toBe('ERR_INVALID_HEADER');
  });

  it('signs x-amz-checksum-mode: ENABLED on GET and HEAD when asked, and checks the flag', async () => {
    const get = await presigner().presignGet({ key: 'a.bin', checksumMode: true });
    const head = await presigner().presignHead({ key: 'a.bin', checksumMode: true });
    for (const request of [get, head]) {
      expect(request.headers['x-amz-checksum-mode']).toBe('ENABLED');
      expect(signedHeaders(request.url)).toContain('x-amz-checksum-mode');
    }
    expect((await presigner().presignGet({ key: 'a.bin', checksumMode: false })).headers).toEqual({});
    const error = await rejection(presigner().presignGet({ key: 'a.bin', checksumMode: 'yes' as unknown as boolean }));
    expect(error.code).toBe('ERR_INVALID_OPTION');
  });
});

describe('on the wire, as the SDK sends the same operations', () => {
  /** What the signed-fetch path and the SDK send for one call of each presigner. */
  async function both(run: (p: Presigner) => Promise<unknown>): Promise<[Sent[], Sent[]]> {
    const viaFetch = recordFetch();
    await run(presigner({ expectedBucketOwner: OWNER }));
    globalThis.fetch = realFetch;
    const viaSdk: Sent[] = [];
    await run(createPresigner({ client: recordingClient(viaSdk), bucket: 'uploads', expectedBucketOwner: OWNER }));
    return [viaFetch, viaSdk];
  }

  function expectSame(ours: Sent[], sdk: Sent[]): void {
    expect(ours.length).toBe(sdk.length);
    ours.forEach((mine, i) => {
      const theirs = sdk[i]!;
      expect(mine.method).toBe(theirs.method);
      expect(mine.path).toBe(theirs.path);
      expect(mine.query).toEqual(theirs.query);
      expect(meaningful(mine.headers, mine.body)).toEqual(meaningful(theirs.headers, theirs.body));
      expect(xmlOf(mine.body)).toEqual(xmlOf(theirs.body));
      expect(/^<\?xml|^$/.test(mine.body) || mine.body.startsWith('<CompleteMultipartUpload')).toBe(true);
    });
  }

  it('CreateMultipartUpload with a checksum algorithm and type, object headers and the owner', async () => {
    const [ours, sdk] = await both((p) =>
      p.presignMultipart({
        key: 'dir/a b+c.bin',
        size: 6 * MiB,
        contentType: 'application/octet-stream',
        metadata: { team: 'a' },
        checksumAlgorithm: 'CRC32',
        checksumType: 'FULL_OBJECT',
        initialParts: 0,
      }),
    );
    expect(ours[0]?.headers['x-amz-checksum-type']).toBe('FULL_OBJECT');
    expectSame(ours, sdk);
  });

  it('CompleteMultipartUpload with part checksums, the object checksum, conditions and the owner', async () => {
    const [ours, sdk] = await both((p) =>
      p.completeMultipart({
        key: 'dir/a b+c.bin',
        uploadId: 'up/1+=',
        parts: [
          { partNumber: 2, etag: '"e2"', checksum: CRC64 },
          { partNumber: 1, etag: '"e1"', checksum: CRC64 },
        ],
        checksumAlgorithm: 'CRC64NVME',
        checksumType: 'FULL_OBJECT',
        checksum: { algorithm: 'CRC64NVME', value: CRC64 },
        ifMatch: '"v1"',
      }),
    );
    expect(ours[0]?.headers['if-match']).toBe('"v1"');
    expect(xmlOf(ours[0]!.body)).toEqual([
      { PartNumber: '1', ETag: '"e1"', ChecksumCRC64NVME: CRC64 },
      { PartNumber: '2', ETag: '"e2"', ChecksumCRC64NVME: CRC64 },
    ]);
    expectSame(ours, sdk);
  });

  it('AbortMultipartUpload and ListParts with the owner', async () => {
    const [ours, sdk] = await both(async (p) => {
      await p.abortMultipart({ key: 'a.bin', uploadId: 'up-1' });
      await p.listParts({ key: 'a.bin', uploadId: 'up-1' });
    });
    expectSame(ours, sdk);
  });
});
