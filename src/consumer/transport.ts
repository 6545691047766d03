/**
 * One HTTP exchange, the primitive every consumer transfer ends in (upload, download, and multipart
 * parts and POST uploads built on top):
 *
 *   const res: Response = await send({ method, url, headers, body, size, onUploadProgress, signal, fetch });
 *
 * It resolves with the response whatever its status (callers turn non-2xx into `ERR_S3`), and rejects
 * only with `ERR_NETWORK`, `ERR_ABORTED` or `ERR_REDIRECT`. Redirects are never followed: the body and
 * the signature would go to another address (fetch is asked for `redirect: 'manual'`; XHR always
 * follows, once CORS allows it, so a response from another URL than the one sent to is refused).
 *
 * Progress never changes what is sent: the same bytes, `content-length` and framing with and without
 * it. Upload progress comes from XMLHttpRequest upload events where XHR exists (fetch reports none);
 * else, where the runtime sends a stream with a fixed length (Node, Bun, workerd: see `lengthFramer`),
 * from counting the body's chunks as fetch pulls them; elsewhere (Deno, a browser's worker) the body
 * goes as it is and progress is reported at its start and its end only.
 */
import { PresignError } from '../errors.js';
import { CONTENT_LENGTH, isStream, lengthFramer, type SendBody } from './body.js';
import { tap } from './progress.js';
import { networkError } from './s3-error.js';
import { onAbort } from './signal.js';

/** One request as the transport sends it. */
export interface Transmission {
  method: string;
  url: string;
  /**
   * Sent as given, but `content-length`, which the runtime derives from a Blob or bytes, and which is
   * set to `size` when the body goes as a stream (a stream body, or one counted for progress).
   */
  headers: Record<string, string>;
  body?: SendBody | undefined;
  /** The body's size in bytes: required with a stream body or `onUploadProgress`. */
  size?: number | undefined;
  /** Gets the bytes handed to the network so far. */
  onUploadProgress?: ((sentBytes: number) => void) | undefined;
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
  /** Resolve with a redirect answer (a POST's `success_action_redirect`) rather than refuse it. */
  redirectOk?: boolean | undefined;
}

/** Whether a response is a redirect: what fetch answers with under `redirect: 'manual'`. */
export const isRedirect = (response: Response): boolean =>
  response.type === 'opaqueredirect' || [301, 302, 303, 307, 308].includes(response.status);

export async function send(request: Transmission): Promise<Response> {
  const { method, url, body, onUploadProgress, signal, fetch: fetcher } = request;
  const headers = { ...request.headers };
  delete headers[CONTENT_LENGTH];
  let response: Response;
  try {
    if (onUploadProgress && body && typeof XMLHttpRequest !== 'undefined' && !fetcher && !isStream(body)) {
      response = await sendWithXhr({ ...request, headers, body, onUploadProgress });
    } else {
      let sent: SendBody | undefined = body;
      // A Blob goes as a stream too where the runtime frames one by length: Node's fetch otherwise
      // copies every chunk of a Blob body into a second stream (bench/multipart.mjs: 1.07x
      // lib-storage's CPU as a Blob, 0.91x as this stream).
      const frame = body && (onUploadProgress || !(body instanceof Uint8Array)) ? lengthFramer() : undefined;
      if (frame) {
        const stream = isStream(body) ? body : streamOf(body!);
        sent = frame(onUploadProgress ? tap(stream, onUploadProgress) : stream, request.size!);
        headers[CONTENT_LENGTH] = String(request.size);
      } else if (body) {
        // A sized body this runtime cannot count as it goes: progress starts here, ends with the response.
        onUploadProgress?.(0);
      }
      // duplex: required by fetch for a stream body.
      const init = { method, headers, body: sent, signal, duplex: 'half', redirect: 'manual' };
      response = await (fetcher ?? fetch)(url, init as RequestInit);
    }
  } catch (error) {
    // ERR_ABORTED when `signal` aborted, else ERR_NETWORK.
    throw networkError(error, method, url, signal);
  }
  if (isRedirect(response) && !request.redirectOk) {
    throw new PresignError('ERR_REDIRECT', `${method} was answered with a redirect, which is not followed`);
  }
  return response;
}

/** The XHR path, for its upload progress events. Rejects (with the XHR event) on error or abort. */
async function sendWithXhr(request: Transmission & { body: Blob | Uint8Array }): Promise<Response> {
  const { method, url, headers, body, onUploadProgress, signal } = request;
  const xhr = new XMLHttpRequest();
  let unhook = () => {};
  try {
    await new Promise((resolve, reject) => {
      xhr.open(method, url);
      for (const name in headers) xhr.setRequestHeader(name, headers[name]!);
      xhr.upload.onprogress = (event) => onUploadProgress?.(event.loaded);
      xhr.onload = resolve;
      xhr.onerror = xhr.onabort = reject;
      unhook = onAbort(signal, () => xhr.abort());
      // abort() before send() fires no event: an already aborted signal must reject here.
      if (signal?.aborted) reject();
      else xhr.send(body as XMLHttpRequestBodyInit);
    });
  } finally {
    unhook();
  }
  const fields = xhr.getAllResponseHeaders().matchAll(/^([^:\r\n]+): (.*)$/gm);
  return new Response(xhr.response || null, {
    // XHR has followed a redirect (CORS allowed it): answered as the redirect fetch would have seen.
    status: xhr.responseURL && xhr.responseURL !== new URL(url).href ? 307 : xhr.status,
    headers: [...fields].map((m) => [m[1]!, m[2]!] as [string, string]),
  });
}

/** A Blob's own stream (one read of the file behind it, however large the part), or the bytes as one chunk. */
const streamOf = (body: Blob | Uint8Array): ReadableStream<Uint8Array> =>
  body instanceof Blob
    ? body.stream()
    : new ReadableStream({
        start(controller) {
          controller.enqueue(body);
          controller.close();
        },
      });
