// Types for strict users: under `exactOptionalPropertyTypes`, every optional option of every public
// function takes an explicit `undefined` (`foo?: T | undefined`), so callers can pass
// `{ expiresIn: config.expiresIn }` without spreading conditionally. Type-checked, never run, by
// `npm run typecheck` (test/types/tsconfig.json): a missing `| undefined` fails to compile.
//
// Two checks, both through the public entries:
// - calls that pass `undefined` to each optional option, by name, of each public function;
// - `TakesUndefined<T>`, which fails for any optional property (new ones included) of an option type
//   that refuses `undefined`.

import {
  type DownloadOptions,
  download,
  inspectPresignedUrl,
  type PresignedRequest,
  parseDescriptor,
  type RetryOptions,
  type UploadOptions,
  upload,
} from '../../src/consumer/index.js';
import { type MultipartOptions, uploadMultipart } from '../../src/consumer/multipart/index.js';
import { type PresignedPost, type SubmitPostOptions, submitPost } from '../../src/consumer/post/index.js';
import {
  type AbortMultipartOptions,
  type CompletedPart,
  type CompleteMultipartOptions,
  type Credentials,
  createPresigner,
  type DeleteOptions,
  type GetOptions,
  type HeadOptions,
  isPresignError,
  type ListPartsOptions,
  type MultipartUpload,
  PresignError,
  type PresignErrorOptions,
  type PresignerOptions,
  type PresignMultipartOptions,
  type PresignOptions,
  type PresignPartsOptions,
  type PresignPostOptions,
  type PutOptions,
  redactUrl,
  type S3ClientLike,
  type ServerSideEncryption,
} from '../../src/index.js';

/** The keys of `T` that are optional. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** `T` with `undefined` for every optional property: assignable to `T` only if each one takes it. */
type AllUndefined<T> = { [K in keyof T]-?: K extends OptionalKeys<T> ? undefined : T[K] };

/** Compiles only when every optional property of `T` accepts an explicit `undefined`. */
type TakesUndefined<T> = AllUndefined<T> extends T ? true : false;

const yes = <Check extends true>(): Check => true as Check;

// The check can fail: a property without `| undefined` is caught.
// @ts-expect-error `partSize?: number` refuses undefined under exactOptionalPropertyTypes
yes<TakesUndefined<{ size: number; partSize?: number }>>();

// Every option type of the producer, and the shapes it takes as input.
yes<TakesUndefined<PresignerOptions>>();
yes<TakesUndefined<Credentials>>();
yes<TakesUndefined<S3ClientLike['config']>>();
yes<TakesUndefined<GetOptions>>();
yes<TakesUndefined<Exclude<GetOptions['range'], string | undefined>>>();
yes<TakesUndefined<HeadOptions>>();
yes<TakesUndefined<PutOptions>>();
yes<TakesUndefined<ServerSideEncryption>>();
yes<TakesUndefined<DeleteOptions>>();
yes<TakesUndefined<PresignOptions>>();
yes<TakesUndefined<PresignMultipartOptions>>();
yes<TakesUndefined<PresignPartsOptions>>();
yes<TakesUndefined<CompleteMultipartOptions>>();
yes<TakesUndefined<CompletedPart>>();
yes<TakesUndefined<AbortMultipartOptions>>();
yes<TakesUndefined<ListPartsOptions>>();
yes<TakesUndefined<PresignPostOptions>>();
yes<TakesUndefined<PresignErrorOptions>>();
// ...and of the consumer.
yes<TakesUndefined<UploadOptions>>();
yes<TakesUndefined<DownloadOptions>>();
yes<TakesUndefined<RetryOptions>>();
yes<TakesUndefined<NonNullable<Parameters<typeof inspectPresignedUrl>[1]>>>();
yes<TakesUndefined<MultipartOptions>>();
yes<TakesUndefined<MultipartUpload>>();
yes<TakesUndefined<SubmitPostOptions>>();

declare const credentials: Credentials;
declare const client: S3ClientLike;
declare const file: Blob;
declare const post: PresignedPost;
declare const request: PresignedRequest;
declare const created: MultipartUpload;

/** Every public function and method, each optional option given as `undefined`. */
export async function everyOptionAsUndefined(): Promise<void> {
  const u = undefined;
  const presigner = createPresigner({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: u, expiration: u },
    client: u,
    endpoint: u,
    forcePathStyle: u,
    dualstack: u,
    bucket: u,
    expiresIn: u,
    maxExpiresIn: u,
    onCredentialExpiry: u,
    now: u,
  });
  createPresigner({ client, region: u, credentials: u });
  createPresigner({
    region: 'eu-west-1',
    credentials,
    client: {
      config: {
        region: 'eu-west-1',
        credentials: async () => credentials,
        endpoint: u,
        isCustomEndpoint: u,
        forcePathStyle: u,
        useDualstackEndpoint: u,
      },
      send: client.send,
    },
  });

  const common = { bucket: u, expiresIn: u, signingDate: u };
  await presigner.presignGet({
    key: 'k',
    ...common,
    ifMatch: u,
    ifNoneMatch: u,
    versionId: u,
    partNumber: u,
    range: u,
    responseContentType: u,
    responseContentDisposition: u,
    responseContentEncoding: u,
    responseContentLanguage: u,
    responseCacheControl: u,
    responseExpires: u,
  });
  await presigner.presignGet({ key: 'k', range: { start: 0, end: u } });
  await presigner.presignHead({ key: 'k', ...common, versionId: u, range: u, ifMatch: u, ifNoneMatch: u });
  await presigner.presignDelete({ key: 'k', ...common, versionId: u });
  const objectOptions = {
    contentType: u,
    metadata: u,
    cacheControl: u,
    contentDisposition: u,
    contentEncoding: u,
    contentLanguage: u,
    expires: u,
    acl: u,
    storageClass: u,
    tagging: u,
    serverSideEncryption: u,
  };
  await presigner.presignPut({
    key: 'k',
    ...common,
    ...objectOptions,
    contentLength: u,
    contentMd5: u,
    checksum: u,
    ifNoneMatch: u,
    hoist: u,
  });
  await presigner.presignPut({
    key: 'k',
    serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: u, context: u, bucketKeyEnabled: u },
  });
  await presigner.presign({ method: 'GET', key: u, query: u, headers: u, ...common });
  await presigner.presign({ method: 'GET', query: { prefix: u }, headers: { 'x-amz-acl': u } });

  const multipart = await presigner.presignMultipart({
    key: 'k',
    size: 1,
    ...common,
    ...objectOptions,
    partSize: u,
    initialParts: u,
    checksumAlgorithm: u,
    checksums: u,
    signal: u,
  });
  const target = { key: 'k', bucket: u, uploadId: multipart.uploadId };
  await presigner.presignParts({
    ...target,
    partNumbers: [1],
    size: u,
    partSize: u,
    checksumAlgorithm: u,
    checksums: u,
    expiresIn: u,
    signingDate: u,
  });
  await presigner.completeMultipart({
    ...target,
    parts: [{ partNumber: 1, etag: '"e"', checksum: u, size: u }],
    checksumAlgorithm: u,
    keepOnFailure: u,
    signal: u,
  });
  await presigner.abortMultipart({ ...target, signal: u });
  await presigner.listParts({ ...target, signal: u });
  await presigner.presignPost({
    key: u,
    keyPrefix: 'uploads/',
    bucket: u,
    contentType: u,
    contentTypePrefix: u,
    minSize: u,
    maxSize: u,
    metadata: u,
    acl: u,
    successActionStatus: u,
    successActionRedirect: u,
    cacheControl: u,
    contentDisposition: u,
    tagging: u,
    checksum: u,
    conditions: u,
    fields: u,
    expiresIn: u,
    signingDate: u,
  });

  redactUrl(request.url);
  isPresignError(new Error('x'), u);
  PresignError.is(
    new PresignError('ERR_S3', 'x', { cause: u, hint: u, status: u, s3Code: u, s3Message: u, requestId: u }),
  );

  // The consumer.
  const retry = { limit: u, backoffLimit: u, statusCodes: u, shouldRetry: u };
  const transfer = { onProgress: u, signal: u, retry: u, clockTolerance: u, now: u, fetch: u };
  await upload(request, file, { ...transfer, headers: u, refresh: u });
  await upload(request, file, { retry });
  await download(request, { ...transfer, headers: u, refresh: u, as: u });
  parseDescriptor(request);
  inspectPresignedUrl(request.url, { now: u });
  await uploadMultipart(
    {
      uploadId: created.uploadId,
      size: created.size,
      partSize: created.partSize,
      bucket: u,
      key: u,
      partCount: u,
      checksumAlgorithm: u,
      parts: u,
      complete: u,
      abort: u,
      expiresAt: u,
    },
    file,
    {
      ...transfer,
      concurrency: u,
      signParts: u,
      complete: u,
      abort: u,
      signRequest: u,
      resume: u,
      onState: u,
      keepOnFailure: u,
    },
  );
  await submitPost(post, file, { ...transfer, key: u, contentType: u, filename: u, fields: u, refresh: u });
}
