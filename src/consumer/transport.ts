/**
 * One HTTP exchange, the primitive every consumer transfer ends in (upload, download, and multipart
 * parts and POST uploads built on top):
 *
 *   const res: Response = await send({ method, url, headers, body, size, signal, fetch, onUploadProgress });
 *
 * It resolves with the response whatever its status (callers turn non-2xx into `ERR_S3` with
 * `responseError`), and rejects only with `ERR_NETWORK` or `ERR_ABORTED`. Upload progress comes from
 * XMLHttpRequest upload events where XHR exists (fetch reports none), else from counting the chunks of
 * the body as fetch pulls them, while still sending `content-length` (S3 refuses a chunked PUT).
 */
import { abortError, networkError } from './s3-error.js';

export type SendBody = Blob | Uint8Array | ReadableStream<Uint8Array>;

export interface SendInit {
  method: string;
  url: string;
  /** Sent as given, but `content-length`, which the runtime derives from a non-stream body. */
  headers: Record<string, string>;
  body?: SendBody | undefined;
  /** The body's byte length; required for a stream body. */
  size?: number | undefined;
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
  /** Bytes of the body handed to the network so far. */
  onUploadProgress?: ((sentBytes: number) => void) | undefined;
}

const CONTENT_LENGTH = 'content-length';
/** Chunk size of a counted body: progress granularity without a copy of the whole body. */
const CHUNK = 65_536;

export function send(init: SendInit): Promise<Response> {
  const { body, onUploadProgress } = init;
  return onUploadProgress && body && typeof XMLHttpRequest === 'function' && !init.fetch && !isStream(body)
    ? sendXhr(init, body, onUploadProgress)
    : sendFetch(init);
}

function isStream(body: SendBody): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream).getReader === 'function';
}

async function sendFetch(init: SendInit): Promise<Response> {
  const { method, url, signal, onUploadProgress } = init;
  const headers: Record<string, string> = {};
  for (const name in init.headers) if (name !== CONTENT_LENGTH) headers[name] = init.headers[name]!;
  let body = init.body as BodyInit | undefined;
  if (init.body && (onUploadProgress || isStream(init.body))) {
    body = counted(init.body, onUploadProgress);
    headers[CONTENT_LENGTH] = String(init.size);
  }
  try {
    // duplex: required by fetch for a stream body.
    return await (init.fetch ?? fetch)(url, { method, headers, body, signal, duplex: 'half' } as RequestInit);
  } catch (error) {
    throw signal?.aborted ? abortError(signal) : networkError(error, method, url);
  }
}

/** The body as a stream that reports the bytes pulled from it. */
function counted(body: SendBody, report: ((sent: number) => void) | undefined): ReadableStream<Uint8Array> {
  let sent = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  if (isStream(body)) reader = body.getReader();
  const blob = body instanceof Blob ? body : undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Uint8Array;
      if (reader) {
        const next = await reader.read();
        if (next.done) return controller.close();
        chunk = next.value;
      } else {
        const size = blob ? blob.size : (body as Uint8Array).byteLength;
        if (sent >= size) return controller.close();
        chunk = blob
          ? new Uint8Array(await blob.slice(sent, sent + CHUNK).arrayBuffer())
          : (body as Uint8Array).subarray(sent, sent + CHUNK);
      }
      sent += chunk.byteLength;
      controller.enqueue(chunk);
      report?.(sent);
    },
    cancel: (reason) => reader?.cancel(reason),
  });
}

function sendXhr(init: SendInit, body: Blob | Uint8Array, report: (sent: number) => void): Promise<Response> {
  const { method, url, signal } = init;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const name in init.headers) if (name !== CONTENT_LENGTH) xhr.setRequestHeader(name, init.headers[name]!);
    xhr.upload.onprogress = (event) => report(event.loaded);
    xhr.onload = () => {
      // A throw inside an event handler would leave this promise pending for ever.
      try {
        const headers = xhr.getAllResponseHeaders().matchAll(/^([^:\r\n]+): (.*)$/gm);
        resolve(
          new Response(xhr.response || null, {
            status: xhr.status,
            headers: [...headers].map((m) => [m[1]!, m[2]!] as [string, string]),
          }),
        );
      } catch (error) {
        reject(networkError(error, method, url));
      }
    };
    xhr.onerror = () => reject(networkError(TypeError('XMLHttpRequest failed'), method, url));
    xhr.onabort = () => reject(abortError(signal));
    // A listener left on a long-lived signal after the response only calls abort() on a finished XHR: a no-op.
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    // abort() before send() fires no event: an already aborted signal must reject here.
    if (signal?.aborted) reject(abortError(signal));
    else xhr.send(body as XMLHttpRequestBodyInit);
  });
}
