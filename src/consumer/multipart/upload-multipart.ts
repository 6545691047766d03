import type { MultipartUpload } from '../../contract/multipart.js';
import { planUpload } from './plan.js';
import { MultipartSession } from './session.js';
import type { MultipartBody, MultipartOptions, MultipartResult } from './types.js';

/**
 * Uploads `body` in parts to a multipart upload made by the producer's `presignMultipart`: parts cut
 * as slices (never the whole body in memory), `concurrency` in flight, each retried, re-signed when
 * its signature expired, its ETag collected; then completed with the presigned `complete` (or your
 * `complete` callback). On failure or abort it aborts the upload on S3 unless `keepOnFailure`, and
 * rejects with the first real error. Bad input is refused before any request.
 *
 * @example
 * const upload = await (await fetch('/api/uploads', { method: 'POST', body: JSON.stringify({ size: file.size }) })).json();
 * const { etag } = await uploadMultipart(upload, file, { onProgress: ({ percent }) => console.log(percent) });
 */
export async function uploadMultipart(
  upload: MultipartUpload,
  body: MultipartBody,
  options: MultipartOptions = {},
): Promise<MultipartResult> {
  return new MultipartSession(upload, planUpload(upload, body, options), options).run();
}
