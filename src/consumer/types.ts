import type { PresignedRequest } from '../contract/request.js';
import type { PresignError } from '../errors.js';

/** One progress report; `percent` reaches exactly 100 only once the response has arrived. */
export interface Progress {
  transferredBytes: number;
  /** `undefined` when a download's size is unknown (no `content-length`). */
  totalBytes: number | undefined;
  /** 0..100, `undefined` when `totalBytes` is. */
  percent: number | undefined;
}

export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 2
   * @example 4
   */
  limit?: number | undefined;
  /**
   * Cap of one delay in ms. Delays are full jitter: random(0, min(backoffLimit, 300 * 2^attempt)).
   * `0` retries at once (tests).
   * @default 20000
   * @example { limit: 3, backoffLimit: 0 }
   */
  backoffLimit?: number | undefined;
  /**
   * Response statuses that are retried (network errors always are).
   * @default 429 and every 5xx
   * @example [500, 503]
   */
  statusCodes?: readonly number[] | undefined;
  /**
   * Decides instead of the rules above when it returns a boolean; aborts are never retried.
   * @example ({ error }) => error.code === 'ERR_NETWORK'
   */
  shouldRetry?: ((context: { error: PresignError; attempt: number }) => boolean | undefined) | undefined;
}

/**
 * What every transfer takes (`upload`, `download`, `uploadMultipart`, `submitPost`): declared once, so
 * the four agree on names, defaults and types.
 */
export interface TransferOptions {
  /**
   * Progress of the transfer: monotonic, 100% only once the response has arrived.
   * @example ({ percent }) => bar.value = percent ?? 0
   */
  onProgress?: ((progress: Progress) => void) | undefined;
  /**
   * Stops the transfer at once; the call rejects with `ERR_ABORTED` and is not retried.
   * @example AbortSignal.timeout(60_000)
   */
  signal?: AbortSignal | undefined;
  /**
   * Retries of network errors, 5xx and 429, with full-jitter delays (idempotent requests only).
   * @default 2
   * @example { limit: 5, backoffLimit: 10_000 }
   */
  retry?: number | RetryOptions | undefined;
  /**
   * Seconds of clock skew allowed between this machine and the signer.
   * @default 5
   * @example 30
   */
  clockTolerance?: number | undefined;
  /**
   * The clock.
   * @default () => new Date()
   * @example () => new Date('2026-12-01T00:00:00Z')
   */
  now?: (() => Date | number) | undefined;
  /**
   * The fetch to use; uploads with `onProgress` use XMLHttpRequest where it exists, unless this is set.
   * @default globalThis.fetch
   * @example (input, init) => fetch(input, { ...init, keepalive: true })
   */
  fetch?: typeof fetch | undefined;
}

/** Options of `upload` and `download`. */
export interface RequestOptions extends TransferOptions {
  /**
   * Extra headers. One that changes a signed header's value is refused (`ERR_HEADER_MISMATCH`), as is
   * an `x-amz-*` header that was not signed (`ERR_UNSIGNED_HEADER`); others are sent unsigned.
   * @example { 'cache-control': 'no-cache' }
   */
  headers?: Record<string, string> | undefined;
  /**
   * Gets a fresh descriptor from your server: called when the descriptor has expired or expires within
   * `clockTolerance`, and once after S3 answers that the request has expired.
   * @example () => fetch('/api/presign?key=a.png').then((r) => r.json())
   */
  refresh?: (() => Promise<PresignedRequest>) | undefined;
}

/** A body to upload; a stream needs a signed `content-length` (S3 refuses chunked bodies without one). */
export type UploadBody = Blob | ArrayBuffer | ArrayBufferView | string | ReadableStream<Uint8Array>;

export type UploadOptions = RequestOptions;

export interface UploadResult {
  status: number;
  /** The ETag S3 answered, quotes kept; `undefined` when CORS does not expose it (`ExposeHeaders: ETag`). */
  etag: string | undefined;
  versionId?: string;
  headers: Headers;
}

export type BodyForm = 'blob' | 'arrayBuffer' | 'text' | 'stream';

export interface DownloadOptions<As extends BodyForm = BodyForm> extends RequestOptions {
  /**
   * The form of the returned body.
   * @default 'blob'
   * @example 'text'
   */
  as?: As | undefined;
}

export interface BodyOf {
  blob: Blob;
  arrayBuffer: ArrayBuffer;
  text: string;
  stream: ReadableStream<Uint8Array>;
}

export interface DownloadResult<As extends BodyForm = 'blob'> {
  status: number;
  headers: Headers;
  body: BodyOf[As];
}
