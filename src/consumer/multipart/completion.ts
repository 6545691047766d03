/**
 * The last steps of a multipart upload on S3 itself: CompleteMultipartUpload with the parts' XML,
 * AbortMultipartUpload, and the HEAD that tells whether a completion whose answer was lost took
 * effect, each through the signed request the upload carries.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
import type { CompletedPart } from '../../contract/multipart.js';
import type { PresignedMethod, PresignedRequest } from '../../contract/request.js';
import { isPresignError } from '../../errors.js';
import { completeMultipartXml, completionChecksum, isErrorXml, xmlElement } from '../../s3/xml.js';
import { type ExchangeSteps, exchange } from '../exchange.js';
import { withRetry } from '../retry.js';
import { networkError, s3Answer, s3Error } from '../s3-error.js';
import { send } from '../transport.js';
import type { RequestOptions } from '../types.js';
import type { CompletionAnswer } from './types.js';

/** Exchange steps that send the request with `body`, bytes in memory, on every attempt. */
const sendAs = (method: PresignedMethod, options: RequestOptions, body?: Uint8Array): ExchangeSteps => ({
  method,
  attempt: ({ request: { url }, headers, signal }) =>
    send({ method, url, headers, body, size: body?.byteLength, signal, fetch: options.fetch }),
});

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
  const out: CompletionAnswer = {
    etag: xmlElement(xml, 'ETag') ?? response.headers.get('etag') ?? '',
    location: xmlElement(xml, 'Location'),
    versionId: response.headers.get('x-amz-version-id') ?? undefined,
  };
  const checksum = completionChecksum(xml);
  if (checksum) out.checksum = checksum;
  return out;
}

/** A CompleteMultipartUpload to send. */
export interface Completion {
  complete: PresignedRequest;
  parts: readonly CompletedPart[];
  checksumAlgorithm: string | undefined;
  /** Told when an attempt got no answer, or a cut-off one: it may have completed the upload on S3. */
  onAnswerLost(): void;
}

/**
 * Completes with the presigned `complete`, retried as the options say (S3 documents that retrying a
 * completion is safe, unlike most POSTs). `options.refresh` re-signs it.
 */
export function completeOnS3(completion: Completion, options: RequestOptions): Promise<CompletionAnswer> {
  const { complete } = completion;
  const body = new TextEncoder().encode(completeMultipartXml(completion.parts, completion.checksumAlgorithm));
  const attempt = async (signal: AbortSignal) => {
    const response = await exchange(complete, { ...options, signal, retry: 0 }, sendAs('POST', options, body));
    // A body cut off after the 200 is an answer lost on the way, like no answer at all.
    const answer = await response.text().catch((cause) => {
      throw networkError(cause, 'POST', complete.url, signal);
    });
    return completionAnswer(answer, response, complete.url);
  };
  return withRetry(
    ({ signal }) =>
      attempt(signal).catch((error: unknown) => {
        if (isPresignError(error, 'ERR_NETWORK')) completion.onAnswerLost();
        throw error;
      }),
    { retry: options.retry, signal: options.signal },
  );
}

/** S3's answer to a request for an upload that is no longer open: completed, or aborted. */
export const isNoSuchUpload = (error: unknown): boolean =>
  isPresignError(error, 'ERR_S3') && error.s3Code === 'NoSuchUpload';

/**
 * Aborts with the presigned `abort`, retried like every idempotent request; `options.refresh` re-signs
 * it. An upload S3 no longer knows (a retry after an answer lost, or aborted by someone else) is gone,
 * which is what was asked.
 */
export async function abortOnS3(abort: PresignedRequest, options: RequestOptions): Promise<void> {
  await exchange(abort, options, sendAs('DELETE', options)).catch((error: unknown) => {
    if (!isNoSuchUpload(error)) throw error;
  });
}

/**
 * The object this upload made, when S3 holds it: the signed `head` finds an object of the upload's
 * size whose ETag is a multipart one of as many parts (`"…-N"`). `undefined` when there is none (404)
 * or it is another one.
 */
export async function findCompleted(
  head: PresignedRequest,
  expected: { size: number; partCount: number },
  options: RequestOptions,
): Promise<CompletionAnswer | undefined> {
  let response: Response;
  try {
    response = await exchange(head, options, sendAs('HEAD', options));
  } catch (error) {
    if (isPresignError(error, 'ERR_S3') && error.status === 404) return undefined;
    throw error;
  }
  const etag = response.headers.get('etag') ?? '';
  const size = Number(response.headers.get('content-length'));
  if (size !== expected.size || !etag.endsWith(`-${expected.partCount}"`)) return undefined;
  return { etag, versionId: response.headers.get('x-amz-version-id') ?? undefined };
}
