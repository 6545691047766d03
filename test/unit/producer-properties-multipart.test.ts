/**
 * Issue 10, items 2 and 5, for the multipart methods and presignPost: 10,000 seeded random inputs
 * each, valid and invalid mixed, through a presigner whose `client` is a recording stand-in for
 * S3Client. Every call rejects with a coded PresignError that quotes no secret, having sent nothing
 * to S3 (or, after a create, the abort that cleans up), or resolves with descriptors that the
 * independent verifier accepts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresigner, type PresignerOptions } from '../../src/index.js';
import * as A from '../helpers/producer-arbitraries.js';
import { outcome, Tally } from '../helpers/property-outcome.js';
import { type VerifierKey, verifyDescriptor, verifyPost } from '../helpers/sigv4-verifier.js';

const RUNS = 10_000;
const SEED = 20_261_205;
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/=';
const SECRETS = [SECRET, TOKEN];
const UPLOAD_ID = 'VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN };
const key: VerifierKey = { ...credentials, region: 'eu-west-1' };
const MIB = 1024 ** 2;

/** Commands sent, by name; answers like S3's. */
let sent: string[] = [];
const client: NonNullable<PresignerOptions['client']> = {
  config: { region: 'eu-west-1', credentials: async () => credentials },
  async send(command: { constructor: { name: string }; input: { Key: string; UploadId?: string } }) {
    const name = command.constructor.name;
    sent.push(name);
    // The SDK's serialiser percent-encodes the key and upload id (a lone surrogate throws there).
    encodeURIComponent(command.input.Key);
    if (command.input.UploadId !== undefined) encodeURIComponent(command.input.UploadId);
    if (name === 'CreateMultipartUploadCommand') return { UploadId: UPLOAD_ID };
    if (name === 'CompleteMultipartUploadCommand') return { ETag: '"abc-2"', Location: 'https://x/k' };
    if (name === 'ListPartsCommand')
      return { Parts: [{ PartNumber: 1, ETag: '"a"', Size: 5 * MIB }], IsTruncated: false };
    return {};
  },
};
const presigner = createPresigner({ client, bucket: 'examplebucket' });

const bucket = A.option(A.mostly(['examplebucket', 'my.dotted.bucket'], ['Bad_Bucket']));
const uploadId = A.mostly([UPLOAD_ID, 'a+b/c=='], ['', '\ud800', 5]);
const signal = A.mostly([new AbortController().signal], [AbortSignal.abort(), 'signal']);
const algorithms = A.mostly(['SHA256', 'CRC32'] as const, ['MD5', 'toString']);
const CHECKSUM_VALUE: Record<string, string> = {
  SHA256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
  CRC32: 'AAAAAA==',
};
function checksumValue(algorithm: unknown): string | undefined {
  return typeof algorithm === 'string' && Object.hasOwn(CHECKSUM_VALUE, algorithm)
    ? CHECKSUM_VALUE[algorithm]
    : undefined;
}
const partNumber = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 12 }) },
  fc.constantFrom(0, 10_001, 1.5, '2'),
);
const size = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 48 * MIB }) },
  fc.constantFrom(-1, 1.5, '100', 5 * 1024 ** 4 + 1),
);
const partSize = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 5 * MIB, max: 16 * MIB }) },
  fc.constantFrom(4 * MIB, 6 * 1024 ** 3, '8388608'),
);

/** Adds `checksums` for the algorithm chosen (right or wrong), as callers would. */
function withChecksums(o: Record<string, unknown>, parts: readonly unknown[]): Record<string, unknown> {
  const value = checksumValue(o.checksumAlgorithm);
  if (value === undefined || o.checksums !== undefined) return o;
  const numbers = parts.filter((n) => typeof n === 'number' || typeof n === 'string') as Array<number | string>;
  return { ...o, checksums: Object.fromEntries(numbers.map((n) => [n, value])) };
}

const createOptions = A.options(
  {
    key: A.key,
    bucket,
    size,
    partSize: A.option(partSize),
    initialParts: A.option(
      fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 4 }) }, fc.constantFrom(-1, 1.5)),
    ),
    checksumAlgorithm: A.option(algorithms),
    contentType: A.option(A.headerText),
    metadata: A.option(A.metadata),
    tagging: A.option(A.tagging),
    serverSideEncryption: A.option(A.sse),
    acl: A.option(A.mostly(['private'], ['public'])),
    expiresIn: A.option(A.expiresIn),
    signingDate: A.option(A.signingDate),
    signal: A.option(signal),
  },
  ['key', 'size'],
).map((o) => withChecksums(o, [1, 2, 3, 4]));

const partsOptions = fc
  .tuple(
    A.options(
      {
        key: A.key,
        bucket,
        uploadId,
        partNumbers: fc.oneof({ weight: 10, arbitrary: fc.array(partNumber, { maxLength: 5 }) }, A.hostile),
        size: A.option(size),
        partSize: A.option(partSize),
        checksumAlgorithm: A.option(algorithms),
        expiresIn: A.option(A.expiresIn),
        signingDate: A.option(A.signingDate),
      },
      ['key', 'uploadId', 'partNumbers'],
    ),
    fc.boolean(),
  )
  .map(([o, planned]) => {
    // Mostly both size and partSize or neither, as the API asks; sometimes one alone.
    const withPlan = planned ? o : { ...o, size: undefined, partSize: undefined };
    return withChecksums(withPlan, Array.isArray(o.partNumbers) ? o.partNumbers : []);
  });

const completedPart = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ partNumber, etag: A.mostly(['"a"', '"b54357faf0632cce46e942fa68356b38"'], ['', 'é', 5]) }),
  },
  A.hostile,
);
const completeOptions = A.options(
  {
    key: A.key,
    bucket,
    uploadId,
    parts: fc.oneof({ weight: 10, arbitrary: fc.array(completedPart, { minLength: 1, maxLength: 4 }) }, A.hostile),
    checksumAlgorithm: A.option(algorithms),
    keepOnFailure: A.option(fc.boolean()),
    signal: A.option(signal),
  },
  ['key', 'uploadId', 'parts'],
).map((o) => {
  const value = checksumValue(o.checksumAlgorithm);
  if (value === undefined || !Array.isArray(o.parts)) return o;
  return { ...o, parts: o.parts.map((p) => (typeof p === 'object' && p !== null ? { ...p, checksum: value } : p)) };
});
const targetOptions = A.options({ key: A.key, bucket, uploadId, signal: A.option(signal) }, ['key', 'uploadId']);

const condition = A.mostly(
  [
    ['starts-with', '$x-amz-meta-album', ''],
    { 'x-amz-storage-class': 'STANDARD_IA' },
    ['content-length-range', 0, 100],
  ],
  [['eq', '$policy', 'x'], ['lt', '$key', 'a'], ['starts-with', 'key', 'a'], 'x'],
);
const postOptions = A.options(
  {
    key: fc.oneof({ weight: 3, arbitrary: A.key }, fc.constant(undefined)),
    keyPrefix: A.option(A.mostly(['uploads/', 'a b/'], ['', 5])),
    bucket,
    contentType: A.option(A.headerText),
    contentTypePrefix: A.option(A.mostly(['image/', ''], [5])),
    minSize: A.option(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }) }, fc.constantFrom(-1, '5'))),
    maxSize: A.option(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 100, max: 5 * 1024 ** 3 }) },
        fc.constantFrom(5 * 1024 ** 3 + 1),
      ),
    ),
    metadata: A.option(A.metadata),
    acl: A.option(A.mostly(['private', 'public-read'], ['public'])),
    successActionStatus: A.option(A.mostly([200, 201, 204], ['201', 302])),
    successActionRedirect: A.option(A.mostly(['https://app.example.com/done'], ['javascript:x', 'nope'])),
    cacheControl: A.option(A.headerText),
    contentDisposition: A.option(A.headerText),
    tagging: A.option(fc.oneof(A.tagging, fc.constant('<Tagging><TagSet></TagSet></Tagging>'))),
    checksum: A.option(A.checksum),
    conditions: A.option(fc.oneof({ weight: 6, arbitrary: fc.array(condition, { maxLength: 2 }) }, A.hostile)),
    fields: A.option(fc.dictionary(A.token, A.headerText, { maxKeys: 2 })),
    expiresIn: A.option(A.expiresIn),
    signingDate: A.option(A.signingDate),
  },
  ['key'],
).map((o) =>
  // A key under the prefix, as a page would choose it (sometimes outside it).
  typeof o.keyPrefix === 'string' && typeof o.key === 'string' && o.key.length % 5 !== 0
    ? { ...o, key: `${o.keyPrefix}${o.key}` }
    : o,
);

function hostileOr(arb: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 30, arbitrary: arb }, { weight: 1, arbitrary: A.hostile });
}

/** At most a few parts are verified per run: the first, the last, and the upload's own requests. */
function verifyParts(parts: ReadonlyArray<{ request: Parameters<typeof verifyDescriptor>[0] }>): void {
  for (const part of [parts[0], parts[parts.length - 1]]) {
    if (part !== undefined) expect(verifyDescriptor(part.request, key)).toBeUndefined();
  }
}

async function check(
  arb: fc.Arbitrary<Record<string, unknown>>,
  call: (options: unknown) => Promise<unknown>,
  onSuccess: (value: never) => void,
  sendsOnSuccess: string[],
): Promise<Tally> {
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(hostileOr(arb), async (options) => {
      sent = [];
      const result = await outcome(() => call(options), SECRETS);
      tally.add(result);
      if (result.ok) {
        expect(sent).toEqual(sendsOnSuccess);
        onSuccess(result.value as never);
      } else if (result.error.code !== 'ERR_ABORTED') {
        // The stand-in never fails: an ERR_S3 is input that reached "S3" unchecked.
        expect(result.error.code).not.toBe('ERR_S3');
        // Refused before any I/O, or (after a create) cleaned up by an abort.
        expect(sent.length === 0 || sent.at(-1) === 'AbortMultipartUploadCommand').toBe(true);
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  return tally;
}

describe('every input to a multipart method or presignPost is handled verifiably or refused with a code', () => {
  it('presignMultipart: 10,000 seeded inputs', async () => {
    const tally = await check(
      createOptions,
      (o) => presigner.presignMultipart(o as never),
      (upload: { parts: []; complete: never; abort: never }) => {
        verifyParts(upload.parts);
        expect(verifyDescriptor(upload.complete, key)).toBeUndefined();
        expect(verifyDescriptor(upload.abort, key)).toBeUndefined();
      },
      ['CreateMultipartUploadCommand'],
    );
    tally.expectMix(RUNS);
  });

  it('presignParts: 10,000 seeded inputs', async () => {
    const tally = await check(
      partsOptions,
      (o) => presigner.presignParts(o as never),
      (parts: []) => verifyParts(parts),
      [],
    );
    tally.expectMix(RUNS);
  });

  it('completeMultipart: 10,000 seeded inputs', async () => {
    const tally = await check(
      completeOptions,
      (o) => presigner.completeMultipart(o as never),
      (done: { etag: string }) => expect(done.etag).toBe('"abc-2"'),
      ['CompleteMultipartUploadCommand'],
    );
    tally.expectMix(RUNS);
  });

  it('abortMultipart: 10,000 seeded inputs', async () => {
    const tally = await check(
      targetOptions,
      (o) => presigner.abortMultipart(o as never),
      () => {},
      ['AbortMultipartUploadCommand'],
    );
    tally.expectMix(RUNS);
  });

  it('listParts: 10,000 seeded inputs', async () => {
    const tally = await check(
      targetOptions,
      (o) => presigner.listParts(o as never),
      (parts: []) => expect(parts).toHaveLength(1),
      ['ListPartsCommand'],
    );
    tally.expectMix(RUNS);
  });

  it('presignPost: 10,000 seeded inputs', async () => {
    const tally = await check(
      postOptions,
      (o) => presigner.presignPost(o as never),
      (post: Parameters<typeof verifyPost>[0]) => expect(verifyPost(post, key)).toBeUndefined(),
      [],
    );
    tally.expectMix(RUNS);
  });
});
