import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, isPresignError, upload } from '../../src/consumer/index.js';
import { uploadMultipart } from '../../src/consumer/multipart/index.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { localClientPresigner, localPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

let s3: RunningS3;
let proxy: FaultProxy;
beforeAll(async () => {
  s3 = await startS3();
  proxy = await startFaultProxy(s3.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await s3?.close();
});

const NO_DELAY = { limit: 2, backoffLimit: 0 };
const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('a caller signal shared by many transfers', () => {
  it('counts the listeners this test looks for', () => {
    // The check below could not fail if getEventListeners did not see an AbortSignal's listeners.
    const controller = new AbortController();
    const listener = () => {};
    controller.signal.addEventListener('abort', listener);
    expect(listeners(controller.signal)).toBe(1);
    controller.signal.removeEventListener('abort', listener);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('keeps no abort listener after 1,000 uploads and downloads that succeed, fail and retry', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const { signal } = new AbortController();
    const p = localPresigner(proxy.endpoint);
    const outcomes = { ok: 0, failed: 0 };
    try {
      for (let batch = 0; batch < 50; batch++) {
        // Each batch: 10 uploads, then 10 downloads of what they wrote, through the fault proxy.
        const keys = Array.from({ length: 10 }, (_, i) => `shared-signal/${batch}-${i}.txt`);
        const faults = (i: number): Fault[] => (i % 5 === 1 ? [503] : i % 5 === 2 ? ['reset'] : ['pass']);
        const puts = await Promise.all(keys.map((key) => p.presignPut({ key, contentType: 'text/plain' })));
        proxy.faults.push(...keys.flatMap((_, i) => faults(i)));
        const uploaded = await Promise.allSettled(
          puts.map((put, i) => upload(put, `body ${batch}-${i}`, { signal, retry: i % 5 === 2 ? 0 : NO_DELAY })),
        );
        // A download of a key that was never written fails with a 404 (not retried).
        const gets = await Promise.all(
          keys.map((key, i) => p.presignGet({ key: i % 5 === 3 ? `${key}.missing` : key })),
        );
        proxy.faults.push(...keys.flatMap((_, i) => faults(i)));
        const downloaded = await Promise.allSettled(
          gets.map((get, i) =>
            i % 5 === 4
              ? download(get, { signal, as: 'stream', retry: NO_DELAY }).then((res) => new Response(res.body).text())
              : download(get, { signal, as: 'text', retry: i % 5 === 2 ? 0 : NO_DELAY }),
          ),
        );
        for (const settled of [...uploaded, ...downloaded]) {
          if (settled.status === 'fulfilled') outcomes.ok++;
          else {
            expect(isPresignError(settled.reason)).toBe(true);
            outcomes.failed++;
          }
        }
      }
    } finally {
      process.off('warning', onWarning);
      proxy.faults.length = 0;
    }
    // Each batch: 2 of 10 uploads fail (reset, no retry), and 2 of 10 downloads (reset; missing key) plus
    // the downloads of the keys whose upload failed; the 503s are retried and succeed.
    expect(outcomes.ok + outcomes.failed).toBe(1000);
    expect(outcomes.failed).toBeGreaterThanOrEqual(150);
    expect(outcomes.ok).toBeGreaterThanOrEqual(600);
    expect(proxy.seen.filter((fault) => fault === 503).length).toBeGreaterThanOrEqual(200);
    expect(listeners(signal)).toBe(0);
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('keeps none after multipart uploads that complete, retry parts, and fail and abort', async () => {
    const { signal } = new AbortController();
    // Create and abort go to the server through the SDK; parts and completion through the proxy.
    const p = localClientPresigner(s3.endpoint, { endpoint: proxy.endpoint, forcePathStyle: true });
    const size = 5 * 1024 * 1024 + 10;
    const body = new Uint8Array(size).fill(7);
    try {
      for (let i = 0; i < 3; i++) {
        const multipart = await p.presignMultipart({ key: `shared-signal/multipart-${i}.bin`, size });
        proxy.faults.push(503, 'pass', 'reset');
        await uploadMultipart(multipart, body, { signal, retry: NO_DELAY });
      }
      const failing = await p.presignMultipart({ key: 'shared-signal/multipart-failing.bin', size });
      proxy.faults.push('reset', 'reset', 'reset', 'reset', 'reset', 'reset');
      const error = await rejection(uploadMultipart(failing, body, { signal, retry: NO_DELAY, concurrency: 1 }));
      expect(error.code).toBe('ERR_NETWORK');
    } finally {
      proxy.faults.length = 0;
    }
    expect(listeners(signal)).toBe(0);
  });
});
