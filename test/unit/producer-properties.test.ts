/**
 * Issue 10, items 2, 3 and 5, for createPresigner and the single-request methods: 10,000 seeded
 * random inputs each, valid and invalid mixed. Every call rejects with a coded PresignError that
 * quotes no secret, or resolves with a descriptor that the independent verifier (written from the
 * AWS specification, test/helpers/sigv4-verifier.ts) accepts as S3 would compute it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPresigner, type PresignedRequest, type Presigner, type PresignerOptions } from '../../src/index.js';
import * as A from '../helpers/producer-arbitraries.js';
import { outcome, Tally } from '../helpers/property-outcome.js';
import { type VerifierKey, verifyDescriptor } from '../helpers/sigv4-verifier.js';

const RUNS = 10_000;
const SEED = 20_261_204;
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/%=';
const SECRETS = [SECRET, TOKEN];

interface Setup {
  presigner: Presigner;
  key: VerifierKey;
}

function setup(options: Omit<PresignerOptions, 'credentials'>, sessionToken?: string): Setup {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken };
  return {
    presigner: createPresigner({ ...options, credentials }),
    key: { ...credentials, region: options.region as string },
  };
}

// Where the requests go: virtual-hosted, path-style, custom endpoints with base paths that need
// canonicalising, dual-stack; with and without a session token.
const SETUPS: Setup[] = [
  setup({ region: 'eu-west-1', bucket: 'examplebucket' }),
  setup({ region: 'us-east-1', bucket: 'examplebucket', forcePathStyle: true }, TOKEN),
  setup({ region: 'eu-west-1', bucket: 'examplebucket', endpoint: 'http://127.0.0.1:9000/base/' }),
  setup({ region: 'auto', bucket: 'examplebucket', endpoint: "https://s3.example.com/a%20b/(x)!'*$+/é/~" }, TOKEN),
  setup({ region: 'eu-west-1', bucket: 'examplebucket', endpoint: 'https://minio.example.com:9443/%7Euser//s3' }),
  setup({ region: 'ap-south-1', bucket: 'examplebucket', dualstack: true }),
];

const bucket = A.option(A.mostly(['examplebucket', 'my.dotted.bucket', 'other-bucket'], ['Bad_Bucket', 'ab']));
const common = {
  key: A.key,
  bucket,
  expiresIn: A.option(A.expiresIn),
  signingDate: A.option(A.signingDate),
};

const getOptions = A.options(
  {
    ...common,
    versionId: A.option(A.queryText),
    partNumber: A.option(fc.integer({ min: -1, max: 10_001 })),
    range: A.option(
      fc.oneof(
        fc.constantFrom('bytes=0-99', 'bytes=-5', 'bytes=0-1, 5-9', '0-99', 'bytes=a-b'),
        fc.record(
          { start: fc.integer({ min: -1, max: 100 }), end: fc.integer({ min: -1, max: 200 }) },
          { requiredKeys: ['start'] },
        ),
      ),
    ),
    responseContentType: A.option(A.queryText),
    responseContentDisposition: A.option(A.queryText),
    responseContentEncoding: A.option(A.queryText),
    responseContentLanguage: A.option(A.queryText),
    responseCacheControl: A.option(A.queryText),
    responseExpires: A.option(fc.oneof(A.validHeaderText, fc.date({ noInvalidDate: false }))),
    ifMatch: A.option(A.headerText),
    ifNoneMatch: A.option(A.headerText),
  },
  ['key'],
);

const putOptions = A.options(
  {
    ...common,
    contentType: A.option(A.headerText),
    contentLength: A.option(
      fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 0, max: 5 * 1024 ** 3 }) },
        fc.constantFrom(-1, 5 * 1024 ** 3 + 1),
      ),
    ),
    contentMd5: A.option(A.mostly(['1B2M2Y8AsgTpgAmY7PhCfg=='], ['d41d8cd98f00b204e9800998ecf8427e'])),
    checksum: A.option(A.checksum),
    metadata: A.option(A.metadata),
    cacheControl: A.option(A.headerText),
    contentDisposition: A.option(A.headerText),
    contentEncoding: A.option(A.headerText),
    contentLanguage: A.option(A.headerText),
    expires: A.option(fc.oneof(A.validHeaderText, fc.date({ noInvalidDate: false }))),
    acl: A.option(A.mostly(['private', 'public-read', 'bucket-owner-full-control'], ['public'])),
    storageClass: A.option(A.mostly(['STANDARD', 'STANDARD_IA', 'GLACIER_IR'], ['CHEAP'])),
    tagging: A.option(A.tagging),
    serverSideEncryption: A.option(A.sse),
    ifNoneMatch: A.option(A.mostly(['*'], ['etag'])),
    hoist: A.option(fc.boolean()),
  },
  ['key'],
);

const deleteOptions = A.options({ ...common, versionId: A.option(A.queryText) }, ['key']);

const queryName = fc.oneof(
  A.token,
  fc.string({ maxLength: 8, unit: 'grapheme' }),
  fc.constantFrom('tagging', 'list-type', 'X-Amz-Date', 'x-amz-signature', 'x-id', '', 'a&b', '__proto__', '\ud800'),
);
const headerName = fc.oneof(
  A.token.map((t) => `x-amz-meta-${t}`),
  A.token,
  fc.constantFrom('Host', 'x-amz-date', 'Connection', 'sec-fetch-mode', 'bad name', '__proto__', 'constructor', 'X-A'),
);
const genericOptions = A.options(
  {
    method: A.mostly(['GET', 'PUT', 'HEAD', 'DELETE', 'POST'], ['get', 'PATCH', null]),
    key: A.option(A.key),
    bucket,
    query: A.option(
      fc.dictionary(queryName, fc.oneof(A.queryText, fc.integer(), fc.constant(''), fc.constant(undefined)), {
        maxKeys: 4,
      }),
    ),
    headers: A.option(
      fc.dictionary(headerName, fc.oneof(A.headerText, fc.integer(), fc.constant(undefined)), { maxKeys: 4 }),
    ),
    expiresIn: A.option(A.expiresIn),
    signingDate: A.option(A.signingDate),
  },
  ['method'],
);

function inputs(optionsArb: fc.Arbitrary<Record<string, unknown>>) {
  return fc.tuple(
    fc.nat({ max: SETUPS.length - 1 }),
    fc.oneof({ weight: 30, arbitrary: optionsArb }, { weight: 1, arbitrary: A.hostile }),
  );
}

type Method = 'presignGet' | 'presignPut' | 'presignHead' | 'presignDelete' | 'presign';

async function check(method: Method, optionsArb: fc.Arbitrary<Record<string, unknown>>): Promise<Tally> {
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(inputs(optionsArb), async ([which, options]) => {
      const { presigner, key } = SETUPS[which] as Setup;
      const result = await outcome(
        () => (presigner[method] as (o: unknown) => Promise<PresignedRequest>)(options),
        SECRETS,
      );
      tally.add(result);
      if (result.ok) {
        expect(verifyDescriptor(result.value, key)).toBeUndefined();
        expect(JSON.parse(JSON.stringify(result.value))).toEqual(result.value);
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  return tally;
}

describe('every input to a single-request method is signed verifiably or refused with a code', () => {
  it.each([
    ['presignGet', getOptions],
    ['presignHead', getOptions],
    ['presignPut', putOptions],
    ['presignDelete', deleteOptions],
    ['presign', genericOptions],
  ] as const)('%s: 10,000 seeded inputs', async (method, arb) => {
    (await check(method, arb)).expectMix(RUNS);
  });
});

const endpointPiece = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('base', 'a%20b', '(x)!', "a'b*", '~u', 'é', '%C3%A9', '%7e', '', '+', '$;,=&@:'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'base',
      'a%20b',
      '(x)!',
      "a'b*",
      '~u',
      'é',
      '%C3%A9',
      '%7e',
      '',
      '..',
      '.',
      '%2e',
      '%2E%2e',
      '%2F',
      '%zz',
      ' ',
      '\\',
      '#f',
      '?q=1',
      '+',
      '$;,=&@:',
    ),
  },
);
const endpoint = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('https://', 'http://') },
      fc.constantFrom('ftp://', 'https://user:pw@'),
    ),
    fc.constantFrom('s3.example.com', '127.0.0.1:9000', '[::1]:9000', 'localhost', 'EXAMPLE.com:443'),
    fc.array(endpointPiece, { maxLength: 4 }),
    fc.boolean(),
  )
  .map(
    ([scheme, host, path, slash]) =>
      `${scheme}${host}${path.length > 0 ? '/' : ''}${path.join('/')}${slash ? '/' : ''}`,
  );

const presignerOptions = A.options(
  {
    region: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('eu-west-1', 'us-east-1', 'cn-north-1', 'auto') },
      { weight: 1, arbitrary: fc.constantFrom('eu west 1', '', 'EU') },
    ),
    endpoint: A.option(endpoint, 0),
    forcePathStyle: A.option(fc.boolean()),
    dualstack: A.option(fc.boolean()),
    bucket: A.option(A.mostly(['examplebucket', 'my.dotted.bucket'], ['Bad_Bucket'])),
    expiresIn: A.option(A.expiresIn),
    maxExpiresIn: A.option(A.expiresIn),
    onCredentialExpiry: A.option(A.mostly(['clamp', 'throw'], ['never'])),
    now: A.option(fc.constantFrom(() => new Date('2026-12-04T00:00:00Z'))),
    client: A.option(fc.constant(undefined), 1),
    credentials: fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record(
          {
            accessKeyId: fc.oneof(
              { weight: 8, arbitrary: fc.constantFrom('AKIDEXAMPLE', 'ASIA+=EXAMPLE') },
              { weight: 1, arbitrary: fc.constantFrom('A/B', '') },
            ),
            secretAccessKey: fc.constant(SECRET),
            sessionToken: fc.oneof(
              { weight: 8, arbitrary: fc.constantFrom(undefined, TOKEN) },
              { weight: 1, arbitrary: fc.constantFrom('', '\ud800') },
            ),
          },
          { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
        ),
      },
      { weight: 1, arbitrary: A.hostile },
    ),
  },
  ['region', 'credentials'],
);

describe('createPresigner refuses every bad option with a code; what it builds signs verifiably', () => {
  it('createPresigner: 10,000 seeded option sets, each then signing a GET', async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 30, arbitrary: presignerOptions }, { weight: 1, arbitrary: A.hostile }),
        A.signingDate,
        async (options, signingDate) => {
          const result = await outcome(async () => {
            const presigner = createPresigner(options as PresignerOptions);
            return presigner.presignGet({ key: 'a b/c+d', bucket: 'examplebucket', signingDate });
          }, SECRETS);
          tally.add(result);
          if (result.ok) {
            const o = options as PresignerOptions & { credentials: { accessKeyId: string; sessionToken?: string } };
            const key: VerifierKey = {
              accessKeyId: o.credentials.accessKeyId,
              secretAccessKey: SECRET,
              sessionToken: o.credentials.sessionToken,
              region: o.region as string,
            };
            expect(verifyDescriptor(result.value, key)).toBeUndefined();
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    tally.expectMix(RUNS);
  });
});
