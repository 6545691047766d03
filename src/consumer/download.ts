import type { PresignedRequest } from '../descriptor.js';
import { exchange } from './exchange.js';
import { progressReporter } from './progress.js';
import { abortError, networkError } from './s3-error.js';
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
  const as = options.as ?? 'blob';
  let body: unknown;
  const response = await exchange(request, options, 'GET', async (d, headers) => {
    const { url } = d.request;
    const response = await send({ method: 'GET', url, headers, signal: options.signal, fetch: options.fetch });
    if (!response.ok) return response;
    const counted = count(response, options.onProgress && progressReporter(options.onProgress));
    try {
      body = as === 'stream' ? counted.body : await counted[as as Exclude<BodyForm, 'stream'>]();
    } catch (error) {
      throw options.signal?.aborted ? abortError(options.signal) : networkError(error, 'GET', url);
    }
    return response;
  });
  return { status: response.status, headers: response.headers, body: body as BodyOf[As] };
}

/** The response with its body counted as it is read; the last report (100%) comes at its end. */
function count(response: Response, report: ReturnType<typeof progressReporter> | undefined): Response {
  if (!report) return response;
  const length = response.headers.get('content-length');
  const total = length === null ? undefined : Number(length);
  let n = 0;
  const body = (response.body ?? new Blob().stream()).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        n += chunk.byteLength;
        report(n, total);
        controller.enqueue(chunk);
      },
      flush: () => report(n, n, true),
    }),
  );
  return new Response(body, { headers: response.headers });
}
