import type { PresignedRequest } from '../contract/request.js';
import type { PresignError } from '../errors.js';

/** One progress report; `percent` reaches exactly 100 only once the response has arrived. */
export interface Progress {
  /** Bytes sent (upload) or received (download) so far. */
  transferredBytes: number;
  /** `undefined` when a download's size is unknown (no `content-length`). */
  totalBytes: number | undefined;
  /** 0..100, `undefined` when `totalBytes` is. */
  percent: number | undefined;
}

/** How a transfer retries; `retry: 3` is `{ limit: 3 }`. */
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
 * When a descriptor counts as received, on the signer's timeline: the options of `parseDescriptor`,
 * and of every transfer.
 */
export interface ParseDescriptorOptions {
  /**
   * The clock time passes on, in ms (or a `Date`). Only the time elapsed between its readings counts:
   * a descriptor's time left is judged on the signer's timeline (see `serverTime`), so this clock's
   * own skew never matters. Tests freeze or step it. A reading that is not a finite time is
   * `ERR_INVALID_CLOCK`.
   * @default () => performance.now()
   * @example () => frozen
   */
  now?: (() => Date | number) | undefined;
  /**
   * The signer's (your server's) time when the descriptor was received: a `Date`, an ISO 8601 or HTTP
   * date string (e.g. the `Date` header of the response that carried it) or epoch ms. Without it, the
   * descriptor's own `X-Amz-Date` is taken as that time (it is assumed freshly signed), which cannot
   * tell a descriptor signed long ago from a fresh one; S3's "expired" answer then goes through
   * `refresh`. It applies to the descriptor passed in, not to those `refresh` returns.
   * @default the descriptor's `X-Amz-Date`
   * @example response.headers.get('date') ?? undefined
   */
  serverTime?: Date | string | number | undefined;
}

/**
 * What every transfer takes (`upload`, `download`, `uploadMultipart`, `submitPost`): declared once, so
 * the four agree on names, defaults and types.
 */
export interface TransferOptions extends ParseDescriptorOptions {
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
   * Seconds of margin, from 0 to 604800: a descriptor with less time left than this is treated as
   * expired (refreshed, or refused with `ERR_EXPIRED`), and one whose `X-Amz-Date` is further ahead
   * of the signer's time at receipt (`serverTime`) is `ERR_NOT_YET_VALID`. Anything else is
   * `ERR_INVALID_CLOCK`.
   * @default 5
   * @example 30
   */
  clockTolerance?: number | undefined;
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

/**
 * A body to upload. A stream needs a signed `content-length` (S3 refuses chunked bodies), and a runtime
 * that sends a stream with one: Node, Bun and Workers do; Deno and browsers do not (`ERR_STREAM_UNSUPPORTED`).
 */
export type UploadBody = Blob | ArrayBuffer | ArrayBufferView | string | ReadableStream<Uint8Array>;

/** Options of {@link upload}. */
export type UploadOptions = RequestOptions;

/** What {@link upload} resolves with once S3 has stored the object. */
export interface UploadResult {
  /** S3's HTTP status (200). */
  status: number;
  /** The ETag S3 answered, quotes kept; `undefined` when CORS does not expose it (`ExposeHeaders: ETag`). */
  etag: string | undefined;
  /** The object's version (`x-amz-version-id`), in a versioned bucket whose CORS exposes it. */
  versionId?: string;
  /** S3's response headers (in browsers, only those CORS exposes). */
  headers: Headers;
}

/** The forms {@link download} can return a body in. */
export type BodyForm = 'blob' | 'arrayBuffer' | 'text' | 'stream';

/** Options of {@link download}. */
export interface DownloadOptions<As extends BodyForm = BodyForm> extends RequestOptions {
  /**
   * The form of the returned body.
   * @default 'blob'
   * @example 'text'
   */
  as?: As | undefined;
  /**
   * Check the bytes against the object's checksum (`x-amz-checksum-*`, which S3 sends when the GET was
   * signed with `checksumMode: true`), as they are read: a mismatch is `ERR_CHECKSUM_MISMATCH`.
   * `true` refuses a download with nothing to compare with (`ERR_CHECKSUM_UNAVAILABLE`: a range, a
   * composite multipart checksum, no header readable, e.g. CORS not exposing it); `'if-present'`
   * downloads it and says why in the result's `checksum`. SHA checksums keep the body in memory until
   * its end (WebCrypto does not stream); CRCs do not.
   * @default false
   * @example true
   */
  verifyChecksum?: boolean | 'if-present' | undefined;
}

/** What `verifyChecksum` found. */
export interface ChecksumCheck {
  /** The bytes were checked against the object's checksum (for a `'stream'`: as it is read, failing at its end). */
  verified: boolean;
  /** The object's checksum algorithm, when S3 sent one. */
  algorithm?: 'CRC64NVME' | 'CRC32' | 'CRC32C' | 'SHA256' | 'SHA1';
  /** The object's checksum (base64), when S3 sent one. */
  value?: string;
  /** Why nothing was verified. */
  reason?: string;
}

/** The type of a downloaded body, by the {@link BodyForm} asked for. */
export interface BodyOf {
  /** The body as a Blob (its type from the response's `content-type`). */
  blob: Blob;
  /** The body's bytes. */
  arrayBuffer: ArrayBuffer;
  /** The body decoded as UTF-8. */
  text: string;
  /** The body as it arrives, unread: reading it is the caller's (and is not retried). */
  stream: ReadableStream<Uint8Array>;
}

/** What {@link download} resolves with. */
export interface DownloadResult<As extends BodyForm = 'blob'> {
  /** S3's HTTP status: 200, or 206 for a range. */
  status: number;
  /** S3's response headers (in browsers, only those CORS exposes). */
  headers: Headers;
  /** The body, in the form `as` asked for. */
  body: BodyOf[As];
  /** With `verifyChecksum`: what was checked, or why nothing could be. */
  checksum?: ChecksumCheck;
}
