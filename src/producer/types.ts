import type { PresignedMethod } from '../contract/request.js';
import type { CannedAcl, ChecksumAlgorithm, ChecksumType, StorageClass } from '../s3/headers.js';

export type { CannedAcl, ChecksumAlgorithm, ChecksumType, StorageClass };

/** Credentials as the AWS SDK shapes them (`AwsCredentialIdentity`). */
export interface Credentials {
  /**
   * The access key id (`AKIA...`, or `ASIA...` for temporary credentials): printable ASCII without `/`.
   * It travels in every URL's `X-Amz-Credential`; it is not a secret.
   */
  accessKeyId: string;
  /** The secret access key: signs, never travels, never appears in a URL, an error or a log line. */
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
  /** The resolved configuration of the client (the SDK's `S3Client.config`). */
  config: {
    /** The client's region, or the SDK's provider of it. */
    region: string | (() => Promise<string>);
    /** The client's credential chain: called on every presign, so the SDK's caching applies. */
    credentials: CredentialsProvider;
    /** The SDK's endpoint provider: read only when `isCustomEndpoint` is true. */
    endpoint?:
      | (() => Promise<{
          /** `https:` or `http:`. */
          protocol: string;
          /** Host name, without the port. */
          hostname: string;
          /** Port, when not the protocol's default. */
          port?: number | undefined;
          /** Base path (`/` for none). */
          path: string;
        }>)
      | undefined;
    /** True when the client was given an `endpoint` (MinIO, R2, a local server). */
    isCustomEndpoint?: boolean | undefined;
    /** The client's path-style setting. */
    forcePathStyle?: boolean | undefined;
    /** The client's dual-stack setting, or the SDK's provider of it. */
    useDualstackEndpoint?: (() => Promise<boolean>) | boolean | undefined;
  };
  /**
   * Sends an SDK command: how the multipart calls (create, complete, abort, list) reach S3. (Its
   * `abortSignal` is what this library passes to the SDK, so it stays without `| undefined`: the
   * SDK's own `send` would not accept it under `exactOptionalPropertyTypes`.)
   */
  // biome-ignore lint/suspicious/noExplicitAny: any SDK command goes through send
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** The options of {@link createPresigner}: where and how to sign. */
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
  /**
   * Default bucket for calls that do not name one (checked against S3's naming rules here).
   * @example 'uploads'
   */
  bucket?: string | undefined;
  /**
   * Default lifetime of a signature, in whole seconds (1..604800, at most `maxExpiresIn`).
   * @default 900, or `maxExpiresIn` when that is lower
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
   * The clock, for tests and for servers whose clock is known to be off. Read once per signature,
   * after the credentials resolve.
   * @default () => new Date()
   * @example () => new Date('2026-01-01T00:00:00Z')
   */
  now?: (() => Date) | undefined;
  /**
   * The AWS account that must own every bucket this presigner signs for: each request is signed
   * with `x-amz-expected-bucket-owner`, and S3 refuses it (403) for a bucket of another account. A
   * call's own `expectedBucketOwner` takes precedence.
   * @example '111122223333'
   */
  expectedBucketOwner?: string | undefined;
}

/** What every presign call of one object takes. */
export interface CommonOptions {
  /** Object key, exactly as stored (never normalised: NFC and NFD are different keys). */
  key: string;
  /**
   * Bucket.
   * @default the presigner's `bucket`
   */
  bucket?: string | undefined;
  /**
   * Lifetime of the signature in whole seconds (1..604800, at most `maxExpiresIn`). Temporary
   * credentials shorten it (or refuse, per `onCredentialExpiry`): a URL never outlives them.
   * @default the presigner's `expiresIn` (900)
   */
  expiresIn?: number | undefined;
  /**
   * The instant of signing (`X-Amz-Date`), rounded down to the second.
   * @default the presigner's `now()`
   */
  signingDate?: Date | undefined;
  /**
   * The AWS account that must own the bucket, signed as `x-amz-expected-bucket-owner`: S3 answers 403
   * when the bucket is another account's (a bucket deleted and re-created by someone else keeps its name).
   * @default the presigner's `expectedBucketOwner`
   * @example '111122223333'
   */
  expectedBucketOwner?: string | undefined;
}

/** Conditional reads, signed as headers: S3 answers 412 or 304 when the condition fails. */
export interface ConditionalReadOptions {
  /** Signed `if-match`: only if the ETag matches. */
  ifMatch?: string | undefined;
  /** Signed `if-none-match`: only if the ETag differs. */
  ifNoneMatch?: string | undefined;
}

/** The options of {@link Presigner.presignGet}. */
export interface GetOptions extends CommonOptions, ConditionalReadOptions {
  /** A specific version of the object. */
  versionId?: string | undefined;
  /** Read one part of a multipart object (1..10000). */
  partNumber?: number | undefined;
  /**
   * A signed `range` header: `'bytes=0-99'` or `{ start, end }` (inclusive).
   * @example { start: 0, end: 1023 }
   */
  range?:
    | string
    | {
        /** First byte, from 0. */
        start: number;
        /** Last byte, inclusive; omit it to read to the end. */
        end?: number | undefined;
      }
    | undefined;
  /**
   * Signed `if-range` (with `range` only): the range if the object is still this one (an ETag, or a
   * Date / HTTP date it was last modified at), else the whole object, so a resumed download never
   * splices two versions.
   * @example '"b54357faf0632cce46e942fa68356b38"'
   */
  ifRange?: string | Date | undefined;
  /**
   * Signs `x-amz-checksum-mode: ENABLED`: S3 then answers with the object's `x-amz-checksum-*` and
   * `x-amz-checksum-type` headers, which `download(request, { verifyChecksum: true })` checks the
   * bytes against.
   * @default false
   */
  checksumMode?: boolean | undefined;
  /** `response-content-type`: override the Content-Type S3 answers with. */
  responseContentType?: string | undefined;
  /**
   * `response-content-disposition`, e.g. to make the browser download under a name.
   * @example 'attachment; filename="report.pdf"'
   */
  responseContentDisposition?: string | undefined;
  /** `response-content-encoding`: override the Content-Encoding S3 answers with. */
  responseContentEncoding?: string | undefined;
  /** `response-content-language`: override the Content-Language S3 answers with. */
  responseContentLanguage?: string | undefined;
  /**
   * `response-cache-control`: override the Cache-Control S3 answers with.
   * @example 'no-store'
   */
  responseCacheControl?: string | undefined;
  /** `response-expires`: a Date or an HTTP date. */
  responseExpires?: string | Date | undefined;
}

/** The options of {@link Presigner.presignHead}: those of a GET. */
export type HeadOptions = GetOptions;

/** The options of {@link Presigner.presignDelete}. */
export interface DeleteOptions extends CommonOptions {
  /** Delete this version of the object (in a versioned bucket), not the current one. */
  versionId?: string | undefined;
}

/** Server-side encryption of an uploaded object, signed as `x-amz-server-side-encryption*` headers. */
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

/** The options of {@link Presigner.presignPut}: the object's headers, each signed. */
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
  checksum?:
    | {
        /** The algorithm S3 checks the body with. */
        algorithm: ChecksumAlgorithm;
        /** The base64 digest of the body. */
        value: string;
      }
    | undefined;
  /**
   * User metadata, stored as `x-amz-meta-NAME` (names lower-cased, values printable ASCII, 2 KB in all).
   * @example { album: 'holidays' }
   */
  metadata?: Record<string, string> | undefined;
  /**
   * Signed `cache-control`, stored with the object.
   * @example 'max-age=31536000, immutable'
   */
  cacheControl?: string | undefined;
  /**
   * Signed `content-disposition`, stored with the object (printable ASCII: use RFC 5987
   * `filename*=UTF-8''...` for other names).
   * @example 'attachment; filename="report.pdf"'
   */
  contentDisposition?: string | undefined;
  /**
   * Signed `content-encoding`, stored with the object.
   * @example 'gzip'
   */
  contentEncoding?: string | undefined;
  /** Signed `content-language`, stored with the object. */
  contentLanguage?: string | undefined;
  /** The `Expires` header S3 stores with the object: a Date or an HTTP date. */
  expires?: string | Date | undefined;
  /**
   * Signed `x-amz-acl`: the object's canned ACL.
   * @example 'bucket-owner-full-control'
   */
  acl?: CannedAcl | undefined;
  /**
   * Signed `x-amz-storage-class`.
   * @example 'STANDARD_IA'
   */
  storageClass?: StorageClass | undefined;
  /**
   * Object tags, signed as `x-amz-tagging`: a record, or an already URL-encoded `k=v&k2=v2`.
   * @example { project: 'alpha' }
   */
  tagging?: Record<string, string> | string | undefined;
  /**
   * Server-side encryption of the object.
   * @example { algorithm: 'aws:kms', kmsKeyId: 'alias/uploads' }
   */
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

/** The options of {@link Presigner.presign}, the generic call: any method, key, query and headers. */
export interface PresignOptions {
  /** The HTTP method to sign for. */
  method: PresignedMethod;
  /** Object key; omit for bucket-level operations. */
  key?: string | undefined;
  /**
   * Bucket.
   * @default the presigner's `bucket`
   */
  bucket?: string | undefined;
  /**
   * Query parameters the operation needs (not the `X-Amz-*` ones, which are the signer's); entries
   * whose value is `undefined` are left out.
   * @example { tagging: '' }
   */
  query?: Record<string, string | number | undefined> | undefined;
  /**
   * Headers to sign; names are lower-cased, entries whose value is `undefined` are left out.
   * @example { 'x-amz-acl': 'private' }
   */
  headers?: Record<string, string | number | undefined> | undefined;
  /**
   * Lifetime of the signature in whole seconds (1..604800, at most `maxExpiresIn`).
   * @default the presigner's `expiresIn` (900)
   */
  expiresIn?: number | undefined;
  /**
   * The instant of signing (`X-Amz-Date`).
   * @default the presigner's `now()`
   */
  signingDate?: Date | undefined;
}
