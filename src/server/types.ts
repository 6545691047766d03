/** The public types of `s3-presign/server`: the handler's options, its routes and what they receive. */
import type { Presigner } from '../producer/presigner-interface.js';

/** The authorised caller, as `authorize` returns it. */
export interface UploadAuth {
  /** A stable id of the caller (a user id): sealed into every token, compared on every later call. */
  id: string;
  /** Anything else the app wants its route callbacks to see (not sealed, re-read on every call). */
  [field: string]: unknown;
}

/** The file as the browser declares it (checked against the route, then enforced by what is signed). */
export interface DeclaredFile {
  /** File name (informational: never part of the key unless the route's `key` puts it there). */
  name: string;
  /** Bytes. */
  size: number;
  /** Content type (lower-cased, parameters kept). */
  type: string;
}

/** What a route's `onUploadComplete` receives, once the object was checked. */
export interface CompletedUpload<Auth extends UploadAuth = UploadAuth> {
  /** Route name. */
  route: string;
  /** Object key. */
  key: string;
  /** Bytes of the object (as declared, and as S3 reports it). */
  size: number;
  /** Content type of the object. */
  contentType: string;
  /** The object's ETag, as S3 reports it. */
  etag: string;
  /** The caller, from `authorize` on the completing call. */
  auth: Auth;
  /** The `Request` of the completing call. */
  request: Request;
}

/** When a route goes multipart, and with what parts. */
export interface MultipartRoute {
  /**
   * Files of at least this many bytes are uploaded in parts.
   * @example 64 * 1024 * 1024
   */
  threshold: number;
  /**
   * Bytes of every part but the last (5 MiB..5 GiB).
   * @default 8 MiB, grown as the file needs
   * @example 16 * 1024 * 1024
   */
  partSize?: number | undefined;
}

/** One kind of upload the handler accepts. */
export interface UploadRoute<Auth extends UploadAuth = UploadAuth> {
  /**
   * The largest file accepted, in bytes: larger ones get 413 before anything is signed, and what is
   * signed (content-length, exact part sizes) holds the browser to the size it declared.
   * @example 5 * 1024 * 1024
   */
  maxSize: number;
  /**
   * The content types accepted: exact (`image/png`) or a whole type (`image/*`). Others get 415.
   * @default any type
   * @example ['image/png', 'image/jpeg']
   */
  contentTypes?: readonly string[] | undefined;
  /**
   * The object key of a new upload. Never derive it from the file name alone: keys are what one user
   * may overwrite of another's.
   * @example ({ auth }) => `avatars/${auth.id}/${crypto.randomUUID()}`
   */
  key: (input: { file: DeclaredFile; auth: Auth; request: Request }) => string | Promise<string>;
  /**
   * Files of at least `threshold` bytes go multipart (parts of `partSize`).
   * @default single PUT up to 5 GiB
   * @example { threshold: 64 * 1024 * 1024 }
   */
  multipart?: MultipartRoute | undefined;
  /**
   * A checksum S3 must check the bytes with: `uploadFile` computes it in the browser and the handler
   * signs it, so S3 refuses any other bytes. A single PUT is signed with the file's checksum; a
   * multipart upload with each part's, completed as a `FULL_OBJECT` checksum (the CRCs: combined from
   * the parts') or `COMPOSITE` (SHA256, SHA1). CRC64NVME is S3's own default and the fastest.
   * @default none
   * @example 'CRC64NVME'
   */
  checksum?: 'CRC64NVME' | 'CRC32' | 'CRC32C' | 'SHA256' | 'SHA1' | undefined;
  /**
   * Never overwrite: the upload is signed with `If-None-Match: *` (the PUT, or the multipart
   * completion), so S3 refuses it when an object exists under the key, and the call fails with
   * `ERR_PRECONDITION_FAILED` (412).
   * @default false
   */
  createOnly?: boolean | undefined;
  /**
   * Lifetime of the signed requests and of the upload's token, in seconds.
   * @default 900 for requests, 86400 for the token of a multipart upload (so it can resume)
   * @example 600
   */
  expiresIn?: number | undefined;
  /**
   * Called once the object is checked; its JSON-serialisable result goes back to the browser. It
   * runs at least once per upload (a completion retried after a lost answer runs it again): make it
   * idempotent, keyed by `key`.
   * @example async ({ key }) => ({ url: `/files/${key}` })
   */
  onUploadComplete?: ((upload: CompletedUpload<Auth>) => unknown) | undefined;
}

/** The options of {@link createUploadHandler}. */
export interface UploadHandlerOptions<Auth extends UploadAuth = UploadAuth> {
  /** The presigner that signs the uploads (from `createPresigner`). */
  presigner: Presigner;
  /**
   * The secret tokens are sealed with: at least 32 bytes (UTF-8), the same on every replica.
   * @example process.env.UPLOAD_SECRET
   */
  secret: string | Uint8Array;
  /**
   * Who is calling: an object with an `id`, or `null` (401). Called on every request.
   * @example async (request) => (await session(request))?.user ?? null
   */
  authorize: (request: Request) => Auth | null | undefined | Promise<Auth | null | undefined>;
  /** The routes by name. */
  routes: Record<string, UploadRoute<Auth>>;
  /**
   * The clock, for tests.
   * @default () => new Date()
   */
  now?: (() => Date) | undefined;
  /**
   * The fetch the handler checks objects with (HEAD, DELETE of a refused object).
   * @default globalThis.fetch
   */
  fetch?: typeof fetch | undefined;
  /**
   * Told of every failure the handler answered with a 5xx (what went wrong with S3, a route callback
   * that threw), for your logs: the response itself only says `ERR_STORAGE` or `ERR_INTERNAL`.
   * @default nothing is logged
   * @example (error) => console.error(error)
   */
  onError?: ((error: unknown) => void) | undefined;
  /**
   * Lifetime of an upload's token in seconds: how long an upload can be continued, resumed and
   * completed after it was created.
   * @default 86400
   * @example 3600
   */
  tokenExpiresIn?: number | undefined;
}

/** A request in the shape of node:http / Express / Connect. */
export interface NodeRequest {
  /** HTTP method. */
  method?: string | undefined;
  /** Path and query. */
  url?: string | undefined;
  /** Headers. */
  headers: Record<string, string | string[] | undefined>;
  /** A body Express' `json()` already parsed, when it did. */
  body?: unknown;
  /** The request's readable stream. */
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/** A response in the shape of node:http. */
export interface NodeResponse {
  /** Sets the status and headers. */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Sends the body and finishes. */
  end(body: string): unknown;
}

/** What {@link createUploadHandler} returns. */
export interface UploadHandler {
  /** Handles one call of the protocol: a Web `Request` in, a JSON `Response` out. */
  fetch(request: Request): Promise<Response>;
  /** The same for node:http, Express or Connect (`app.post('/api/upload', uploads.node)`). */
  node(req: NodeRequest, res: NodeResponse, next?: (error?: unknown) => void): Promise<void>;
}
