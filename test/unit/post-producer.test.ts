import { createHmac } from 'node:crypto';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPresigner,
  type PostCondition,
  type PresignerOptions,
  type PresignPostOptions,
} from '../../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const NOW = new Date('2026-11-29T01:02:03Z');
/** S3's placeholder for the posted file's name (a literal, not a template). */
const FILENAME = '$' + '{filename}';

afterEach(() => {
  vi.useRealTimers();
});

/** SigV4 signing key and POST signature, derived here with node:crypto only (no library code). */
function independentSignature(secret: string, day: string, region: string, policy: string): string {
  const h = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = h(h(h(h(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(policy).digest('hex');
}

function decode(policy: string): { expiration: string; conditions: PostCondition[] } {
  return JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
}

/** A condition with its field name lower-cased (S3 compares field names case-insensitively). */
function canonical(condition: PostCondition): string {
  if (Array.isArray(condition)) {
    const [op, field, value] = condition;
    return JSON.stringify([op, typeof field === 'string' ? field.toLowerCase() : field, value]);
  }
  const [[field, value]] = Object.entries(condition) as [[string, string]];
  return JSON.stringify({ [field.toLowerCase()]: value });
}

function lowerKeys(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
}

interface Pair {
  name: string;
  presigner: PresignerOptions;
  sdk: S3ClientConfig;
  ours: PresignPostOptions;
  sdkInput: { Bucket: string; Key: string; Conditions?: unknown[]; Fields?: Record<string, string>; Expires: number };
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
const temporary = { ...credentials, sessionToken: TOKEN };

const pairs: Pair[] = [
  {
    name: 'an exact key, content type and size cap (virtual-hosted)',
    presigner: { region: 'eu-west-1', credentials },
    sdk: { region: 'eu-west-1', credentials },
    ours: {
      bucket: 'examplebucket',
      key: 'photos/cat.png',
      contentType: 'image/png',
      maxSize: 1_048_576,
      expiresIn: 600,
    },
    sdkInput: {
      Bucket: 'examplebucket',
      Key: 'photos/cat.png',
      Conditions: [['content-length-range', 0, 1_048_576]],
      Fields: { 'Content-Type': 'image/png' },
      Expires: 600,
    },
  },
  {
    name: 'a key prefix, a type prefix, metadata, acl, status and a session token',
    presigner: { region: 'us-east-1', credentials: temporary },
    sdk: { region: 'us-east-1', credentials: temporary },
    ours: {
      bucket: 'uploads-bucket',
      keyPrefix: 'user/42/',
      contentTypePrefix: 'image/',
      minSize: 1,
      maxSize: 5_000_000,
      metadata: { Album: 'holidays' },
      acl: 'private',
      successActionStatus: 201,
      cacheControl: 'max-age=60',
      expiresIn: 900,
    },
    sdkInput: {
      Bucket: 'uploads-bucket',
      Key: `user/42/${FILENAME}`,
      Conditions: [
        ['starts-with', '$Content-Type', 'image/'],
        ['content-length-range', 1, 5_000_000],
      ],
      Fields: {
        acl: 'private',
        success_action_status: '201',
        'Cache-Control': 'max-age=60',
        'x-amz-meta-album': 'holidays',
      },
      Expires: 900,
    },
  },
  {
    name: 'path style on a custom endpoint, a unicode key, extra fields and conditions',
    presigner: { region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    sdk: { region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    ours: {
      bucket: 'test-bucket',
      key: 'dossier/été 2026+ü.txt',
      fields: { 'x-amz-storage-class': 'STANDARD_IA' },
      conditions: [['starts-with', '$x-amz-meta-tag', '']],
      contentDisposition: 'attachment; filename="a.txt"',
      expiresIn: 3600,
    },
    sdkInput: {
      Bucket: 'test-bucket',
      Key: 'dossier/été 2026+ü.txt',
      Conditions: [['starts-with', '$x-amz-meta-tag', '']],
      Fields: { 'x-amz-storage-class': 'STANDARD_IA', 'Content-Disposition': 'attachment; filename="a.txt"' },
      Expires: 3600,
    },
  },
];

describe('presignPost agrees with @aws-sdk/s3-presigned-post (frozen clock)', () => {
  for (const pair of pairs) {
    it(pair.name, async () => {
      const ours = await createPresigner(pair.presigner).presignPost({ ...pair.ours, signingDate: NOW });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
      const theirs = await createPresignedPost(new S3Client(pair.sdk), pair.sdkInput as never);
      vi.useRealTimers();

      const oursPolicy = decode(ours.fields.policy!);
      const theirFields = lowerKeys(theirs.fields);
      const theirPolicy = decode(theirFields.policy!);
      expect(oursPolicy.expiration).toBe(theirPolicy.expiration);
      expect(ours.expiresAt).toBe(theirPolicy.expiration);
      expect(new Set(oursPolicy.conditions.map(canonical))).toEqual(new Set(theirPolicy.conditions.map(canonical)));
      expect(oursPolicy.conditions).toEqual(ours.conditions);
      expect(ours.url.replace(/\/$/, '')).toBe(theirs.url.replace(/\/$/, ''));

      // Every field both send has the same value (the SDK also sends `bucket`, which S3 takes from the URL).
      const oursFields = lowerKeys(ours.fields);
      for (const [name, value] of Object.entries(theirFields)) {
        if (name === 'policy' || name === 'x-amz-signature' || name === 'bucket') continue;
        expect(oursFields[name], name).toBe(value);
      }

      const day = oursFields['x-amz-date']!.slice(0, 8);
      const region = pair.presigner.region!;
      // The checker is right (it reproduces the SDK's signature) and ours signs our policy the same way.
      expect(independentSignature(SECRET, day, region, theirFields.policy!)).toBe(theirFields['x-amz-signature']);
      expect(independentSignature(SECRET, day, region, ours.fields.policy!)).toBe(ours.fields['x-amz-signature']);
    });
  }

  it('agrees on random keys, metadata and sizes (property)', async () => {
    const presigner = createPresigner({ region: 'ap-southeast-2', credentials });
    const client = new S3Client({ region: 'ap-southeast-2', credentials });
    const keyChar = fc.constantFrom(...Array.from('aZ09 +%~*\'"!()é€😀-_./ü=&?#[]'));
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(keyChar, { minLength: 1, maxLength: 30 })
          .map((chars) => `k/${chars.join('')}`)
          .filter((key) => !/(^|\/)\.{1,2}(\/|$)/.test(key)),
        fc.integer({ min: 0, max: 5 * 1024 ** 3 }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.stringMatching(/^[ -~]{0,12}$/), {
          maxKeys: 3,
        }),
        async (key, maxSize, metadata) => {
          const trimmed = Object.fromEntries(
            Object.entries(metadata).map(([k, v]) => [k, v.trim().replace(/[\t ]+/g, ' ')]),
          );
          const ours = await presigner.presignPost({
            bucket: 'prop-bucket',
            key,
            maxSize,
            metadata: trimmed,
            signingDate: NOW,
          });
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(NOW);
          const theirs = await createPresignedPost(client, {
            Bucket: 'prop-bucket',
            Key: key,
            Conditions: [['content-length-range', 0, maxSize]],
            Fields: Object.fromEntries(Object.entries(trimmed).map(([k, v]) => [`x-amz-meta-${k}`, v])),
            Expires: 900,
          });
          vi.useRealTimers();
          const a = decode(ours.fields.policy!).conditions.map(canonical);
          const b = decode(lowerKeys(theirs.fields).policy!).conditions.map(canonical);
          expect(new Set(a)).toEqual(new Set(b));
          expect(independentSignature(SECRET, '20261129', 'ap-southeast-2', ours.fields.policy!)).toBe(
            ours.fields['x-amz-signature'],
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('presignPost fields and policy', () => {
  const presigner = createPresigner({ region: 'eu-west-1', credentials, bucket: 'examplebucket' });

  it('puts the signer fields last and every sent field under a condition', async () => {
    const post = await presigner.presignPost({
      key: 'a.txt',
      contentType: 'text/plain',
      tagging: { project: 'a+b @x' },
      checksum: { algorithm: 'SHA256', value: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' },
      signingDate: NOW,
    });
    expect(post.method).toBe('POST');
    expect(post.url).toBe('https://examplebucket.s3.eu-west-1.amazonaws.com/');
    expect(Object.keys(post.fields)).toEqual([
      'key',
      'Content-Type',
      'tagging',
      'x-amz-checksum-sha256',
      'x-amz-algorithm',
      'x-amz-credential',
      'x-amz-date',
      'policy',
      'x-amz-signature',
    ]);
    expect(post.fields.tagging).toBe(
      '<Tagging><TagSet><Tag><Key>project</Key><Value>a+b @x</Value></Tag></TagSet></Tagging>',
    );
    expect(post.fields['x-amz-credential']).toBe('AKIDEXAMPLE/20261129/eu-west-1/s3/aws4_request');
    expect(post.fields['x-amz-date']).toBe('20261129T010203Z');
    expect(post.expiresAt).toBe('2026-11-29T01:17:03Z');
    const covered = new Set(post.conditions.map((c) => (Array.isArray(c) ? String(c[1]).slice(1) : Object.keys(c)[0])));
    for (const name of Object.keys(post.fields)) {
      if (name === 'policy' || name === 'x-amz-signature') continue;
      expect(covered.has(name), name).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(post))).toEqual(post);
  });

  it('a key under the prefix is a default the page may change within it', async () => {
    const post = await presigner.presignPost({ keyPrefix: 'in/', key: 'in/default.bin', signingDate: NOW });
    expect(post.fields.key).toBe('in/default.bin');
    expect(post.conditions).toContainEqual(['starts-with', '$key', 'in/']);
  });

  it('a key prefix alone lets S3 use the file name', async () => {
    const post = await presigner.presignPost({ keyPrefix: 'in/', signingDate: NOW });
    expect(post.fields.key).toBe(`in/${FILENAME}`);
  });

  it('adds the session token of temporary credentials, under a condition', async () => {
    const post = await createPresigner({ region: 'eu-west-1', credentials: temporary }).presignPost({
      bucket: 'b-1',
      key: 'k',
      signingDate: NOW,
    });
    expect(post.fields['x-amz-security-token']).toBe(TOKEN);
    expect(post.conditions).toContainEqual({ 'x-amz-security-token': TOKEN });
  });

  it('never outlives temporary credentials: expiry clamped like the other presign calls', async () => {
    const expiration = new Date(NOW.getTime() + 120_000);
    const post = await createPresigner({ region: 'eu-west-1', credentials: { ...temporary, expiration } }).presignPost({
      bucket: 'b-1',
      key: 'k',
      expiresIn: 3600,
      signingDate: NOW,
    });
    expect(post.expiresAt).toBe('2026-11-29T01:04:03Z');
    expect(decode(post.fields.policy!).expiration).toBe(post.expiresAt);
  });

  it('extra fields already covered by a condition get no second condition', async () => {
    const post = await presigner.presignPost({
      key: 'k',
      conditions: [['starts-with', '$x-amz-meta-tag', 'x']],
      fields: { 'x-amz-meta-tag': 'xyz' },
      signingDate: NOW,
    });
    expect(post.fields['x-amz-meta-tag']).toBe('xyz');
    expect(post.conditions.filter((c) => JSON.stringify(c).includes('x-amz-meta-tag'))).toHaveLength(1);
  });

  it('the public presigner.presignPost signs as computed independently, the same from a cold or a warm presigner', async () => {
    const options = { key: 'k.txt', contentType: 'text/plain', maxSize: 10, signingDate: NOW } as const;
    const config = { region: 'eu-west-1', credentials, bucket: 'examplebucket' };
    const warm = createPresigner(config);
    const post = await warm.presignPost(options);
    expect(post.fields['x-amz-signature']).toBe(
      independentSignature(SECRET, '20261129', 'eu-west-1', post.fields.policy!),
    );
    expect(decode(post.fields.policy!)).toEqual({ expiration: post.expiresAt, conditions: post.conditions });
    // A second call reuses the cached signing key; a new presigner derives it again: same result.
    expect(await warm.presignPost(options)).toEqual(post);
    expect(await createPresigner(config).presignPost(options)).toEqual(post);
  });
});
