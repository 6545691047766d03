import { inspect } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createPresigner, type Presigner, redactUrl } from '../../src/index.js';
import { CANARY, canariesIn } from '../helpers/canary.js';
import { rejection } from '../helpers/rejection.js';

// Item 1 of issue 10: with canary credentials, no canary in what a presigner prints or serialises,
// nor in any error it throws or rejects with; the token stays where S3 needs it, in the URL.
const SIGNED_AT = new Date('2026-11-29T12:00:00Z');
const views = (value: unknown): string[] => [
  JSON.stringify(value),
  String(value),
  `${value}`,
  inspect(value),
  inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, customInspect: false, getters: true }),
];

const presigners: Array<[string, () => Presigner]> = [
  ['static credentials', () => createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: { ...CANARY } })],
  ['a provider', () => createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: async () => CANARY })],
  [
    'an S3Client',
    () =>
      createPresigner({ client: new S3Client({ region: 'eu-west-1', credentials: { ...CANARY } }), bucket: 'uploads' }),
  ],
];

describe('a presigner printed or serialised', () => {
  it.each(presigners)('with %s shows where it signs, never a secret, a token or a signing key', async (_n, make) => {
    const presigner = make();
    const get = await presigner.presignGet({ key: 'a.txt', signingDate: SIGNED_AT });
    // The token stays where S3 needs it.
    expect(new URL(get.url).searchParams.get('X-Amz-Security-Token')).toBe(CANARY.sessionToken);
    for (const text of views(presigner)) {
      expect(canariesIn(text)).toEqual([]);
      expect(text).not.toContain(CANARY.accessKeyId);
    }
    expect(JSON.parse(JSON.stringify(presigner))).toMatchObject({ region: 'eu-west-1', bucket: 'uploads' });
    expect(String(presigner)).toBe('[object Presigner]');
    expect(Object.getOwnPropertyNames(presigner)).toEqual([]);
  });

  it('names the static key id by its last four characters only', () => {
    const presigner = createPresigner({ region: 'eu-west-1', credentials: { ...CANARY } });
    expect(JSON.parse(JSON.stringify(presigner)).accessKeyId).toBe(`…${CANARY.accessKeyId.slice(-4)}`);
  });
});

describe('errors keep no secret', () => {
  it("a provider's failure is ERR_INVALID_CREDENTIALS that still says why, scrubbed of what it quoted or carried", async () => {
    let calls = 0;
    const presigner = createPresigner({
      region: 'eu-west-1',
      bucket: 'uploads',
      credentials: async () => {
        calls++;
        if (calls === 1) return CANARY;
        throw Object.assign(
          new Error(
            `refresh of ${CANARY.accessKeyId} failed: token ${CANARY.sessionToken} expired; secret=${CANARY.secretAccessKey}`,
          ),
          { credentials: { ...CANARY }, code: 'ExpiredToken' },
        );
      },
    });
    await presigner.presignGet({ key: 'a.txt' });
    const error = await rejection(presigner.presignGet({ key: 'a.txt' }));
    expect(error.code).toBe('ERR_INVALID_CREDENTIALS');
    expect(error.message).toMatch(/credential provider failed: refresh of REDACTED failed: token REDACTED expired/);
    expect((error.cause as { code?: string }).code).toBe('ExpiredToken');
    expect((error.cause as { credentials?: unknown }).credentials).toBeUndefined();
    expect(canariesIn(error)).toEqual([]);
  });

  it("a provider's failure that names secrets it never gave is scrubbed by their shape", async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const presigner = createPresigner({
      region: 'eu-west-1',
      credentials: async () => {
        throw new Error(
          `profile default: aws_secret_access_key = ${secret}; Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x`,
        );
      },
    });
    const error = await rejection(presigner.presignGet({ key: 'a.txt', bucket: 'uploads' }));
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(secret);
    expect(error.message).not.toContain('AKIDEXAMPLE');
  });

  it('an SDK client failure is ERR_S3 whose cause keeps the safe facts and drops the request', async () => {
    const client = new S3Client({ region: 'eu-west-1', credentials: { ...CANARY } });
    const sdkError = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'REQ1', extendedRequestId: 'EXT1' },
      AWSAccessKeyId: CANARY.accessKeyId,
      $response: {
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=${CANARY.accessKeyId}/20261129/eu-west-1/s3/aws4_request`,
          'x-amz-security-token': CANARY.sessionToken,
        },
      },
    });
    client.send = async () => {
      throw sdkError;
    };
    const presigner = createPresigner({ client, bucket: 'uploads' });
    await presigner.presignGet({ key: 'a.txt' });
    const error = await rejection(presigner.abortMultipart({ key: 'a.txt', uploadId: 'u1' }));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'AccessDenied', status: 403, requestId: 'REQ1' });
    expect(error.cause).toMatchObject({
      name: 'AccessDenied',
      message: 'Access Denied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, requestId: 'REQ1', extendedRequestId: 'EXT1' },
    });
    expect(canariesIn(error)).toEqual([]);
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(CANARY.accessKeyId);
  });

  it('an unparsable endpoint is quoted without its userinfo, and its parser error without the input', () => {
    let caught: unknown;
    try {
      createPresigner({ region: 'eu-west-1', endpoint: 'http://minio:hunter2secret@[::1', credentials: CANARY });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ERR_INVALID_ENDPOINT' });
    const text = inspect(caught, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(text).not.toContain('hunter2secret');
    expect(text).toContain('http://REDACTED@[::1');
  });

  it('a fetch failure does not quote a header value it refused', async () => {
    const { upload } = await import('../../src/consumer/index.js');
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: CANARY });
    const put = await presigner.presignPut({ key: 'a.txt' });
    const fetch = async () => {
      throw new TypeError(`Headers.append: "${CANARY.secretAccessKey}\nx" is an invalid header value.`);
    };
    const error = await rejection(upload(put, 'x', { fetch, retry: 0 }));
    expect(error.code).toBe('ERR_NETWORK');
    expect(canariesIn(error)).toEqual([]);
    expect(String((error.cause as Error).message)).toContain('is an invalid header value');
  });
});

describe('redactUrl', () => {
  const token = encodeURIComponent(CANARY.sessionToken);
  const url = `https://b.s3.eu-west-1.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${CANARY.accessKeyId}%2F20261129%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261129T120000Z&X-Amz-Security-Token=${token}&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd`;
  it.each([
    ['as signed', url],
    ['lower case', url.toLowerCase()],
    ['upper case', url.toUpperCase()],
    ['percent-encoded inside another URL', `https://app/cb?next=${encodeURIComponent(url)}&x=1`],
    ['encoded twice', encodeURIComponent(encodeURIComponent(url))],
    ['in HTML', url.replaceAll('&', '&amp;')],
    ['in a log line', `GET ${url} 403 12ms`],
  ])('redacts the credential, token and signature %s', (_how, text) => {
    const redacted = redactUrl(text);
    for (const secret of [CANARY.accessKeyId, CANARY.sessionToken, token, '0123abcd']) {
      expect(redacted.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    expect(redacted).toMatch(/REDACTED/);
  });

  it('keeps everything else', () => {
    expect(redactUrl(`${url}#frag`)).toContain(
      'X-Amz-Date=20261129T120000Z&X-Amz-Security-Token=REDACTED&X-Amz-SignedHeaders=host',
    );
    expect(redactUrl('GET /k?a=1 200')).toBe('GET /k?a=1 200');
  });
});
