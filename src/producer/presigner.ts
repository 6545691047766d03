import type { ListedPart, PresignedMultipart, PresignedPart } from '../contract/multipart.js';
import type { PresignedPost } from '../contract/post.js';
import { PRESIGNED_METHODS, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { assertBucketName } from '../s3/bucket.js';
import { readDate, readOneOf, readOptions } from '../s3/check.js';
import { ownerValue, withOwner } from '../s3/headers.js';
import { assertObjectKey } from '../s3/key.js';
import { DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN } from '../s3/limits.js';
import { base64, hex } from '../sigv4/bytes.js';
import { encodeKeyPath } from '../sigv4/encode.js';
import { signingKey } from '../sigv4/signing-key.js';
import { type SigningTimes, signingTimes, wholeSeconds } from './clock.js';
import { configFromClient, configFromOptions, type ResolvedConfig } from './config.js';
import { assertNotExpired, type CredentialSnapshot, snapshotCredentials } from './credentials.js';
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
import { scrubError, scrubText } from './scrub.js';
import { type Signer, type SigningContext, type SignRequest, signAt } from './signing.js';
import type {
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
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * What a presigner shows of itself when printed or serialised (`toJSON`, `util.inspect`, a logger):
 * where it signs, never with what. The access key id is an identifier, not a secret (it travels in
 * every URL), but it names an account's key: like errors and redacted URLs, the presigner shows only
 * its last four characters.
 */
export interface PresignerSummary {
  /** The region, or `'(from client)'` until the client's is read. */
  region: string;
  /** The custom endpoint, when there is one. */
  endpoint: string | undefined;
  /** The default bucket. */
  bucket: string | undefined;
  /** Where credentials come from. */
  credentials: 'static' | 'provider' | 'client';
  /** `…` and the last four characters of the static (or last used) access key id. */
  accessKeyId: string | undefined;
  forcePathStyle: boolean | undefined;
  dualstack: boolean | undefined;
  expiresIn: number;
  maxExpiresIn: number;
  onCredentialExpiry: 'clamp' | 'throw';
}

/** The last signing key, with the values it was derived from (compared by value, never identity). */
interface LastKey {
  secret: string;
  day: string;
  region: string;
  key: Uint8Array;
}

/**
 * The presigner: options checked once at construction, then every call validated, given a signing
 * context (a snapshot of the credentials, the signing time read after they resolved, the lifetime,
 * the signing key) and signed. The multipart and POST operations get it as their {@link Signer}.
 *
 * Everything it holds is in private fields: printing or serialising it (`JSON.stringify`,
 * `console.log`, `util.inspect` at any depth with hidden properties) shows its
 * {@link PresignerSummary}, never a secret key, a session token or a signing key.
 */
export class PresignerImpl implements Presigner, Signer {
  readonly #options: PresignerOptions;
  readonly #policy: ExpiryPolicy;
  readonly #now: (() => Date) | undefined;
  #resolved: ResolvedConfig | undefined;
  #resolving: Promise<ResolvedConfig> | undefined;
  // The last credentials read, and the last signing key: the hot path compares values with them.
  #snapshot: CredentialSnapshot | undefined;
  #key: LastKey | undefined;
  #times: SigningTimes | undefined;

  constructor(options: PresignerOptions) {
    checkPresignerOptions(options);
    this.#options = options;
    try {
      const maxExpiresIn = options.maxExpiresIn ?? MAX_EXPIRES_IN;
      assertExpiresIn(maxExpiresIn, MAX_EXPIRES_IN, 'maxExpiresIn');
      const defaultExpiresIn = options.expiresIn ?? Math.min(DEFAULT_EXPIRES_IN, maxExpiresIn);
      assertExpiresIn(defaultExpiresIn, maxExpiresIn);
      const onCredentialExpiry = options.onCredentialExpiry ?? 'clamp';
      this.#policy = { defaultExpiresIn, maxExpiresIn, onCredentialExpiry };
      this.#now = options.now;
      if (options.bucket !== undefined) assertBucketName(options.bucket);
      if (options.expectedBucketOwner !== undefined) ownerValue(options.expectedBucketOwner);
      if (options.client === undefined) {
        if (options.credentials === undefined) {
          throw new PresignError(
            'ERR_INVALID_CREDENTIALS',
            'Credentials are required: pass `credentials` or an S3Client as `client`',
          );
        }
        if (typeof options.credentials !== 'function') {
          this.#snapshot = snapshotCredentials(options.credentials, undefined);
        }
        this.#resolved = configFromOptions(options, options.credentials);
      }
    } catch (error) {
      // An endpoint quoted with its userinfo, a parser's error with its `input`: scrubbed on the way out.
      throw scrubError(error, [...this.#secrets(), ...stringsOf(options.credentials)]);
    }
  }

  /** The SDK client the multipart calls go through, when the presigner was given one. */
  get client(): S3ClientLike | undefined {
    return this.#options.client;
  }

  /** The account every bucket must belong to, when the presigner was given one. */
  get expectedBucketOwner(): string | undefined {
    return this.#options.expectedBucketOwner;
  }

  /** {@inheritDoc Signer.scrub} */
  scrub(error: unknown): unknown {
    return scrubError(error, this.#secrets());
  }

  /** What the presigner knows that must never appear in an error: its current secrets. */
  #secrets(): string[] {
    const secrets: string[] = [];
    const snapshot = this.#snapshot;
    if (snapshot !== undefined) {
      secrets.push(snapshot.secretAccessKey);
      if (snapshot.identity.sessionToken !== undefined) secrets.push(snapshot.identity.sessionToken);
      // A real access key id is 20 characters; a short test one ('S3RVER') would redact common words.
      if (snapshot.identity.accessKeyId.length >= 16) secrets.push(snapshot.identity.accessKeyId);
    }
    const key = this.#key;
    if (key !== undefined) secrets.push(hex(key.key), base64(key.key));
    return secrets;
  }

  /** Where the presigner signs, never with what: see {@link PresignerSummary}. */
  toJSON(): PresignerSummary {
    const options = this.#options;
    const accessKeyId = this.#snapshot?.identity.accessKeyId;
    return {
      region: this.#resolved?.region ?? options.region ?? '(from client)',
      endpoint: options.endpoint === undefined ? undefined : scrubText(String(options.endpoint), []),
      bucket: options.bucket,
      credentials:
        options.client !== undefined && options.credentials === undefined
          ? 'client'
          : typeof options.credentials === 'function'
            ? 'provider'
            : 'static',
      accessKeyId: accessKeyId === undefined ? undefined : `…${accessKeyId.slice(-4)}`,
      forcePathStyle: options.forcePathStyle,
      dualstack: options.dualstack,
      expiresIn: this.#policy.defaultExpiresIn,
      maxExpiresIn: this.#policy.maxExpiresIn,
      onCredentialExpiry: this.#policy.onCredentialExpiry,
    };
  }

  /** `util.inspect` and `console.log` (Node, Bun): the summary, never the secrets. */
  [INSPECT](_depth: number, options: object, inspect?: (value: unknown, options: object) => string): string {
    const summary = this.toJSON();
    return `Presigner ${typeof inspect === 'function' ? inspect(summary, options) : JSON.stringify(summary)}`;
  }

  /** `String(presigner)`: `[object Presigner]`. */
  get [Symbol.toStringTag](): string {
    return 'Presigner';
  }

  /** Region, endpoint and credential source, resolved once. */
  config(): ResolvedConfig | Promise<ResolvedConfig> {
    if (this.#resolved !== undefined) return this.#resolved;
    if (this.#resolving === undefined) {
      const client = this.#options.client as S3ClientLike;
      this.#resolving = configFromClient(client, this.#options).then(
        (resolved) => {
          this.#resolved = resolved;
          return resolved;
        },
        (error: unknown) => {
          this.#resolving = undefined;
          if (PresignError.is(error)) throw this.scrub(error);
          const cause = this.scrub(error);
          throw new PresignError(
            'ERR_INVALID_OPTION',
            `The S3Client's region or endpoint could not be read: ${reasonOf(cause)}`,
            { cause },
          );
        },
      );
    }
    return this.#resolving;
  }

  /** Resolves the bucket the call names or the default one, and checks it. */
  bucketOf(bucket: string | undefined): string {
    const name = bucket ?? this.#options.bucket;
    assertBucketName(name);
    return name;
  }

  /**
   * What any signature needs at one instant: credentials read once into a snapshot and checked, the
   * signing time read after they resolved (unless `signingDate` pins it), lifetime settled (expiry
   * policy and credential expiration), the day's signing key. Shared by query signing and POST
   * policies. Synchronous when nothing needs resolving (static credentials): the hot path stays free
   * of awaits.
   */
  signingContext(
    signingDate: Date | undefined,
    requestedExpiresIn: number | undefined,
  ): SigningContext | Promise<SigningContext> {
    // A pinned instant is checked before anything is awaited; the clock is read only after.
    const pinned = signingDate === undefined ? undefined : instantOf(signingDate, 'signingDate');
    const resolved = this.#resolved;
    if (resolved !== undefined && typeof resolved.credentials !== 'function') {
      return this.#contextFor(resolved, resolved.credentials, pinned ?? this.#clock(), requestedExpiresIn);
    }
    return this.#resolveContext(pinned, requestedExpiresIn);
  }

  async #resolveContext(pinned: number | undefined, requestedExpiresIn: number | undefined): Promise<SigningContext> {
    const resolved = this.#resolved ?? (await this.config());
    const credentials =
      typeof resolved.credentials === 'function' ? await this.#provide(resolved.credentials) : resolved.credentials;
    // Read now, after the provider answered: a provider that takes 2 s does not make a URL born 2 s old.
    return this.#contextFor(resolved, credentials, pinned ?? this.#clock(), requestedExpiresIn);
  }

  /** The signing instant from the presigner's clock (no clock given: `Date.now()`, no Date object). */
  #clock(): number {
    return this.#now === undefined ? Date.now() : instantOf(this.#now(), 'now()');
  }

  #contextFor(
    resolved: ResolvedConfig,
    credentials: unknown,
    ms: number,
    requestedExpiresIn: number | undefined,
  ): SigningContext {
    const signedAt = wholeSeconds(ms);
    // One reading of every field: a credentials object mutated meanwhile cannot mix two keys.
    const snapshot = snapshotCredentials(credentials, this.#snapshot);
    this.#snapshot = snapshot;
    assertNotExpired(snapshot, signedAt);
    const expiresIn = effectiveExpiresIn(requestedExpiresIn, this.#policy, signedAt, snapshot.identity);
    const times = signingTimes(this.#times, signedAt, expiresIn);
    this.#times = times;
    const day = times.amzDate.slice(0, 8);
    const region = resolved.region;
    let last = this.#key;
    // By value: the same secret string (usually the very same one) skips even the hashed cache.
    if (last === undefined || last.secret !== snapshot.secretAccessKey || last.day !== day || last.region !== region) {
      last = {
        secret: snapshot.secretAccessKey,
        day,
        region,
        key: signingKey(snapshot.secretAccessKey, day, region, SERVICE),
      };
      this.#key = last;
    }
    return {
      credentials: snapshot.identity,
      region,
      service: SERVICE,
      target: resolved.target,
      signedAt,
      amzDate: times.amzDate,
      expiresIn,
      expiresAt: times.expiresAt,
      signingKey: last.key,
    };
  }

  /** Signs one request: the mechanism every presign call ends in. */
  sign(request: SignRequest): Promise<PresignedRequest> {
    try {
      const bucket = this.bucketOf(request.bucket);
      if (request.key !== undefined) assertObjectKey(request.key);
      withOwner(request.headers, this.#options.expectedBucketOwner);
      const context = this.signingContext(request.signingDate, request.expiresIn);
      return context instanceof Promise
        ? context.then((c) => signWith(request, bucket, c))
        : Promise.resolve(signWith(request, bucket, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #provide(provider: CredentialsProvider): Promise<unknown> {
    try {
      return await provider();
    } catch (error) {
      // The provider's reason is kept, scrubbed of any secret it quoted or carried.
      const cause = this.scrub(error);
      throw new PresignError('ERR_INVALID_CREDENTIALS', `The credential provider failed: ${reasonOf(cause)}`, {
        cause,
      });
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
      readOptions(`presign (${method})`, options, ' with at least a `key`');
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

/** The instant of `date` in ms, checked: a valid Date (signingTimes checks its year has four digits). */
function instantOf(date: unknown, what: string): number {
  return readDate(what, date).getTime();
}

/** The message of a scrubbed cause, for the message of the error that wraps it. */
function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The strings of a credentials object that failed its check: scrubbed from the error all the same. */
function stringsOf(credentials: unknown): string[] {
  if (typeof credentials !== 'object' || credentials === null) return [];
  const out: string[] = [];
  for (const name of ['secretAccessKey', 'sessionToken'] as const) {
    const value = (credentials as Record<string, unknown>)[name];
    if (typeof value === 'string') out.push(value);
  }
  return out;
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
