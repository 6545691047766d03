import type { PresignedRequest } from '../contract/request.js';
import { isStream, toPayload } from './body.js';
import { exchange } from './exchange.js';
import { progressReporter } from './progress.js';
import { send } from './transport.js';
import type { UploadBody, UploadOptions, UploadResult } from './types.js';

/**
 * Uploads `body` with a presigned PUT, sending exactly the signed headers (a signed content-type wins
 * over a Blob's own type). Header parity, body size and expiry are checked before any byte goes on
 * the wire, and again before each retry. Network errors, 5xx and 429 are retried with full-jitter
 * delays (`retry`); an expired descriptor is replaced through `refresh` when given.
 *
 * @param request The presigned PUT, as the producer returned it (e.g. parsed from a server's JSON).
 * @param body A Blob/File, bytes, a string (sent as UTF-8), or a stream when a `content-length` is signed.
 * @param options Progress, abort signal, retries, refresh, extra headers, clock.
 * @returns S3's status, the ETag (when CORS exposes it), the version id and the response headers.
 * @throws {@link PresignError} `ERR_INVALID_DESCRIPTOR` for a descriptor that is not a valid presigned
 *   PUT, or `ERR_MISSING_SIGNED_HEADER` when a signed header has no value.
 * @throws {@link PresignError} `ERR_HEADER_MISMATCH` when an extra header changes a signed value, or
 *   `ERR_UNSIGNED_HEADER` when it adds an `x-amz-*` header that was not signed.
 * @throws {@link PresignError} `ERR_EXPIRED` when the descriptor has expired or expires within
 *   `clockTolerance` (and `refresh` gave none better), or `ERR_NOT_YET_VALID` when it was signed in
 *   the future.
 * @throws {@link PresignError} `ERR_INVALID_BODY` for a body of another type, or a stream without a
 *   signed `content-length`; `ERR_BODY_SIZE_MISMATCH` when the body's size differs from it;
 *   `ERR_STREAM_UNSUPPORTED` for a stream where the runtime would send it chunked or not at all (Deno,
 *   browsers), which S3 refuses.
 * @throws {@link PresignError} `ERR_S3` when S3 refuses the upload (after the retries), with
 *   `status`, `s3Code`, `s3Message` and `requestId`.
 * @throws {@link PresignError} `ERR_NETWORK` when no response arrived (after the retries), or
 *   `ERR_ABORTED` when `signal` aborted.
 * @example
 * ```ts
 * const put = await (await fetch('/api/presign?key=avatars/42.png')).json();
 * const { etag } = await upload(put, file, { onProgress: ({ percent }) => (bar.value = percent ?? 0) });
 * ```
 */
export async function upload(
  request: PresignedRequest,
  body: UploadBody,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const payload = toPayload(body);
  const { onProgress } = options;
  const report = progressReporter(onProgress);
  let size = 0;
  const { status, headers } = await exchange(request, options, {
    method: 'PUT',
    check: (signed) => {
      size = payload.sizeFor(signed);
    },
    replayable: !isStream(payload.body),
    attempt: ({ request: { url }, headers, signal }) =>
      send({
        method: 'PUT',
        url,
        headers,
        body: payload.body,
        size,
        onUploadProgress: onProgress && ((sent) => report(sent, size)),
        signal,
        fetch: options.fetch,
      }),
  });
  report(size, size, true);
  const result: UploadResult = { status, etag: headers.get('etag') ?? undefined, headers };
  const versionId = headers.get('x-amz-version-id');
  if (versionId) result.versionId = versionId;
  return result;
}
