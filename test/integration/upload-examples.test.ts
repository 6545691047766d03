/**
 * The upload-handler examples as pasted: examples/upload-handler/hono.ts and express.ts, each serving
 * handler.ts, take a PNG from `uploadFile` to the real test server; the bytes read back equal, and
 * what `onUploadComplete` stored is the declared size and type. A wrong type is refused by both.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressApp } from '../../examples/upload-handler/express.js';
import { createUploads, stored } from '../../examples/upload-handler/handler.js';
import { honoApp } from '../../examples/upload-handler/hono.js';
import { uploadFile } from '../../src/consumer/upload/index.js';
import type { Presigner } from '../../src/index.js';
import { localPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';
import { UPLOAD_SECRET } from '../helpers/upload-app.js';

let s3: RunningS3;
let presigner: Presigner;
beforeAll(async () => {
  s3 = await startS3();
  presigner = localPresigner(s3.endpoint);
});
afterAll(() => s3?.close());

const png = new Uint8Array(2048).map((_, i) => (i * 7) % 256);
const file = () => new File([png], 'me.png', { type: 'image/png' });

/** Uploads through `endpoint` (with `fetch` for the endpoint calls when given) and checks what landed. */
async function uploadsThrough(endpoint: string, fetcher?: typeof fetch) {
  const options = { endpoint, route: 'avatar', headers: { authorization: 'Bearer ann' }, resume: false as const };
  const { key, size, result } = await uploadFile(file(), fetcher ? { ...options, fetch: fetcher } : options);
  expect(key).toMatch(/^avatars\/ann\//);
  expect({ size, result }).toEqual({ size: 2048, result: { url: `/a/${key}` } });
  expect(stored.get(key)).toEqual({ size: 2048, contentType: 'image/png', user: 'ann' });
  const back = await fetch((await presigner.presignGet({ key })).url);
  expect(new Uint8Array(await back.arrayBuffer())).toEqual(png);

  const wrong = new File([png], 'me.gif', { type: 'image/gif' });
  const before = s3.requests.length;
  const error = await rejection(uploadFile(wrong, fetcher ? { ...options, fetch: fetcher } : options));
  expect(error).toMatchObject({ code: 'ERR_TYPE_NOT_ALLOWED', status: 415 });
  expect(s3.requests.length).toBe(before);
}

describe('examples/upload-handler', () => {
  it('hono.ts: app.fetch serves uploadFile', async () => {
    const app = honoApp(createUploads(presigner, UPLOAD_SECRET));
    // Hono's own fetch, as Workers, Bun and Deno call it; S3's requests go to the network.
    const through: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.startsWith('http://app/') ? Promise.resolve(app.fetch(new Request(url, init))) : fetch(input, init);
    };
    await uploadsThrough('http://app/api/upload', through);
  });

  it('express.ts: a real Express server on loopback serves uploadFile', async () => {
    const server: Server = await new Promise((resolve) => {
      const listening = expressApp(createUploads(presigner, UPLOAD_SECRET)).listen(0, '127.0.0.1', () =>
        resolve(listening),
      );
    });
    try {
      const { port } = server.address() as { port: number };
      await uploadsThrough(`http://127.0.0.1:${port}/api/upload`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
