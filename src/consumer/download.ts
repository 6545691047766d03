import type { PresignedRequest } from '../contract/request.js';
import { CONTENT_LENGTH } from './body.js';
import { exchange } from './exchange.js';
import { progressReporter, tap } from './progress.js';
import { networkError } from './s3-error.js';
import { send } from './transport.js';
import type { BodyForm, BodyOf, DownloadOptions, DownloadResult } from './types.js';

/**
 * Downloads with a presigned GET, with the same checks as `upload`, and returns the body in the form
 * `options.as` asks for. Except as a `'stream'`, the body is read inside the retried attempt, so a
 * connection lost mid-body is retried too.
 * @example const { body } = await download(get, { as: 'text' });
 */
export async function download<As extends BodyForm = 'blob'>(
  request: PresignedRequest,
  options: DownloadOptions<As> = {},
): Promise<DownloadResult<As>> {
  const { as = 'blob', onProgress } = options;
  const report = progressReporter(onProgress);
  let body: unknown;
  const { status, headers } = await exchange(request, options, 'GET', async (url, signed) => {
    let response = await send('GET', url, signed, options);
    if (response.ok) {
      // (A GET answered by fetch always has a body stream; a mock's null body has nothing to count.)
      if (onProgress && response.body) {
        const length = response.headers.get(CONTENT_LENGTH);
        const counted = tap(response.body, (n, end) => report(n, end ? n : length ? +length : undefined, end));
        // The same status and headers (a Blob takes its type from them), the body counted as it is read.
        response = new Response(counted, response);
      }
      try {
        body = as === 'stream' ? response.body : await response[as as 'blob']();
      } catch (error) {
        throw networkError(error, 'GET', url, options.signal);
      }
    }
    return response;
  });
  return { status, headers, body: body as BodyOf[As] };
}
