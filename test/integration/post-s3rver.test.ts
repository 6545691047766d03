import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitPost } from '../../src/consumer/post/index.js';
import { localPresigner } from '../helpers/presigner.js';
import { type RunningS3, startS3, TEST_BUCKET } from '../helpers/s3-server.js';

// s3rver 4.0.4 takes POST uploads but checks no policy and no POST signature: what it proves here is
// the wire format (fields first, file last, multipart framing) and the answers S3 gives. The policy's
// enforcement is proven by the consumer's local checks (test/unit/post-consumer.test.ts).

let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

const presigner = () => localPresigner(s3.endpoint);

async function readBack(key: string): Promise<Response> {
  const get = await presigner().presignGet({ key });
  return fetch(get.url);
}

describe('presigned POST against a real S3 server', () => {
  it('uploads a file chosen under a prefix; the bytes and the type read back', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
    const post = await presigner().presignPost({
      keyPrefix: 'post/',
      contentTypePrefix: 'image/',
      maxSize: 1_000_000,
      metadata: { origin: 'integration' },
    });
    expect(post.url).toBe(`${s3.endpoint}/${TEST_BUCKET}/`);
    const before = s3.requests.length;
    const progress: number[] = [];
    const result = await submitPost(post, new File([bytes], 'photo.png', { type: 'image/png' }), {
      key: 'post/photo 1 é.png',
      onProgress: ({ transferredBytes }) => progress.push(transferredBytes),
    });
    expect(s3.requests.length - before).toBe(1);
    expect(s3.requests.at(-1)?.method).toBe('POST');
    expect(result.status).toBe(204);
    expect(result.key).toBe('post/photo 1 é.png');
    expect(result.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(progress.at(-1)).toBe(bytes.length);

    const back = await readBack('post/photo 1 é.png');
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(back.headers.get('x-amz-meta-origin')).toBe('integration');
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);
  });

  it('an exact key with success_action_status 201 returns the location, key and ETag', async () => {
    const post = await presigner().presignPost({
      key: 'post/exact.txt',
      contentType: 'text/plain',
      successActionStatus: 201,
    });
    const result = await submitPost(post, 'hello, form');
    expect(result.status).toBe(201);
    expect(result.key).toBe('post/exact.txt');
    expect(result.location).toContain('/post/exact.txt');
    expect(result.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await (await readBack('post/exact.txt')).text()).toBe('hello, form');
  });

  it('a file over the policy maximum is refused with no request reaching the server', async () => {
    const post = await presigner().presignPost({ key: 'post/too-big.bin', maxSize: 10 });
    const before = s3.requests.length;
    await expect(submitPost(post, new Uint8Array(11))).rejects.toMatchObject({ code: 'ERR_POLICY_SIZE' });
    expect(s3.requests.length).toBe(before);
    expect((await readBack('post/too-big.bin')).status).toBe(404);
  });
});
