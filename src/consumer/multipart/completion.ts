/**
 * The last steps of a multipart upload on S3 itself: CompleteMultipartUpload with the parts' XML, and
 * AbortMultipartUpload, each through the signed request the upload carries.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
import type { CompletedPart } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { completeMultipartXml, isErrorXml, xmlElement } from '../../s3/xml.js';
import { exchange } from '../exchange.js';
import { withRetry } from '../retry.js';
import { s3Answer, s3Error } from '../s3-error.js';
import { send } from '../transport.js';
import type { RequestOptions } from '../types.js';
import type { CompletionAnswer } from './types.js';

/** Statuses that S3's error codes stand for, when they arrive in the body of a 200. */
const CODE_STATUS: Record<string, number> = { InternalError: 500, ServiceUnavailable: 503, SlowDown: 503 };

/**
 * Reads CompleteMultipartUpload's answer. S3 may answer 200 and then an `<Error>` body when it fails
 * while completing: that is a failure, with the status its code stands for, so that it is retried
 * like a 5xx when its code is one.
 */
function completionAnswer(xml: string, response: Response, url: string): CompletionAnswer {
  if (isErrorXml(xml)) {
    const answer = s3Answer(xml, response);
    throw s3Error({ ...answer, status: CODE_STATUS[answer.code ?? ''] ?? answer.status }, 'POST', url);
  }
  return {
    etag: xmlElement(xml, 'ETag') ?? response.headers.get('etag') ?? '',
    location: xmlElement(xml, 'Location'),
    versionId: response.headers.get('x-amz-version-id') ?? undefined,
  };
}

/**
 * Completes with the presigned `complete`, retried as the options say (S3 documents that retrying a
 * completion is safe, unlike most POSTs). `options.refresh` re-signs it.
 */
export function completeOnS3(
  complete: PresignedRequest,
  parts: readonly CompletedPart[],
  checksumAlgorithm: string | undefined,
  options: RequestOptions,
): Promise<CompletionAnswer> {
  const xml = new TextEncoder().encode(completeMultipartXml(parts, checksumAlgorithm));
  return withRetry(
    async ({ signal }) => {
      const response = await exchange(
        complete,
        { ...options, signal, retry: 0 },
        {
          method: 'POST',
          attempt: ({ request: { url }, headers, signal }) =>
            send({ method: 'POST', url, headers, body: xml, size: xml.byteLength, signal, fetch: options.fetch }),
        },
      );
      return completionAnswer(await response.text(), response, complete.url);
    },
    { retry: options.retry, signal: options.signal },
  );
}

/** Aborts with the presigned `abort`; `options.refresh` re-signs it. */
export async function abortOnS3(abort: PresignedRequest, options: RequestOptions): Promise<void> {
  await exchange(abort, options, {
    method: 'DELETE',
    attempt: ({ request: { url }, headers, signal }) =>
      send({ method: 'DELETE', url, headers, signal, fetch: options.fetch }),
  });
}
