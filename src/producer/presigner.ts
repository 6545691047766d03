import type { ListedPart, PresignedMultipart, PresignedPart } from '../contract/multipart.js';
import type { PresignedPost } from '../contract/post.js';
import { PRESIGNED_METHODS, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { assertBucketName } from '../s3/bucket.js';
import { type BucketTarget, createTargetResolver } from '../s3/endpoint.js';
import { assertObjectKey } from '../s3/key.js';
import { DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN } from '../s3/limits.js';
import { encodeKeyPath } from '../sigv4/encode.js';
import { signingKey } from '../sigv4/signing-key.js';
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
} from './multipart.js';
import { type PresignPostOptions, presignPost } from './post.js';
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

/** What the presigner resolved from its options (some of it read asynchronously from a client). */
interface Resolved {
  region: string;
  target: (bucket: string) => BucketTarget;
  credentials: Credentials | CredentialsProvider;
}

interface Clock {
  signedAt: number;
  expiresIn: number;
  amzDate: string;
  expiresAt: string;
}

export interface Presigner {
  /** Presign a GetObject. */
  presignGet(options: GetOptions): Promise<PresignedRequest>;
  /** Presign a PutObject: every header asked for is signed, so S3 enforces it. */
  presignPut(options: PutOptions): Promise<PresignedRequest>;
  /** Presign a HeadObject. */
  presignHead(options: HeadOptions): Promise<PresignedRequest>;
  /** Presign a DeleteObject. */
  presignDelete(options: DeleteOptions): Promise<PresignedRequest>;
  /** Presign any request: method, key, query and headers as given (for operations not named above). */
  presign(options: PresignOptions): Promise<PresignedRequest>;
  /**
   * Start a multipart upload (CreateMultipartUpload through `client`) and presign its parts,
   * `complete` and `abort`. Needs `client`.
   */
  presignMultipart(options: PresignMultipartOptions): Promise<PresignedMultipart>;
  /** Presign more parts of an upload, e.g. lazily, or again after their signatures expired. */
  presignParts(options: PresignPartsOptions): Promise<PresignedPart[]>;
  /** CompleteMultipartUpload through `client`. */
  completeMultipart(options: CompleteMultipartOptions): Promise<CompletedMultipart>;
  /** AbortMultipartUpload through `client`: the parts stop costing storage. */
  abortMultipart(options: AbortMultipartOptions): Promise<void>;
  /** ListParts through `client`, every page: what a resumed upload can skip. */
  listParts(options: ListPartsOptions): Promise<ListedPart[]>;
  /** Presign a POST policy: a browser form upload with size, type and key limits S3 enforces. */
  presignPost(options: PresignPostOptions): Promise<PresignedPost>;
}

const SERVICE = 's3';

function amzDateOf(ms: number): string {
  // 2013-05-24T00:00:00.000Z -> 20130524T000000Z
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

async function fromClient(client: S3ClientLike, options: PresignerOptions): Promise<Resolved> {
  const config = client.config;
  const region = options.region ?? (typeof config.region === 'function' ? await config.region() : config.region);
  let endpoint = options.endpoint;
  if (endpoint === undefined && config.isCustomEndpoint === true && config.endpoint !== undefined) {
    const e = await config.endpoint();
    endpoint = `${e.protocol}//${e.hostname}${e.port === undefined ? '' : `:${e.port}`}${e.path}`;
  }
  const dualstack =
    options.dualstack ??
    (typeof config.useDualstackEndpoint === 'function'
      ? await config.useDualstackEndpoint()
      : config.useDualstackEndpoint === true);
  return {
    region,
    target: createTargetResolver({
      region,
      endpoint,
      forcePathStyle: options.forcePathStyle ?? config.forcePathStyle === true,
      dualstack,
    }),
    credentials: options.credentials ?? (() => config.credentials()),
  };
}

export class PresignerImpl implements Presigner, Signer {
  readonly options: PresignerOptions;
  readonly policy: ExpiryPolicy;
  private resolved: Resolved | undefined;
  private resolving: Promise<Resolved> | undefined;
  private now: () => Date;
  // The last signing key, by credential object and day: the hot path skips even the cache lookup.
  private lastKey: { credentials: Credentials; day: string; key: Buffer } | undefined;
  private clock: Clock | undefined;

  constructor(options: PresignerOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new PresignError('ERR_INVALID_OPTION', 'createPresigner needs an options object');
    }
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
      const region = options.region;
      this.resolved = {
        region: region as string,
        target: createTargetResolver({
          region: region as string,
          endpoint: options.endpoint,
          forcePathStyle: options.forcePathStyle,
          dualstack: options.dualstack,
        }),
        credentials: options.credentials,
      };
    }
  }

  /** Region, endpoint and credential source, resolved once. */
  config(): Resolved | Promise<Resolved> {
    if (this.resolved !== undefined) return this.resolved;
    if (this.resolving === undefined) {
      const client = this.options.client as S3ClientLike;
      this.resolving = fromClient(client, this.options).then(
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
    const signedAt = ms - (((ms % 1000) + 1000) % 1000);
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
    resolved: Resolved,
    credentials: Credentials,
    signedAt: number,
    requestedExpiresIn: number | undefined,
  ): SigningContext {
    assertCredentials(credentials, signedAt);
    const expiresIn = effectiveExpiresIn(requestedExpiresIn, this.policy, signedAt, credentials);
    const clock = this.clockAt(signedAt, expiresIn);
    const day = clock.amzDate.slice(0, 8);
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
      amzDate: clock.amzDate,
      expiresIn,
      expiresAt: clock.expiresAt,
      signingKey: key,
    };
  }

  /** `X-Amz-Date` and `expiresAt` strings, formatted once per signing second and lifetime. */
  private clockAt(signedAt: number, expiresIn: number): Clock {
    let clock = this.clock;
    if (clock === undefined || clock.signedAt !== signedAt || clock.expiresIn !== expiresIn) {
      clock = {
        signedAt,
        expiresIn,
        amzDate: clock?.signedAt === signedAt ? clock.amzDate : amzDateOf(signedAt),
        expiresAt: isoSeconds(signedAt + expiresIn * 1000),
      };
      this.clock = clock;
    }
    return clock;
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
      if (!PRESIGNED_METHODS.includes(options?.method)) {
        throw new PresignError('ERR_INVALID_OPTION', `method must be one of ${PRESIGNED_METHODS.join(', ')}`);
      }
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
 * and the endpoint of each bucket).
 *
 * @example
 * const presigner = createPresigner({ region: 'eu-west-1', bucket: 'uploads', credentials });
 * const put = await presigner.presignPut({ key: 'avatars/42.png', contentType: 'image/png' });
 */
export function createPresigner(options: PresignerOptions): Presigner {
  return new PresignerImpl(options);
}
