import { afterAll, beforeAll, expect, it } from 'vitest';
import { consumerDemo } from '../../examples/consumer-demo.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

it("the demo's consumer part uploads, downloads, and refuses a mismatched header before the network", async () => {
  const lines: string[] = [];
  const puts = () => s3.requests.filter((r) => r.method === 'PUT').length;
  const result = await consumerDemo(s3.endpoint, (line) => lines.push(line));
  expect(result.etag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(result.downloaded).toBe('Uploaded by s3-presign/consumer\n'.repeat(4096));
  expect(result.refusedWith).toBe('ERR_HEADER_MISMATCH');
  expect(result.requestsSentWhenRefused).toBe(0);
  // One PUT reached the server: the good upload; the refused one never left.
  expect(puts()).toBe(1);
  expect(lines.join('\n')).toContain('ERR_HEADER_MISMATCH');
});
