/** The public shapes of `s3-presign/consumer/upload`: uploadFile's options, its result and its store. */
import type { TransferOptions } from '../types.js';

/**
 * Where resumable uploads keep their state between page loads: a string per key. `localStorage`
 * fits as is; any async store (IndexedDB, a native app's preferences) fits too.
 */
export interface ResumeStore {
  /** The value under `key`, or null/undefined when there is none. */
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** Keeps `value` under `key`. */
  set(key: string, value: string): void | Promise<void>;
  /** Forgets `key`. */
  delete(key: string): void | Promise<void>;
}

/** Options of `uploadFile`. `onProgress`, `signal`, `retry` and `fetch` apply to every transfer. */
export interface UploadFileOptions extends TransferOptions {
  /**
   * URL of the upload handler (`createUploadHandler` of `s3-presign/server`).
   * @example '/api/upload'
   */
  endpoint: string;
  /**
   * The handler's route to upload to.
   * @example 'avatar'
   */
  route: string;
  /**
   * Headers sent to the endpoint only (never to S3): authentication, CSRF tokens.
   * @example { authorization: `Bearer ${token}` }
   */
  headers?: Record<string, string> | undefined;
  /**
   * The file's name, when the body is a Blob without one.
   * @default file.name, or ''
   * @example 'report.pdf'
   */
  name?: string | undefined;
  /**
   * Keep a multipart upload's state so that calling `uploadFile` again with the same file (after a
   * reload, a crash, a lost connection) sends only the parts S3 does not have. `false` keeps nothing
   * and aborts a failed upload.
   * @default true
   * @example false
   */
  resume?: boolean | undefined;
  /**
   * Where resume state is kept (keys prefixed `s3-presign:`).
   * @default localStorage where there is one, else nothing is kept
   * @example { get: (k) => sessionStorage.getItem(k), set: (k, v) => sessionStorage.setItem(k, v), delete: (k) => sessionStorage.removeItem(k) }
   */
  store?: ResumeStore | undefined;
  /**
   * Parts in flight at once (multipart).
   * @default 4
   * @example 6
   */
  concurrency?: number | undefined;
  /**
   * `credentials` of the calls to the endpoint (cookies), as `fetch` takes it.
   * @default 'same-origin'
   * @example 'include'
   */
  credentials?: RequestCredentials | undefined;
}

/** What `uploadFile` resolves with once the server checked the object. */
export interface UploadFileResult<Result = unknown> {
  /** Object key. */
  key: string;
  /** Bytes of the object. */
  size: number;
  /** Content type of the object. */
  contentType: string;
  /** The object's ETag. */
  etag: string;
  /** What the route's `onUploadComplete` returned (null when it has none). */
  result: Result;
  /** Whether the upload continued one that an earlier call started. */
  resumed: boolean;
}
