import type { PresignedRequest } from '../descriptor.js';
import { bodySize, toPayload } from './checks.js';
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
  const report = progressReporter(options.onProgress);
  let size = 0;
  const response = await exchange(
    request,
    options,
    'PUT',
    (d, headers) =>
      send({
        method: 'PUT',
        url: d.request.url,
        headers,
        body: payload.data,
        size,
        signal: options.signal,
        fetch: options.fetch,
        onUploadProgress: options.onProgress && ((sent) => report(sent, size)),
      }),
    (d) => {
      size = bodySize(d, payload);
    },
    payload.size !== undefined,
  );
  report(size, size, true);
  const headers = response.headers;
  const versionId = headers.get('x-amz-version-id');
  return {
    status: response.status,
    etag: headers.get('etag') ?? undefined,
    headers,
    ...(versionId ? { versionId } : {}),
  };
}
