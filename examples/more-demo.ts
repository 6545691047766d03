// The multipart and POST parts of `npm run demo`: a 12 MiB upload in concurrent parts, and a form
// upload whose size the POST policy caps, refused before the network when the file is too big.
import { S3Client } from '@aws-sdk/client-s3';
import { isPresignError } from '../src/consumer/index.js';
import { uploadMultipart } from '../src/consumer/multipart/index.js';
import { submitPost } from '../src/consumer/post/index.js';
import { createPresigner } from '../src/index.js';
import { S3RVER_CREDENTIALS, TEST_BUCKET, TEST_REGION } from './local-s3.js';

export interface MoreDemoResult {
  /** The multipart object read back equals what was uploaded. */
  multipartIntact: boolean;
  partCount: number;
  /** The key the form upload wrote. */
  postedKey: string;
  /** The code the too-large file was refused with, before the network. */
  tooLargeRefusedWith: string;
}

export async function moreDemo(endpoint: string, log: (line: string) => void = console.log): Promise<MoreDemoResult> {
  // Multipart talks to S3 (create, and complete or abort when the server does it) through an S3Client.
  const client = new S3Client({ region: TEST_REGION, endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  const presigner = createPresigner({ client, bucket: TEST_BUCKET });

  const bytes = new Uint8Array(12 * 1024 * 1024).map((_, i) => (i * 31 + (i >> 12)) % 251);
  const file = new Blob([bytes], { type: 'application/octet-stream' });
  const upload = await presigner.presignMultipart({
    key: 'demo/video.bin',
    size: file.size,
    partSize: 5 * 1024 * 1024,
    contentType: 'video/mp4',
  });
  log(
    `\nmultipart: presignMultipart -> ${upload.partCount} parts of ${upload.partSize} bytes, signed complete and abort`,
  );
  let last = 0;
  const done = await uploadMultipart(upload, file, {
    concurrency: 2,
    onProgress: ({ percent }) => {
      if ((percent ?? 0) >= last + 25 || percent === 100) {
        last = percent ?? 0;
        log(`  ${Math.round(last)}%`);
      }
    },
  });
  const back = new Uint8Array(
    await (await fetch((await presigner.presignGet({ key: 'demo/video.bin' })).url)).arrayBuffer(),
  );
  const multipartIntact = back.length === bytes.length && back.every((b, i) => b === bytes[i]);
  log(
    `multipart: uploadMultipart -> ETag ${done.etag}, ${done.parts.length} parts, bytes read back equal: ${multipartIntact}`,
  );

  const post = await presigner.presignPost({ keyPrefix: 'demo/forms/', contentTypePrefix: 'image/', maxSize: 1024 });
  const image = new Blob([new Uint8Array(600)], { type: 'image/png' });
  const posted = await submitPost(post, image, { key: 'demo/forms/avatar.png' });
  log(
    `\nPOST: presignPost(keyPrefix, image/*, at most 1024 bytes); submitPost of 600 bytes -> ${posted.status}, ${posted.key}`,
  );
  let tooLargeRefusedWith = 'nothing';
  try {
    await submitPost(post, new Blob([new Uint8Array(4096)], { type: 'image/png' }), { key: 'demo/forms/big.png' });
  } catch (error) {
    if (!isPresignError(error)) throw error;
    tooLargeRefusedWith = error.code;
    log(`POST: a 4096-byte file -> ${error.code}, refused before the network`);
  }
  client.destroy();
  return { multipartIntact, partCount: upload.partCount, postedKey: posted.key, tooLargeRefusedWith };
}
