import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY } from '../helpers/canary.js';
import { localClientPresigner } from '../helpers/presigner.js';
import { rejection } from '../helpers/rejection.js';
import { type RunningS3, startS3 } from '../helpers/s3-server.js';

// A real SDK error: s3rver answers AbortMultipartUpload with 405, and the SDK's error then holds the
// signed request (`$response`), with the session token and the credential in its headers.
let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

describe('an SDK client failure', () => {
  it('is ERR_S3 with a scrubbed cause: S3 code, message and $metadata kept, token and credential gone', async () => {
    const presigner = localClientPresigner(s3.endpoint);
    const error = await rejection(presigner.abortMultipart({ key: 'a.bin', uploadId: 'u1' }));
    expect(error).toMatchObject({ code: 'ERR_S3', s3Code: 'MethodNotAllowed', status: 405 });
    const cause = error.cause as Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown };
    expect(cause.name).toBe('MethodNotAllowed');
    expect(cause.message).toMatch(/not allowed/);
    expect(cause.$metadata?.httpStatusCode).toBe(405);
    expect(cause.$response).toBeUndefined();
    const { inspect } = await import('node:util');
    const text = inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    for (const secret of [CANARY.sessionToken, encodeURIComponent(CANARY.sessionToken), CANARY.secretAccessKey]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(CANARY.accessKeyId);
  });
});
