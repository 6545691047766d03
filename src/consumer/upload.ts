import type { PresignedRequest } from '../contract/request.js';
import { isStream, toPayload } from './body.js';
import { exchange } from './exchange.js';
import { progressReporter } from './progress.js';
import { send } from './transport.js';
import type { UploadBody, UploadOptions, UploadResult } from './types.js';

/**
 * Uploads `body` with a presigned PUT, sending exactly the signed headers. Header parity, body size and
 * expiry are checked before the network; S3's refusals become `PresignError` `ERR_S3`.
 * @example const { etag } = await upload(await (await fetch('/api/presign')).json(), file, { onProgress });
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
