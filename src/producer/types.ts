import type { PresignedMethod } from '../contract/request.js';
import type { CannedAcl, ChecksumAlgorithm, StorageClass } from '../s3/headers.js';

export type { CannedAcl, ChecksumAlgorithm, StorageClass };

/** Credentials as the AWS SDK shapes them (`AwsCredentialIdentity`). */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials (STS, SSO, instance roles). */
  sessionToken?: string | undefined;
  /** When temporary credentials stop working; URLs never outlive it. */
  expiration?: Date | undefined;
}

/** The AWS SDK's `AwsCredentialIdentityProvider` shape: called on every presign, so memoise it. */
export type CredentialsProvider = () => Promise<Credentials>;

/**
 * The part of an `@aws-sdk/client-s3` `S3Client` this library reads: region, endpoint, path style,
 * dual-stack and the credential chain. Typed structurally so the SDK stays an optional peer.
 */
export interface S3ClientLike {
  config: {
    region: string | (() => Promise<string>);
    credentials: CredentialsProvider;
    endpoint?:
      | (() => Promise<{ protocol: string; hostname: string; port?: number | undefined; path: string }>)
      | undefined;
    isCustomEndpoint?: boolean | undefined;
    forcePathStyle?: boolean | undefined;
    useDualstackEndpoint?: (() => Promise<boolean>) | boolean | undefined;
  };
  // biome-ignore lint/suspicious/noExplicitAny: any SDK command goes through send
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

export interface PresignerOptions {
  /**
   * AWS region the bucket lives in; read from `client` when one is given.
   * @example 'eu-west-1'
   */
  region?: string | undefined;
  /**
   * Static credentials, or a provider of them (e.g. `fromNodeProviderChain()` of the SDK).
   * Not needed when `client` is given.
   */
  credentials?: Credentials | CredentialsProvider | undefined;
  /**
   * An existing `S3Client`: its region, endpoint, `forcePathStyle`, dual-stack setting and
   * credential chain are reused. Required for the calls that talk to S3 (multipart).
   */
  client?: S3ClientLike | undefined;
  /**
   * A custom endpoint (MinIO, R2, a local server). Buckets go in the host name unless
   * `forcePathStyle`, an IP or `localhost` endpoint, or a bucket name that cannot be a host label.
   * @example 'http://127.0.0.1:9000'
   */
  endpoint?: string | undefined;
  /**
   * Put the bucket in the path (`host/bucket/key`) instead of the host name.
   * @default false
   */
  forcePathStyle?: boolean | undefined;
  /**
   * Use the dual-stack (IPv4 + IPv6) endpoint `s3.dualstack.REGION.amazonaws.com`.
   * @default false
   */
  dualstack?: boolean | undefined;
  /** Default bucket for calls that do not name one. */
  bucket?: string | undefined;
  /**
   * Default lifetime of a signature, in whole seconds (1..604800).
   * @default 900
   */
  expiresIn?: number | undefined;
  /**
   * A policy cap: any `expiresIn` above it is refused with `ERR_INVALID_EXPIRES`.
   * @default 604800
   */
  maxExpiresIn?: number | undefined;
  /**
   * What to do when temporary credentials expire before the requested expiry: `'clamp'` signs for
   * the time they have left and reports the real `expiresAt`; `'throw'` refuses with
   * `ERR_CREDENTIALS_EXPIRED`.
   * @default 'clamp'
   */
  onCredentialExpiry?: 'clamp' | 'throw' | undefined;
  /**
   * The clock, for tests and for servers whose clock is known to be off.
   * @default () => new Date()
   */
  now?: (() => Date) | undefined;
}

/** What every presign call takes. */
export interface CommonOptions {
  /** Object key, exactly as stored (never normalised: NFC and NFD are different keys). */
  key: string;
  /** Bucket; falls back to the presigner's `bucket`. */
  bucket?: string | undefined;
  /**
   * Lifetime of the signature in whole seconds (1..604800, at most `maxExpiresIn`).
   * @default the presigner's expiresIn (900)
   */
  expiresIn?: number | undefined;
  /**
   * The instant of signing (`X-Amz-Date`).
   * @default now
   */
  signingDate?: Date | undefined;
}

export interface ConditionalReadOptions {
  /** Signed `if-match`: only if the ETag matches. */
  ifMatch?: string | undefined;
  /** Signed `if-none-match`: only if the ETag differs. */
  ifNoneMatch?: string | undefined;
}

export interface GetOptions extends CommonOptions, ConditionalReadOptions {
  /** A specific version of the object. */
  versionId?: string | undefined;
  /** Read one part of a multipart object (1..10000). */
  partNumber?: number | undefined;
  /**
   * A signed `range` header: `'bytes=0-99'` or `{ start, end }` (inclusive).
   * @example { start: 0, end: 1023 }
   */
  range?: string | { start: number; end?: number } | undefined;
  /** `response-content-type`: override the Content-Type S3 answers with. */
  responseContentType?: string | undefined;
  /**
   * `response-content-disposition`, e.g. to make the browser download under a name.
   * @example 'attachment; filename="report.pdf"'
   */
  responseContentDisposition?: string | undefined;
  responseContentEncoding?: string | undefined;
  responseContentLanguage?: string | undefined;
  responseCacheControl?: string | undefined;
  /** `response-expires`: a Date or an HTTP date. */
  responseExpires?: string | Date | undefined;
}

export type HeadOptions = GetOptions;

export interface DeleteOptions extends CommonOptions {
  versionId?: string | undefined;
}

export interface ServerSideEncryption {
  /** `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse` (dual-layer). */
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  /** KMS key id or ARN (KMS algorithms only). */
  kmsKeyId?: string | undefined;
  /** KMS encryption context, sent as base64 JSON (KMS algorithms only). */
  context?: Record<string, string> | undefined;
  /** Use an S3 Bucket Key for SSE-KMS. */
  bucketKeyEnabled?: boolean | undefined;
}

export interface PutOptions extends CommonOptions {
  /**
   * Signed `content-type`: S3 refuses an upload that sends another.
   * @example 'image/png'
   */
  contentType?: string | undefined;
  /** Signed `content-length`: S3 refuses a body of another size. */
  contentLength?: number | undefined;
  /** Signed `content-md5`: base64 of the MD5 of the body. */
  contentMd5?: string | undefined;
  /**
   * A signed `x-amz-checksum-*` header: S3 refuses a body with another checksum.
   * @example { algorithm: 'SHA256', value: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }
   */
  checksum?: { algorithm: ChecksumAlgorithm; value: string } | undefined;
  /** User metadata, stored as `x-amz-meta-NAME` (names lower-cased, values printable ASCII). */
  metadata?: Record<string, string> | undefined;
  cacheControl?: string | undefined;
  contentDisposition?: string | undefined;
  contentEncoding?: string | undefined;
  contentLanguage?: string | undefined;
  /** The `Expires` header S3 stores with the object. */
  expires?: string | Date | undefined;
  acl?: CannedAcl | undefined;
  storageClass?: StorageClass | undefined;
  /** Object tags: a record, or an already URL-encoded `k=v&k2=v2`. */
  tagging?: Record<string, string> | string | undefined;
  serverSideEncryption?: ServerSideEncryption | undefined;
  /** `'*'`: refuse to overwrite an existing object (S3 answers 412). */
  ifNoneMatch?: '*' | undefined;
  /**
   * Move the `x-amz-*` headers S3 honours in the query (metadata, acl, storage class) into the URL,
   * for clients that can only take a URL. Checksum, SSE, tagging and conditional headers are never
   * hoisted: S3 ignores them there.
   * @default false
   */
  hoist?: boolean | undefined;
}

/** The generic call: any method, key, query and headers. */
export interface PresignOptions {
  method: PresignedMethod;
  /** Object key; omit for bucket-level operations. */
  key?: string | undefined;
  bucket?: string | undefined;
  /** Query parameters the operation needs (not the `X-Amz-*` ones, which are the signer's). */
  query?: Record<string, string | number | undefined>;
  /** Headers to sign; names are lower-cased. */
  headers?: Record<string, string | number | undefined>;
  expiresIn?: number | undefined;
  signingDate?: Date | undefined;
}
