/**
 * The browser checksum path (issue 13) in Chromium: CRCs computed in the page with Web APIs only and
 * equal to the AWS oracles, `uploadFile` through a route that requires CRC64NVME (single PUT and
 * multipart, each signed with its checksum, S3 checking it behind the integrity front), and a verified
 * download across origins (the front exposes the checksum headers to CORS, as a bucket rule must).
 * These load the built consumer (dist/consumer/*.js): run `npx tsup` first.
 */
import { Crc32 } from '@aws-crypto/crc32';
import { Crc32c } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Presigner } from '../../src/index.js';
import { launchChromium, type RunningBrowser } from '../helpers/browser.js';
import { type IntegrityFront, startIntegrityFront } from '../helpers/integrity-front.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { localPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';
import { serveNode, type TestApp, testApp } from '../helpers/upload-app.js';

const MiB = 1024 ** 2;
let s3: RunningS3;
let multipart: MultipartFront;
let front: IntegrityFront;
let presigner: Presigner;
let app: TestApp;
let endpoint: { endpoint: string; close(): Promise<void> };
let browser: RunningBrowser;
let site: StaticServer;
let page: Page;

beforeAll(async () => {
  s3 = await startS3();
  multipart = await startMultipartFront(s3.endpoint);
  front = await startIntegrityFront(multipart.endpoint);
  presigner = localPresigner(front.endpoint);
  app = testApp(presigner, {
    routes: {
      files: {
        maxSize: 64 * MiB,
        key: ({ auth, file }) => `checked/${auth.id}/${crypto.randomUUID()}-${file.name}`,
        checksum: 'CRC64NVME',
        multipart: { threshold: 5 * MiB, partSize: 5 * MiB },
      },
    },
  });
  endpoint = await serveNode(app.uploads);
  site = await startStaticServer();
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.close();
  await front?.close();
  await multipart?.close();
  await s3?.close();
});

/** The bytes both sides make for a size: a formula, so the test can compare without sending them. */
const PAGE_BYTES = '(size) => new Uint8Array(size).map((_, i) => (i * 31 + (i >> 12)) % 251)';
const bytesOf = (size: number) => Buffer.from(new Uint8Array(size).map((_, i) => (i * 31 + (i >> 12)) % 251));

async function oracle(algorithm: 'CRC32' | 'CRC32C' | 'CRC64NVME', bytes: Uint8Array): Promise<string> {
  const crc = algorithm === 'CRC32' ? new Crc32() : algorithm === 'CRC32C' ? new Crc32c() : new Crc64Nvme();
  if (crc instanceof Crc64Nvme) {
    crc.update(bytes);
    return Buffer.from(await crc.digest()).toString('base64');
  }
  crc.update(bytes);
  return Buffer.from(crc.digest().toString(16).padStart(8, '0'), 'hex').toString('base64');
}

function inPage<T>(
  script: string,
  args: Record<string, unknown>,
): Promise<{ ok?: T; error?: { code: string; message: string } }> {
  return page.evaluate(`(async () => {
    const checksum = await import('/consumer/checksum.js');
    const { uploadFile } = await import('/consumer/upload.js');
    const { download } = await import('/consumer/index.js');
    const makeBytes = ${PAGE_BYTES};
    try {
      return { ok: await (${script})({ checksum, uploadFile, download, makeBytes }, ${JSON.stringify(args)}) };
    } catch (error) {
      return { error: { code: error.code, message: error.message } };
    }
  })()`) as Promise<{ ok?: T; error?: { code: string; message: string } }>;
}

describe('checksums in Chromium', () => {
  it('computes CRC32, CRC32C and CRC64NVME of a File as the AWS oracles do, and combines part CRCs', async () => {
    const size = 3 * MiB + 17;
    const outcome = await inPage<Record<string, string>>(
      `async ({ checksum, makeBytes }, { size }) => {
        const file = new File([makeBytes(size)], 'a.bin');
        const out = {};
        for (const a of ['CRC32', 'CRC32C', 'CRC64NVME']) {
          out[a] = await checksum.checksumOf(file, a);
          const cut = 1 * 1024 * 1024 + 5;
          out[a + '-combined'] = checksum.combineCrc(a, [
            { checksum: await checksum.checksumOf(file.slice(0, cut), a), size: cut },
            { checksum: await checksum.checksumOf(file.slice(cut), a), size: size - cut },
          ]);
        }
        return out;
      }`,
      { size },
    );
    expect(outcome.error).toBeUndefined();
    const bytes = bytesOf(size);
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME'] as const) {
      const expected = await oracle(algorithm, bytes);
      expect(outcome.ok?.[algorithm]).toBe(expected);
      expect(outcome.ok?.[`${algorithm}-combined`]).toBe(expected);
    }
  });

  it.each([
    ['one PUT', 1 * MiB + 3],
    ['parts', 12 * MiB + 9],
  ])(
    'uploadFile to a CRC64NVME route (%s): the page computes it, S3 checks it, and a verified download reads it back',
    async (_kind, size) => {
      const before = front.refused.length;
      const outcome = await inPage<{ key: string; verified: unknown }>(
        `async ({ uploadFile, makeBytes }, { endpoint, size }) => {
        const file = new File([makeBytes(size)], 'f.bin', { type: 'application/octet-stream' });
        const done = await uploadFile(file, { endpoint, route: 'files', headers: { 'x-user': 'user-1' }, resume: false });
        return { key: done.key };
      }`,
        { endpoint: endpoint.endpoint, size },
      );
      expect(outcome.error).toBeUndefined();
      const key = outcome.ok!.key;
      const expected = await oracle('CRC64NVME', bytesOf(size));
      const path = `/test-bucket/${key.split('/').map(encodeURIComponent).join('/')}`;
      expect(front.checksums.get(path)).toMatchObject({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', value: expected });
      // Every PUT that reached S3 carried a checksum the front checked: none was refused.
      expect(front.refused.slice(before)).toEqual([]);

      const get = await presigner.presignGet({ key, checksumMode: true });
      const read = await inPage<{ size: number; checksum: unknown }>(
        `async ({ download }, { get }) => {
        const { body, checksum } = await download(get, { as: 'arrayBuffer', verifyChecksum: true });
        return { size: body.byteLength, checksum };
      }`,
        { get },
      );
      expect(read.error).toBeUndefined();
      expect(read.ok).toEqual({ size, checksum: { verified: true, algorithm: 'CRC64NVME', value: expected } });
    },
  );
});
