import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresigner } from '../../src/index.js';
import { type RunningS3, S3RVER_CREDENTIALS, startS3, TEST_BUCKET, TEST_REGION } from '../helpers/s3-server.js';

let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

function presigner() {
  return createPresigner({
    region: TEST_REGION,
    endpoint: s3.endpoint,
    credentials: S3RVER_CREDENTIALS,
    bucket: TEST_BUCKET,
  });
}

describe('against a real S3 server', () => {
  it('PUT then GET round-trips the bytes', async () => {
    const p = presigner();
    const put = await p.presignPut({ key: 'hello.txt', contentType: 'text/plain' });
    const res = await fetch(put.url, { method: put.method, headers: put.headers, body: 'hello' });
    expect(res.status).toBe(200);
    const get = await p.presignGet({ key: 'hello.txt' });
    const back = await fetch(get.url);
    expect(await back.text()).toBe('hello');
  });
});
