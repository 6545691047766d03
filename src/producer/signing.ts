/**
 * The signing step every producer operation ends in: what a signature needs at one instant (the
 * signing context), and the one function that turns a request into a signed descriptor within it.
 * The presigner implements {@link Signer}; the operations (multipart, POST) take a `Signer`, so
 * they never import the presigner that calls them.
 */
import type { PresignedMethod, PresignedRequest } from '../contract/request.js';
import type { BucketTarget } from '../s3/endpoint.js';
import { signQuery } from '../sigv4/presign.js';
import type { CredentialSnapshot } from './credentials.js';
import type { RequestParts } from './requests.js';
import type { S3ClientLike } from './types.js';

/** One request to sign, after the operation's options became query and headers. */
export interface SignRequest extends RequestParts {
  method: PresignedMethod;
  bucket: string | undefined;
  key: string | undefined;
  expiresIn: number | undefined;
  signingDate: Date | undefined;
}

/** Everything a signature needs at one instant (see {@link Signer.signingContext}). */
export interface SigningContext {
  /** The snapshot's key id, session token and expiration: what travels (the secret never does). */
  credentials: CredentialSnapshot['identity'];
  region: string;
  service: string;
  target: (bucket: string) => BucketTarget;
  /** Signing instant, whole seconds, in ms since the epoch. */
  signedAt: number;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** Seconds the signature lives (after the expiry policy and credential expiration). */
  expiresIn: number;
  /** ISO 8601 UTC instant the signature stops working. */
  expiresAt: string;
  signingKey: Uint8Array;
}

/** What an operation needs of the presigner: its client, its bucket rule, its signing step. */
export interface Signer {
  /** The SDK client of the presigner's options, when there is one (the multipart control calls). */
  readonly client: S3ClientLike | undefined;
  /** The presigner's `expectedBucketOwner`: signed on every request that does not set its own. */
  readonly expectedBucketOwner: string | undefined;
  /**
   * A foreign error (an SDK client's, say) made safe to pass on as a `cause`: see `scrubError`; the
   * presigner's own secrets are removed too.
   */
  scrub(error: unknown): unknown;
  /** The bucket the call names, or the presigner's, checked. */
  bucketOf(bucket: string | undefined): string;
  /**
   * What any signature needs at one instant: a snapshot of the credentials, the signing time (read
   * after they resolved, unless `signingDate` pins it), lifetime settled, the day's signing key.
   * Synchronous when nothing needs resolving (static credentials).
   */
  signingContext(
    signingDate: Date | undefined,
    expiresIn: number | undefined,
  ): SigningContext | Promise<SigningContext>;
  /** Signs one request: bucket and key checked, signing context resolved, then {@link signAt}. */
  sign(request: SignRequest): Promise<PresignedRequest>;
}

/**
 * Signs one request within a signing context: what `sign` ends in, and what batch signers (parts of
 * a multipart upload) call in their loop after resolving the context and target once.
 */
export function signAt(
  context: SigningContext,
  target: BucketTarget,
  method: PresignedMethod,
  encodedPath: string,
  query: ReadonlyArray<readonly [string, string]>,
  headers: Record<string, string>,
): PresignedRequest {
  const url = signQuery({
    method,
    origin: target.origin,
    host: target.host,
    encodedPath,
    query,
    headers,
    accessKeyId: context.credentials.accessKeyId,
    sessionToken: context.credentials.sessionToken,
    amzDate: context.amzDate,
    region: context.region,
    service: context.service,
    expiresIn: context.expiresIn,
    signingKey: context.signingKey,
  });
  return { method, url, headers, expiresAt: context.expiresAt };
}
