// `npm run demo`: the whole flow on an embedded S3 server, no account needed. A backend presigns,
// a client sends exactly what was signed, and the server checks every signature for real.
import { createPresigner, type PresignedRequest, redactUrl } from '../src/index.js';
import { consumerDemo } from './consumer-demo.js';
import { S3RVER_CREDENTIALS, startS3, TEST_BUCKET, TEST_REGION } from './local-s3.js';
import { moreDemo } from './more-demo.js';

// The SDK (used here for multipart's CreateMultipartUpload) notes that its 2027 releases need Node 22;
// the version pinned here runs on 20, so the notice would only clutter the demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function show(label: string, request: PresignedRequest): void {
  console.log(`\n${label}`);
  console.log(JSON.stringify({ ...request, url: redactUrl(request.url) }, null, 2));
}

const s3 = await startS3();
try {
  console.log(`embedded S3 server on ${s3.endpoint}, bucket "${TEST_BUCKET}"`);
  const presigner = createPresigner({
    region: TEST_REGION,
    endpoint: s3.endpoint,
    credentials: S3RVER_CREDENTIALS,
    bucket: TEST_BUCKET,
  });

  const key = 'demo/hello world 🙂.txt';
  const body = 'Hello from s3-presign!\n';
  const put = await presigner.presignPut({
    key,
    contentType: 'text/plain; charset=utf-8',
    contentLength: new TextEncoder().encode(body).length,
    metadata: { author: 'demo' },
    expiresIn: 300,
  });
  show('1. the backend presigns a PUT: the signed headers travel with the URL', put);

  const uploaded = await fetch(put.url, { method: put.method, headers: put.headers, body });
  console.log(`\n2. PUT with exactly the signed headers -> ${uploaded.status} ${uploaded.statusText}`);

  const wrong = await fetch(put.url, {
    method: put.method,
    headers: { ...put.headers, 'content-type': 'text/html' },
    body,
  });
  console.log(`3. the same URL with another content-type -> ${wrong.status} (S3 enforces what was signed)`);

  const get = await presigner.presignGet({ key, responseContentDisposition: 'attachment; filename="hello.txt"' });
  show('4. the backend presigns a GET', get);
  const downloaded = await fetch(get.url);
  const text = await downloaded.text();
  console.log(
    `\n5. GET -> ${downloaded.status}, ${JSON.stringify(text)}, ${downloaded.headers.get('content-disposition')}`,
  );

  const expired = await presigner.presignGet({ key, expiresIn: 1, signingDate: new Date(Date.now() - 60_000) });
  console.log(`6. a GET that expired a minute ago -> ${(await fetch(expired.url)).status}`);

  console.log('\n7. the same through s3-presign/consumer, which checks before the network:');
  const consumer = await consumerDemo(s3.endpoint);

  console.log('\n8. large files in parts, and a form upload with a size cap:');
  const more = await moreDemo(s3.endpoint);

  if (
    text !== body ||
    uploaded.status !== 200 ||
    wrong.status !== 403 ||
    consumer.requestsSentWhenRefused !== 0 ||
    !more.multipartIntact ||
    more.tooLargeRefusedWith !== 'ERR_POLICY_SIZE'
  ) {
    throw new Error('the demo did not go as expected');
  }
  console.log('\ndemo: ok');
} finally {
  await s3.close();
}
