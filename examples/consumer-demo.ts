// The consumer's part of `npm run demo`: an upload and a download through `s3-presign/consumer`, and a
// deliberately mismatched header refused before the network. The demo calls `consumerDemo(s3.endpoint)`.
import { download, isPresignError, type Progress, upload } from '../src/consumer/index.js';
import { createPresigner } from '../src/index.js';
import { S3RVER_CREDENTIALS, TEST_BUCKET, TEST_REGION } from './local-s3.js';

export interface ConsumerDemoResult {
  etag: string | undefined;
  downloaded: string;
  /** The code the mismatched header was refused with. */
  refusedWith: string;
  /** Requests the refused upload sent: 0. */
  requestsSentWhenRefused: number;
}

export async function consumerDemo(
  endpoint: string,
  log: (line: string) => void = console.log,
): Promise<ConsumerDemoResult> {
  const presigner = createPresigner({
    region: TEST_REGION,
    endpoint,
    credentials: S3RVER_CREDENTIALS,
    bucket: TEST_BUCKET,
  });
  const key = 'demo/consumer.txt';
  const body = new Blob(['Uploaded by s3-presign/consumer\n'.repeat(4096)], { type: 'application/octet-stream' });
  const put = await presigner.presignPut({ key, contentType: 'text/plain', contentLength: body.size });

  const seen: number[] = [];
  const { etag } = await upload(put, body, {
    onProgress: ({ percent }: Progress) => seen.push(Math.round(percent ?? 0)),
  });
  log(`\nconsumer: upload(put, blob) -> ETag ${etag}; progress ${seen.join('% ')}%`);
  log('  (the Blob says application/octet-stream; the signed text/plain is what was sent)');

  const { body: text, headers } = await download(await presigner.presignGet({ key }), { as: 'text' });
  log(`consumer: download(get) -> ${text.length} characters, content-type ${headers.get('content-type')}`);

  let sent = 0;
  const counting: typeof fetch = (input, init) => {
    sent++;
    return fetch(input, init);
  };
  let refusedWith = 'nothing';
  try {
    await upload(put, body, { headers: { 'Content-Type': 'text/html' }, fetch: counting });
  } catch (error) {
    if (!isPresignError(error)) throw error;
    refusedWith = error.code;
    log(`consumer: the same upload with Content-Type: text/html -> ${error.code}, ${sent} requests sent`);
    log(`  ${error.message}`);
  }
  return { etag, downloaded: text, refusedWith, requestsSentWhenRefused: sent };
}
