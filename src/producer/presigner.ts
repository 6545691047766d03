import type { ListedPart, PresignedMultipart, PresignedPart } from '../contract/multipart.js';
import type { PresignedPost } from '../contract/post.js';
import { PRESIGNED_METHODS, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { assertBucketName } from '../s3/bucket.js';
import { readOneOf, readOptions } from '../s3/check.js';
import { assertObjectKey } from '../s3/key.js';
import { DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN } from '../s3/limits.js';
import { encodeKeyPath } from '../sigv4/encode.js';
import { signingKey } from '../sigv4/signing-key.js';
import { type SigningTimes, signingTimes, wholeSeconds } from './clock.js';
import { configFromClient, configFromOptions, type ResolvedConfig } from './config.js';
import { assertCredentials } from './credentials.js';
import { assertExpiresIn, type ExpiryPolicy, effectiveExpiresIn } from './expiry.js';
import {
  type AbortMultipartOptions,
  abortMultipart,
  type CompletedMultipart,
  type CompleteMultipartOptions,
  completeMultipart,
  type ListPartsOptions,
  listParts,
  type PresignMultipartOptions,
  type PresignPartsOptions,
  presignMultipart,
  presignParts,
} from './multipart/index.js';
import { type PresignPostOptions, presignPost } from './post/index.js';
import type { Presigner } from './presigner-interface.js';
import { checkPresignerOptions } from './presigner-options.js';
import { deleteRequest, genericRequest, getRequest, putRequest, type RequestParts } from './requests.js';
import { type Signer, type SigningContext, type SignRequest, signAt } from './signing.js';
import type {
  Credentials,
  CredentialsProvider,
  DeleteOptions,
  GetOptions,
  HeadOptions,
  PresignerOptions,
  PresignOptions,
  PutOptions,
  S3ClientLike,
} from './types.js';

const SERVICE = 's3';

/**
 * The presigner: options checked once at construction, then every call validated, given a signing
 * context (credentials, lifetime, signing key) and signed. The multipart and POST operations get it
 * as their {@link Signer}.
 */
export class PresignerImpl implements Presigner, Signer {
  readonly options: PresignerOptions;
  readonly policy: ExpiryPolicy;
  private resolved: ResolvedConfig | undefined;
  private resolving: Promise<ResolvedConfig> | undefined;
  private now: () => Date;
  // The last signing key, by credential object and day: the hot path skips even the cache lookup.
  private lastKey: { credentials: Credentials; day: string; key: Buffer } | undefined;
  private times: SigningTimes | undefined;

  constructor(options: PresignerOptions) {
    checkPresignerOptions(options);
    this.options = options;
    const maxExpiresIn = options.maxExpiresIn ?? MAX_EXPIRES_IN;
    assertExpiresIn(maxExpiresIn, MAX_EXPIRES_IN, 'maxExpiresIn');
    const defaultExpiresIn = options.expiresIn ?? Math.min(DEFAULT_EXPIRES_IN, maxExpiresIn);
    assertExpiresIn(defaultExpiresIn, maxExpiresIn);
    const onCredentialExpiry = options.onCredentialExpiry ?? 'clamp';
    if (onCredentialExpiry !== 'clamp' && onCredentialExpiry !== 'throw') {
      throw new PresignError('ERR_INVALID_OPTION', "onCredentialExpiry must be 'clamp' or 'throw'");
    }
    this.policy = { defaultExpiresIn, maxExpiresIn, onCredentialExpiry };
    this.now = options.now ?? (() => new Date());
    if (options.bucket !== undefined) assertBucketName(options.bucket);
    if (options.client !== undefined) {
      if (typeof options.client?.config?.credentials !== 'function') {
        throw new PresignError('ERR_INVALID_OPTION', '`client` must be an S3Client from @aws-sdk/client-s3');
      }
    } else {
      if (options.credentials === undefined) {
        throw new PresignError(
          'ERR_INVALID_CREDENTIALS',
          'Credentials are required: pass `credentials` or an S3Client as `client`',
        );
      }
      if (typeof options.credentials !== 'function') assertCredentials(options.credentials, Number.NEGATIVE_INFINITY);
      this.resolved = configFromOptions(options, options.credentials);
    }
  }

  /** Region, endpoint and credential source, resolved once. */
  config(): ResolvedConfig | Promise<ResolvedConfig> {
    if (this.resolved !== undefined) return this.resolved;
    if (this.resolving === undefined) {
      const client = this.options.client as S3ClientLike;
      this.resolving = configFromClient(client, this.options).then(
        (resolved) => {
          this.resolved = resolved;
          return resolved;
        },
        (error: unknown) => {
          this.resolving = undefined;
          throw error;
        },
      );
    }
    return this.resolving;
  }

  /** Resolves the bucket the call names or the default one, and checks it. */
  bucketOf(bucket: string | undefined): string {
    const name = bucket ?? this.options.bucket;
    assertBucketName(name);
    return name;
  }

  /**
   * What any signature needs at one instant: credentials checked, lifetime settled (expiry policy and
   * credential expiration), the day's signing key. Shared by query signing and POST policies.
   * Synchronous when nothing needs resolving (static credentials): the hot path stays free of awaits.
   */
  signingContext(
    signingDate: Date | undefined,
    requestedExpiresIn: number | undefined,
  ): SigningContext | Promise<SigningContext> {
    let ms: number;
    if (signingDate === undefined && this.options.now === undefined) {
      // No clock given: Date.now() saves a Date object per URL.
      ms = Date.now();
    } else {
      const date = signingDate ?? this.now();
      ms = date instanceof Date ? date.getTime() : Number.NaN;
    }
    if (!Number.isFinite(ms)) throw new PresignError('ERR_INVALID_OPTION', 'signingDate must be a valid Date');
    const signedAt = wholeSeconds(ms);
    const resolved = this.resolved;
    if (resolved !== undefined && typeof resolved.credentials !== 'function') {
      return this.contextFor(resolved, resolved.credentials, signedAt, requestedExpiresIn);
    }
    return this.resolveContext(signedAt, requestedExpiresIn);
  }

  private async resolveContext(signedAt: number, requestedExpiresIn: number | undefined): Promise<SigningContext> {
    const resolved = this.resolved ?? (await this.config());
    const credentials =
      typeof resolved.credentials === 'function' ? await this.provide(resolved.credentials) : resolved.credentials;
    return this.contextFor(resolved, credentials, signedAt, requestedExpiresIn);
  }

  private contextFor(
    resolved: ResolvedConfig,
    credentials: Credentials,
    signedAt: number,
    requestedExpiresIn: number | undefined,
  ): SigningContext {
    assertCredentials(credentials, signedAt);
    const expiresIn = effectiveExpiresIn(requestedExpiresIn, this.policy, signedAt, credentials);
    const times = signingTimes(this.times, signedAt, expiresIn);
    this.times = times;
    const day = times.amzDate.slice(0, 8);
    let key: Buffer;
    const last = this.lastKey;
    if (last !== undefined && last.credentials === credentials && last.day === day) {
      key = last.key;
    } else {
      key = signingKey(credentials.secretAccessKey, day, resolved.region, SERVICE);
      this.lastKey = { credentials, day, key };
    }
    return {
      credentials,
      region: resolved.region,
      service: SERVICE,
      target: resolved.target,
      signedAt,
      amzDate: times.amzDate,
      expiresIn,
      expiresAt: times.expiresAt,
      signingKey: key,
    };
  }

  /** Signs one request: the mechanism every presign call ends in. */
  sign(request: SignRequest): Promise<PresignedRequest> {
    try {
      const bucket = this.bucketOf(request.bucket);
      if (request.key !== undefined) assertObjectKey(request.key);
      const context = this.signingContext(request.signingDate, request.expiresIn);
      return context instanceof Promise
        ? context.then((c) => signWith(request, bucket, c))
        : Promise.resolve(signWith(request, bucket, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async provide(provider: CredentialsProvider): Promise<Credentials> {
    try {
      return await provider();
    } catch (cause) {
      throw new PresignError('ERR_INVALID_CREDENTIALS', 'The credential provider failed', { cause });
    }
  }

  presignGet(options: GetOptions): Promise<PresignedRequest> {
    return this.named('GET', options, getRequest);
  }

  presignHead(options: HeadOptions): Promise<PresignedRequest> {
    return this.named('HEAD', options, getRequest);
  }

  presignPut(options: PutOptions): Promise<PresignedRequest> {
    return this.named('PUT', options, putRequest);
  }

  presignDelete(options: DeleteOptions): Promise<PresignedRequest> {
    return this.named('DELETE', options, deleteRequest);
  }

  presign(options: PresignOptions): Promise<PresignedRequest> {
    return this.run(() => {
      readOptions('presign', options, ' with a `method`');
      readOneOf('method', options.method, PRESIGNED_METHODS);
      return toSignRequest(options.method, options, genericRequest(options));
    });
  }

  presignMultipart(options: PresignMultipartOptions): Promise<PresignedMultipart> {
    return presignMultipart(this, options);
  }

  presignParts(options: PresignPartsOptions): Promise<PresignedPart[]> {
    return presignParts(this, options);
  }

  completeMultipart(options: CompleteMultipartOptions): Promise<CompletedMultipart> {
    return completeMultipart(this, options);
  }

  abortMultipart(options: AbortMultipartOptions): Promise<void> {
    return abortMultipart(this, options);
  }

  listParts(options: ListPartsOptions): Promise<ListedPart[]> {
    return listParts(this, options);
  }

  presignPost(options: PresignPostOptions): Promise<PresignedPost> {
    return presignPost(this, options);
  }

  private named<O extends GetOptions | PutOptions | DeleteOptions>(
    method: PresignedMethod,
    options: O,
    build: (options: O) => RequestParts,
  ): Promise<PresignedRequest> {
    return this.run(() => {
      if (typeof options !== 'object' || options === null) {
        throw new PresignError('ERR_INVALID_OPTION', 'Options with at least a `key` are required');
      }
      // A missing key is refused here; sign() checks every key it is given.
      if (typeof options.key !== 'string') assertObjectKey(options.key);
      return toSignRequest(method, options, build(options));
    });
  }

  /** Turns synchronous validation errors into rejections: every call fails the same way. */
  private run(build: () => SignRequest): Promise<PresignedRequest> {
    try {
      return this.sign(build());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function toSignRequest(
  method: PresignedMethod,
  options: PresignOptions | GetOptions | PutOptions | DeleteOptions,
  { query, headers }: RequestParts,
): SignRequest {
  return {
    method,
    query,
    headers,
    bucket: options.bucket,
    key: options.key,
    expiresIn: options.expiresIn,
    signingDate: options.signingDate,
  };
}

function signWith(request: SignRequest, bucket: string, context: SigningContext): PresignedRequest {
  const target = context.target(bucket);
  const path = request.key === undefined ? target.pathPrefix : target.pathPrefix + encodeKeyPath(request.key);
  return signAt(context, target, request.method, path, request.query, request.headers);
}

/**
 * Creates a presigner: one per configuration, reused for every request (it caches the signing key
 * and the endpoint of each bucket). Give it a region and credentials (static, or a provider such as
 * the AWS SDK's `fromNodeProviderChain()`), or an existing `S3Client` as `client`, whose region,
 * endpoint, path style and credential chain are reused (and which the multipart calls need).
 *
 * Its options are checked here, once: a presigner that was created signs or rejects each call on
 * that call's own merits.
 *
 * @param options Where and how to sign: region, credentials or client, endpoint, default bucket,
 *   expiry policy, clock.
 * @returns The {@link Presigner}.
 * @throws {@link PresignError} `ERR_INVALID_CREDENTIALS` when there is neither `credentials` nor
 *   `client`, or static credentials are not `{ accessKeyId, secretAccessKey }` non-empty strings
 *   (with an optional non-empty `sessionToken` and a valid `expiration` Date).
 * @throws {@link PresignError} `ERR_INVALID_REGION` when, without `client`, `region` is missing or is
 *   not a region name like `eu-west-1`.
 * @throws {@link PresignError} `ERR_INVALID_ENDPOINT` when `endpoint` is not an http(s) URL without
 *   credentials, query or fragment.
 * @throws {@link PresignError} `ERR_INVALID_BUCKET` when the default `bucket` breaks S3's naming rules.
 * @throws {@link PresignError} `ERR_INVALID_EXPIRES` when `expiresIn` or `maxExpiresIn` is not whole
 *   seconds from 1 to 604800, or `expiresIn` is over `maxExpiresIn`.
 * @throws {@link PresignError} `ERR_INVALID_OPTION` when `options` is not an object, `client` is not
 *   an `S3Client`, or `onCredentialExpiry` is neither `'clamp'` nor `'throw'`.
 * @example
 * ```ts
 * import { createPresigner } from 's3-presign';
 *
 * const presigner = createPresigner({
 *   region: 'eu-west-1',
 *   bucket: 'uploads',
 *   credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
 * });
 * const put = await presigner.presignPut({ key: 'avatars/42.png', contentType: 'image/png' });
 * ```
 * @example
 * ```ts
 * // Reuse an SDK client: its region, endpoint and credential chain (required for multipart).
 * const presigner = createPresigner({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'uploads' });
 * ```
 */
export function createPresigner(options: PresignerOptions): Presigner {
  return new PresignerImpl(options);
}
