import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPresignError, upload } from '../../src/consumer/index.js';
import { uploadMultipart } from '../../src/consumer/multipart/index.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type MultipartFront, startMultipartFront } from '../helpers/multipart-front.js';
import { localClientPresigner, localPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

// A bounded soak: single and multipart uploads through a proxy that injects 503s, 500s, connection
// resets, answers cut off after the server acted, and slow answers, into a front that gives the test
// server S3's abort and completion rules. Nothing may be lost: every upload created is completed,
// aborted, or reported left open (and none is), and every success reads back byte for byte.

let s3: RunningS3;
let front: MultipartFront;
let proxy: FaultProxy;
beforeAll(async () => {
  s3 = await startS3();
  front = await startMultipartFront(s3.endpoint);
  proxy = await startFaultProxy(front.endpoint, { slowFirstByteMs: 20 });
});
afterAll(async () => {
  await proxy?.close();
  await front?.close();
  await s3?.close();
});

/** mulberry32: a small seeded generator, so the soak injects the same faults on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS: Fault[] = [503, 500, 'reset', 'truncate', 'slow'];
const RETRY = { limit: 4, backoffLimit: 0 };
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The object as the server holds it, read past the proxy. */
async function readBack(key: string): Promise<Uint8Array> {
  const get = await localPresigner(s3.endpoint).presignGet({ key });
  const response = await fetch(get.url);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe('a soak under faults', () => {
  it('loses nothing: 40 single and 8 multipart uploads, every success read back, no upload left open', async () => {
    const random = seeded(20261204);
    // One fault for about every fourth request, at seeded places, taking each kind in turn.
    let kind = 0;
    for (let i = 0; i < 2000; i++) proxy.faults.push(random() < 0.25 ? FAULTS[kind++ % FAULTS.length]! : 'pass');
    const bytes = (size: number) => Uint8Array.from({ length: size }, () => Math.floor(random() * 256));

    const single = localPresigner(proxy.endpoint);
    const singles = { ok: 0, failed: 0 };
    for (let i = 0; i < 40; i++) {
      const key = `soak/single-${i}.bin`;
      const body = bytes(Math.floor(random() * 64 * 1024));
      const put = await single.presignPut({ key, contentLength: body.byteLength });
      try {
        await upload(put, body, { retry: RETRY });
        expect(sha(await readBack(key))).toBe(sha(body));
        singles.ok++;
      } catch (error) {
        expect(isPresignError(error)).toBe(true);
        singles.failed++;
      }
    }

    // Create goes to the front through the SDK; parts, completion, HEAD and abort through the proxy.
    const multi = localClientPresigner(front.endpoint, { endpoint: proxy.endpoint, forcePathStyle: true });
    const multipart = { ok: 0, aborted: 0, leftOpen: 0 };
    for (let i = 0; i < 8; i++) {
      const key = `soak/multipart-${i}.bin`;
      const body = bytes(5 * 1024 * 1024 + 1 + Math.floor(random() * 4096));
      const created = await multi.presignMultipart({ key, size: body.byteLength });
      try {
        await uploadMultipart(created, body, { retry: RETRY });
        expect(sha(await readBack(key))).toBe(sha(body));
        multipart.ok++;
      } catch (error) {
        expect(isPresignError(error)).toBe(true);
        if (isPresignError(error) && error.leftOpen) multipart.leftOpen++;
        else multipart.aborted++;
      }
    }

    const injected = proxy.seen.filter((fault) => fault !== 'pass');
    console.log(
      JSON.stringify({
        seen: proxy.seen.length,
        injected,
        singles,
        multipart,
        front: [front.created.size, front.completed.size, front.aborted.size],
      }),
    );
    expect(new Set(injected)).toEqual(new Set(FAULTS));
    expect(singles.ok + singles.failed).toBe(40);
    expect(singles.ok).toBeGreaterThanOrEqual(36);
    expect(front.created.size).toBe(8);
    expect(multipart.ok).toBe(front.completed.size);
    expect(multipart.aborted).toBe(front.aborted.size);
    expect(multipart.leftOpen).toBe(0);
    expect(front.open()).toEqual([]);
    expect(multipart.ok).toBeGreaterThanOrEqual(6);
  });
});
