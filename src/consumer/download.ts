import type { PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { CONTENT_LENGTH } from './body.js';
import { exchange } from './exchange.js';
import { progressReporter, tap } from './progress.js';
import { networkError } from './s3-error.js';
import { linkSignal } from './signal.js';
import { send } from './transport.js';
import type { BodyForm, BodyOf, DownloadOptions, DownloadResult } from './types.js';

/**
 * Downloads with a presigned GET, with the same checks as {@link upload}, and returns the body in the
 * form `options.as` asks for. Except as a `'stream'`, the body is read inside the retried attempt, so
 * a connection lost mid-body is retried too; a `'stream'` stays tied to `signal` until it ends.
 *
 * @param request The presigned GET, as the producer returned it.
 * @param options The body's form (`as`), progress, abort signal, retries, refresh, extra headers, clock.
 * @returns S3's status, the response headers and the body.
 * @throws {@link PresignError} `ERR_INVALID_DESCRIPTOR` for a descriptor that is not a valid presigned
 *   GET, or `ERR_MISSING_SIGNED_HEADER` when a signed header has no value.
 * @throws {@link PresignError} `ERR_HEADER_MISMATCH` when an extra header changes a signed value, or
 *   `ERR_UNSIGNED_HEADER` when it adds an `x-amz-*` header that was not signed.
 * @throws {@link PresignError} `ERR_EXPIRED` when the descriptor has expired or expires within
 *   `clockTolerance` (and `refresh` gave none better), or `ERR_NOT_YET_VALID` when it was signed in
 *   the future.
 * @throws {@link PresignError} `ERR_CHECKSUM_MISMATCH` with `verifyChecksum` when the bytes are not
 *   those of the object's checksum (a `'stream'` fails at its end), or `ERR_CHECKSUM_UNAVAILABLE` with
 *   `verifyChecksum: true` when there is nothing to compare with (not signed with `checksumMode`, a
 *   range, a composite multipart checksum, or no checksum header readable).
 * @throws {@link PresignError} `ERR_S3` when S3 refuses the download (after the retries), e.g. 404
 *   `NoSuchKey` or 412 for a failed condition.
 * @throws {@link PresignError} `ERR_NETWORK` when no response or body arrived (after the retries), or
 *   `ERR_ABORTED` when `signal` aborted.
 * @example
 * ```ts
 * const { body } = await download(get, { as: 'text' });
 * ```
 * @example
 * ```ts
 * // get = await presigner.presignGet({ key, checksumMode: true }) on the server
 * const { body, checksum } = await download(get, { verifyChecksum: true });
 * // checksum: { verified: true, algorithm: 'CRC64NVME', value: '...' }
 * ```
 */
export async function download<As extends BodyForm = 'blob'>(
  request: PresignedRequest,
  options: DownloadOptions<As> = {},
): Promise<DownloadResult<As>> {
  const { as = 'blob', onProgress, verifyChecksum } = options;
  // Loaded only when asked: pages that never verify never carry the checksum code.
  const verifier = verifyChecksum && (await import('./verify-checksum.js')).downloadVerifier(request, verifyChecksum);
  const report = progressReporter(onProgress);
  // A stream is read after this call returns: it keeps a link to the caller's signal of its own, let
  // go when the stream ends, fails or is cancelled.
  const link = linkSignal(options.signal);
  let body: unknown;
  let handedOver = false;
  try {
    const { status, headers } = await exchange(
      request,
      { ...options, signal: link.signal },
      {
        method: 'GET',
        // The download's own signal, not the attempt's: a stream's body must stay abortable after the
        // exchange has ended.
        attempt: async ({ request: { url }, headers }) => {
          const { signal } = link;
          const response = await send({ method: 'GET', url, headers, signal, fetch: options.fetch });
          if (!response.ok) return response;
          let read = response;
          if (verifier) read = await verifier.check(response);
          // (A GET answered by fetch always has a body stream; a mock's null body has nothing to count.)
          if (read.body && (onProgress || as === 'stream')) {
            const length = response.headers.get(CONTENT_LENGTH);
            const counted = tap(
              read.body,
              (n, end) => onProgress && report(n, end ? n : length ? +length : undefined, end),
              as === 'stream' ? link.release : undefined,
            );
            // The same status and headers (a Blob takes its type from them), the body counted as it is read.
            read = new Response(counted, response);
            handedOver = as === 'stream';
          }
          try {
            body = as === 'stream' ? read.body : await read[as as 'blob']();
          } catch (error) {
            // A body whose checksum is not the object's is that, not a lost connection.
            throw PresignError.is(error) ? error : networkError(error, 'GET', url, signal);
          }
          return response;
        },
      },
    );
    const result: DownloadResult<As> = { status, headers, body: body as BodyOf[As] };
    if (verifier) result.checksum = verifier.found;
    return result;
  } finally {
    if (!handedOver) link.release();
  }
}
