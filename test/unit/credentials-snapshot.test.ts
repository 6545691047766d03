import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Credentials, createPresigner } from '../../src/index.js';
import { signingKeyCacheSize } from '../../src/sigv4/signing-key.js';
import { rejection } from '../helpers/rejection.js';

// Item 6 of issue 10: credentials read once per presign into a snapshot, a signing-key cache keyed
// by value, the signing time read after the provider answered. (signing-key.ts is internal: its
// cache size is read to prove the bound.)
const SIGNED_AT = new Date('2026-11-29T12:00:00Z');
const A = { accessKeyId: 'AKIDAAAAAAAAAAAAAAAA', secretAccessKey: 'secret-of-a-0000000000000000000000000000' };
const B = { accessKeyId: 'AKIDBBBBBBBBBBBBBBBB', secretAccessKey: 'secret-of-b-1111111111111111111111111111' };
const SECRETS = new Map([A, B].map((c) => [c.accessKeyId, c.secretAccessKey]));

/** What a fresh presigner with only the key pair named in `url`'s credential signs: the oracle. */
async function resigned(url: string): Promise<string> {
  const accessKeyId = decodeURIComponent(new URL(url).searchParams.get('X-Amz-Credential')!).split('/')[0]!;
  const secretAccessKey = SECRETS.get(accessKeyId)!;
  const fresh = createPresigner({
    region: 'eu-west-1',
    bucket: 'uploads',
    credentials: { accessKeyId, secretAccessKey },
  });
  return (await fresh.presignGet({ key: 'a.txt', signingDate: SIGNED_AT })).url;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('credentials read once per presign', () => {
  it('never mix the key id of one pair with the signature of another when the object is mutated', async () => {
    const credentials: Credentials = { ...A };
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials });
    const urls: string[] = [];
    for (let i = 0; i < 2000; i++) {
      Object.assign(credentials, i % 2 === 0 ? A : B);
      urls.push((await presigner.presignGet({ key: 'a.txt', signingDate: SIGNED_AT })).url);
    }
    const oracle = new Map<string, string>();
    for (const url of new Set(urls)) oracle.set(url, await resigned(url));
    const mixed = urls.filter((url) => oracle.get(url) !== url);
    expect(mixed).toHaveLength(0);
    expect(new Set(urls).size).toBe(2);
  });

  it('never mix when a provider hands back one object that changes between calls', async () => {
    const shared: Credentials = { ...A };
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: async () => shared });
    const pending = [];
    for (let i = 0; i < 200; i++) {
      pending.push(presigner.presignGet({ key: 'a.txt', signingDate: SIGNED_AT }));
      // Mutated while the presigns above await their provider.
      Object.assign(shared, i % 2 === 0 ? B : A);
    }
    for (const { url } of await Promise.all(pending)) expect(url).toBe(await resigned(url));
  });

  it('check a mutated object again: an emptied secret is refused, not signed with the old key', async () => {
    const credentials: Credentials = { ...A };
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials });
    credentials.secretAccessKey = '';
    expect((await rejection(presigner.presignGet({ key: 'a.txt' }))).code).toBe('ERR_INVALID_CREDENTIALS');
  });

  it('refuse a session token with a lone surrogate as ERR_INVALID_CREDENTIALS', async () => {
    const presigner = createPresigner({
      region: 'eu-west-1',
      bucket: 'uploads',
      credentials: async () => ({ ...A, sessionToken: 'a\ud800' }),
    });
    expect((await rejection(presigner.presignGet({ key: 'a.txt' }))).code).toBe('ERR_INVALID_CREDENTIALS');
  });
});

describe('the signing-key cache', () => {
  it('is keyed by value: equal credentials in new objects sign alike, and the cache stays bounded', async () => {
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: async () => ({ ...A }) });
    const one = await presigner.presignGet({ key: 'a.txt', signingDate: SIGNED_AT });
    const two = await presigner.presignGet({ key: 'a.txt', signingDate: SIGNED_AT });
    expect(two.url).toBe(one.url);
    for (let i = 0; i < 200; i++) {
      const p = createPresigner({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKID', secretAccessKey: `s-${i}` },
      });
      await p.presignGet({ key: 'a.txt', bucket: 'uploads', signingDate: SIGNED_AT });
    }
    expect(signingKeyCacheSize()).toBeLessThanOrEqual(64);
  });
});

describe('the signing time', () => {
  const slowProvider = (ms: number) => () =>
    new Promise<Credentials>((resolve) => setTimeout(() => resolve({ ...A }), ms));

  it('is read after a slow provider answers: the descriptor is not born old', async () => {
    vi.useFakeTimers({ now: SIGNED_AT });
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: slowProvider(2000) });
    const pending = presigner.presignGet({ key: 'a.txt', expiresIn: 60 });
    await vi.advanceTimersByTimeAsync(2000);
    const get = await pending;
    expect(new URL(get.url).searchParams.get('X-Amz-Date')).toBe('20261129T120002Z');
    expect(get.expiresAt).toBe('2026-11-29T12:01:02Z');
  });

  it('is read from the `now` clock after the provider too, and for batches of parts', async () => {
    let clock = SIGNED_AT.getTime();
    const presigner = createPresigner({
      region: 'eu-west-1',
      bucket: 'uploads',
      now: () => new Date(clock),
      credentials: async () => {
        clock += 5000;
        return { ...A };
      },
    });
    const [part] = await presigner.presignParts({ key: 'a.bin', uploadId: 'u1', partNumbers: [1] });
    expect(new URL(part!.request.url).searchParams.get('X-Amz-Date')).toBe('20261129T120005Z');
  });

  it('is the pinned signingDate when the caller gives one, however slow the provider', async () => {
    vi.useFakeTimers({ now: SIGNED_AT });
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: slowProvider(3000) });
    const pending = presigner.presignGet({ key: 'a.txt', signingDate: new Date('2026-11-29T11:00:00Z') });
    await vi.advanceTimersByTimeAsync(3000);
    expect(new URL((await pending).url).searchParams.get('X-Amz-Date')).toBe('20261129T110000Z');
  });

  it('refuses an instant whose signature cannot be written (before 1970, or past 9999)', async () => {
    const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials: A });
    for (const signingDate of [new Date(8.64e15), new Date('+010000-01-01T00:00:00Z'), new Date(-1)]) {
      expect((await rejection(presigner.presignGet({ key: 'a.txt', signingDate }))).code).toBe('ERR_INVALID_OPTION');
    }
  });
});
