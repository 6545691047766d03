/**
 * The public face of a presigner: what `createPresigner` returns. Each method's documentation says
 * what it signs or calls, its defaults, the `PresignError` codes it rejects with, and shows a call.
 */
import type { ListedPart, PresignedMultipart, PresignedPart } from '../contract/multipart.js';
import type { PresignedPost } from '../contract/post.js';
import type { PresignedRequest } from '../contract/request.js';
import type {
  AbortMultipartOptions,
  CompletedMultipart,
  CompleteMultipartOptions,
  ListPartsOptions,
  PresignMultipartOptions,
  PresignPartsOptions,
} from './multipart/index.js';
import type { PresignPostOptions } from './post/index.js';
import type { DeleteOptions, GetOptions, HeadOptions, PresignOptions, PutOptions } from './types.js';

/**
 * A configured presigner, from {@link createPresigner}: one per configuration, reused for every
 * request (it caches the signing key and the endpoint of each bucket).
 *
 * Every method returns a promise and never throws synchronously: bad input rejects with a
 * {@link PresignError} before anything is signed or sent, with one of the codes its `@throws` list.
 * What every signature can fail with, besides those:
 *
 * - `ERR_INVALID_CREDENTIALS`: the credential provider failed, or gave credentials that are not
 *   `{ accessKeyId, secretAccessKey }` strings;
 * - `ERR_CREDENTIALS_EXPIRED`: temporary credentials have expired, or expire before the signature
 *   would (with `onCredentialExpiry: 'throw'`, or under one second left);
 * - `ERR_INVALID_REGION`, `ERR_INVALID_ENDPOINT`: the region or endpoint read from `client` is not
 *   usable.
 *
 * Descriptors are plain JSON: return them from a server route as they are, for the consumer
 * (`s3-presign/consumer`) to send exactly as signed.
 */
export interface Presigner {
  /**
   * Presigns a GetObject: a URL to read one object, with the signed headers (range, conditional
   * reads) it must be sent with.
   *
   * @param options The key, and what the read may ask for (version, part, range, response overrides).
   * @returns The descriptor: method `GET`, url, the signed headers and `expiresAt`.
   * @throws {@link PresignError} `ERR_INVALID_KEY` when the key is missing, over 1024 UTF-8 bytes,
   *   or cannot travel in a URL (control characters, `.`/`..` segments).
   * @throws {@link PresignError} `ERR_INVALID_BUCKET` when no bucket is given here or to the presigner,
   *   or its name breaks S3's rules.
   * @throws {@link PresignError} `ERR_INVALID_EXPIRES` when `expiresIn` is not whole seconds from 1 to
   *   604800, or is over `maxExpiresIn`.
   * @throws {@link PresignError} `ERR_INVALID_HEADER` for a malformed `range`, or an `ifMatch` /
   *   `ifNoneMatch` value that is not printable ASCII.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, an empty `versionId` or
   *   response override, a `partNumber` outside 1..10000, or an invalid `signingDate` / `responseExpires`.
   * @example
   * ```ts
   * const get = await presigner.presignGet({
   *   key: 'reports/2026-q1.pdf',
   *   responseContentDisposition: 'attachment; filename="report.pdf"',
   *   expiresIn: 300,
   * });
   * // get.url, or in a browser: await download(get, { as: 'blob' })
   * ```
   */
  presignGet(options: GetOptions): Promise<PresignedRequest>;
  /**
   * Presigns a PutObject. Every header asked for (content-type, content-length, checksum, metadata,
   * ACL, storage class, SSE, tagging...) is signed and listed in the descriptor's `headers`, so S3
   * refuses an upload that sends another value.
   *
   * @param options The key, and the object's headers to sign.
   * @returns The descriptor: method `PUT`, url, the signed headers and `expiresAt`.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`, `ERR_INVALID_EXPIRES`: as for
   *   {@link Presigner.presignGet}.
   * @throws {@link PresignError} `ERR_INVALID_HEADER` for a header value with CR/LF or characters
   *   outside printable ASCII (`contentType`, `cacheControl`, `contentDisposition`...).
   * @throws {@link PresignError} `ERR_INVALID_METADATA` for a metadata name that is not an HTTP token,
   *   a name given twice, a value that is not printable ASCII, or over 2 KB in all.
   * @throws {@link PresignError} `ERR_INVALID_CHECKSUM` for a `contentMd5` or `checksum` that is not
   *   the base64 of a digest of the algorithm's length, or an unknown algorithm.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, a `contentLength` outside
   *   0..5 GiB, an unknown `acl`, `storageClass` or SSE algorithm, KMS fields with `AES256`, an
   *   `ifNoneMatch` other than `'*'`, or an invalid `expires` / `signingDate`.
   * @example
   * ```ts
   * const put = await presigner.presignPut({
   *   key: 'avatars/42.png',
   *   contentType: 'image/png',
   *   contentLength: file.size,
   * });
   * // in the browser: await upload(put, file)
   * ```
   */
  presignPut(options: PutOptions): Promise<PresignedRequest>;
  /**
   * Presigns a HeadObject: the object's metadata without its body. Takes the options of
   * {@link Presigner.presignGet}.
   *
   * @param options The key, and what the request may ask for (version, part, range, conditions).
   * @returns The descriptor: method `HEAD`, url, the signed headers and `expiresAt`.
   * @throws {@link PresignError} The codes of {@link Presigner.presignGet}.
   * @example
   * ```ts
   * const head = await presigner.presignHead({ key: 'avatars/42.png' });
   * const response = await fetch(head.url, { method: 'HEAD', headers: head.headers });
   * ```
   */
  presignHead(options: HeadOptions): Promise<PresignedRequest>;
  /**
   * Presigns a DeleteObject (of one version, with `versionId`).
   *
   * @param options The key, and the version to delete.
   * @returns The descriptor: method `DELETE`, url, the signed headers and `expiresAt`.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`, `ERR_INVALID_EXPIRES`: as for
   *   {@link Presigner.presignGet}.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, an empty `versionId` or
   *   an invalid `signingDate`.
   * @example
   * ```ts
   * const del = await presigner.presignDelete({ key: 'avatars/42.png' });
   * await fetch(del.url, { method: 'DELETE', headers: del.headers });
   * ```
   */
  presignDelete(options: DeleteOptions): Promise<PresignedRequest>;
  /**
   * Presigns any request: method, key, query and headers as given, for the S3 operations not named
   * above (e.g. `GET ?tagging`, `PUT ?acl`, or a bucket-level `GET ?list-type=2` without a key).
   *
   * @param options The method, the key (omit it for bucket-level operations), the query parameters
   *   and the headers to sign.
   * @returns The descriptor: the method, url, the signed headers and `expiresAt`.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`, `ERR_INVALID_EXPIRES`: as for
   *   {@link Presigner.presignGet} (the key is checked when it is given).
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for a method other than `GET`, `PUT`, `HEAD`,
   *   `DELETE` or `POST`, a query parameter that is the signer's (`X-Amz-*`) or not a string or
   *   number, or an invalid `signingDate`.
   * @throws {@link PresignError} `ERR_INVALID_HEADER` for a header name that is not an HTTP token, one
   *   given twice, one the signer or HTTP client sets (`host`, `authorization`, `x-amz-date`...), or a
   *   value that is not printable ASCII.
   * @example
   * ```ts
   * const tags = await presigner.presign({ method: 'GET', key: 'avatars/42.png', query: { tagging: '' } });
   * const list = await presigner.presign({ method: 'GET', query: { 'list-type': 2, prefix: 'avatars/' } });
   * ```
   */
  presign(options: PresignOptions): Promise<PresignedRequest>;
  /**
   * Starts a multipart upload and presigns it: CreateMultipartUpload through the presigner's
   * `client`, with the object's content-type, metadata, ACL, SSE... set there once, then its first
   * parts (every part by default, each with its exact `content-length`), its `complete` and its
   * `abort`, all signed at one instant so they expire together. Every option is checked before the
   * upload is created; if signing fails after that, the upload is aborted (best effort) and the
   * original error is thrown.
   *
   * @param options The key, the object's size (and optionally part size), the object's headers, and
   *   how many parts to sign now.
   * @returns The upload: its id and plan, the signed parts, `complete` and `abort`. What
   *   `uploadMultipart` (`s3-presign/consumer/multipart`) takes.
   * @throws {@link PresignError} `ERR_MISSING_CLIENT` when the presigner has a `client` but
   *   `@aws-sdk/client-s3` is not installed.
   * @throws {@link PresignError} `ERR_S3` when S3 refuses CreateMultipartUpload (its `s3Code`,
   *   `status` and `requestId` are on the error), or answers without an upload id.
   * @throws {@link PresignError} `ERR_ABORTED` when `signal` aborts the call to S3.
   * @throws {@link PresignError} `ERR_TOO_LARGE` for a `size` over 5 TiB.
   * @throws {@link PresignError} `ERR_INVALID_PART_SIZE` for a `partSize` outside 5 MiB..5 GiB, or one
   *   that needs more than 10,000 parts for `size` (the message names the smallest that works).
   * @throws {@link PresignError} `ERR_INVALID_CHECKSUM` for an unknown `checksumAlgorithm`, a part
   *   checksum that is not valid base64 of the digest's length, or `checksums` without an algorithm.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, a `size` that is not a
   *   whole number of bytes, an `initialParts` that is not a whole number >= 0, an unknown `acl` or
   *   `storageClass`, or an invalid `signingDate`.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`, `ERR_INVALID_EXPIRES`,
   *   `ERR_INVALID_HEADER`, `ERR_INVALID_METADATA`: as for {@link Presigner.presignPut}.
   * @example
   * ```ts
   * const presigner = createPresigner({ client: new S3Client({}), bucket: 'uploads' });
   * const upload = await presigner.presignMultipart({
   *   key: 'videos/a.mp4',
   *   size: 734_003_200,
   *   contentType: 'video/mp4',
   *   initialParts: 16,
   * });
   * // in the browser: await uploadMultipart(upload, file, { signParts })
   * ```
   */
  presignMultipart(options: PresignMultipartOptions): Promise<PresignedMultipart>;
  /**
   * Presigns more parts of an existing upload: lazily, as the consumer's `signParts` callback asks
   * for them, or again after their signatures expired. Pure signing, no call to S3: the parts of a
   * batch are signed at one instant (10,000 of them in the time of a few dozen single signatures)
   * and expire together. With `size` and `partSize` each part is signed with its exact
   * `content-length`; with `checksumAlgorithm`, with its `x-amz-checksum-*` header.
   *
   * @param options The upload (key, upload id), the part numbers, and the plan and checksums to sign
   *   them with.
   * @returns The signed parts, in the order of `partNumbers`.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, an empty `uploadId`,
   *   `partNumbers` that is not an array, a part number outside 1..10,000 (or the plan's part count)
   *   or listed twice, `size` without `partSize` or the reverse, a `size` that is not a whole number
   *   of bytes, or an invalid `signingDate`.
   * @throws {@link PresignError} `ERR_INVALID_CHECKSUM` for an unknown `checksumAlgorithm`, a part
   *   without its checksum when the upload has one, a checksum that is not valid base64 of the
   *   digest's length, or `checksums` without an algorithm.
   * @throws {@link PresignError} `ERR_INVALID_PART_SIZE`, `ERR_TOO_LARGE`: as for
   *   {@link Presigner.presignMultipart}.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`, `ERR_INVALID_EXPIRES`: as for
   *   {@link Presigner.presignGet}.
   * @example
   * ```ts
   * // the route behind the consumer's signParts callback
   * const parts = await presigner.presignParts({
   *   key: 'videos/a.mp4',
   *   uploadId,
   *   partNumbers: [17, 18, 19, 20],
   *   size: upload.size,
   *   partSize: upload.partSize,
   * });
   * return Response.json(parts);
   * ```
   */
  presignParts(options: PresignPartsOptions): Promise<PresignedPart[]>;
  /**
   * Completes an upload on the server: CompleteMultipartUpload through the presigner's `client`, with
   * the parts sorted by part number as S3 requires. When S3 refuses the completion, the upload is
   * aborted unless `keepOnFailure`, and the completion's error is thrown. When no answer came (the
   * SDK's retries spent) or S3 no longer knows the upload (an earlier attempt may have completed it),
   * the object is looked at first (HeadObject): one whose ETag is a multipart one of as many parts is
   * returned as the result, and the upload is never aborted then. The error's `leftOpen` says whether
   * the upload is still open on S3.
   *
   * @param options The upload (key, upload id) and its parts with their ETags (and checksums).
   * @returns The stored object: bucket, key, ETag, and location and version when S3 gives them.
   * @throws {@link PresignError} `ERR_MISSING_CLIENT` when the presigner has a `client` but
   *   `@aws-sdk/client-s3` is not installed.
   * @throws {@link PresignError} `ERR_S3` when S3 refuses the completion (e.g. `s3Code` `InvalidPart`,
   *   `EntityTooSmall`, `NoSuchUpload`).
   * @throws {@link PresignError} `ERR_ABORTED` when `signal` aborts the call to S3.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, an empty `uploadId`, no
   *   parts, a part number outside 1..10,000 or listed twice, or a part without an ETag.
   * @throws {@link PresignError} `ERR_INVALID_CHECKSUM` for an unknown `checksumAlgorithm`, or a part
   *   without a valid checksum when the upload has one.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`: as for
   *   {@link Presigner.presignGet}.
   * @example
   * ```ts
   * // the route behind the consumer's complete callback
   * const { etag, location } = await presigner.completeMultipart({ key: 'videos/a.mp4', uploadId, parts });
   * ```
   */
  completeMultipart(options: CompleteMultipartOptions): Promise<CompletedMultipart>;
  /**
   * Aborts an upload on the server: AbortMultipartUpload through the presigner's `client`. S3 frees
   * its parts, which stop costing storage.
   *
   * @param options The upload: key and upload id.
   * @throws {@link PresignError} `ERR_MISSING_CLIENT` when the presigner has a `client` but
   *   `@aws-sdk/client-s3` is not installed.
   * @throws {@link PresignError} `ERR_S3` when S3 refuses the abort (e.g. `s3Code` `NoSuchUpload`).
   * @throws {@link PresignError} `ERR_ABORTED` when `signal` aborts the call to S3.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object or an empty `uploadId`.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`: as for
   *   {@link Presigner.presignGet}.
   * @example
   * ```ts
   * await presigner.abortMultipart({ key: 'videos/a.mp4', uploadId });
   * ```
   */
  abortMultipart(options: AbortMultipartOptions): Promise<void>;
  /**
   * Lists the parts S3 holds for an upload: ListParts through the presigner's `client`, following
   * every page (1,000 parts a page), sorted by part number. What a resumed upload can skip.
   *
   * @param options The upload: key and upload id.
   * @returns The parts, with their ETag, size, and checksum when the upload has one.
   * @throws {@link PresignError} `ERR_MISSING_CLIENT` when the presigner has a `client` but
   *   `@aws-sdk/client-s3` is not installed.
   * @throws {@link PresignError} `ERR_S3` when S3 refuses the listing (e.g. `s3Code` `NoSuchUpload`).
   * @throws {@link PresignError} `ERR_ABORTED` when `signal` aborts the call to S3.
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object or an empty `uploadId`.
   * @throws {@link PresignError} `ERR_INVALID_KEY`, `ERR_INVALID_BUCKET`: as for
   *   {@link Presigner.presignGet}.
   * @example
   * ```ts
   * const done = await presigner.listParts({ key: 'videos/a.mp4', uploadId });
   * // in the browser: await uploadMultipart(upload, file, { resume: done })
   * ```
   */
  listParts(options: ListPartsOptions): Promise<ListedPart[]>;
  /**
   * Presigns an S3 POST (a browser form upload) with a SigV4 policy. Unlike a presigned PUT, it can
   * cap the file's size, let the page choose the key under a prefix and the type under a prefix; S3
   * enforces every condition. Every field the signer sends is checked against every condition first,
   * so S3 never refuses its own policy.
   *
   * @param options The key (or key prefix), the content type (or prefix), the size range, the
   *   object's fields, and more conditions and fields.
   * @returns The form: its url, the fields to send before the file, `expiresAt` and the conditions.
   *   What `submitPost` (`s3-presign/consumer/post`) takes.
   * @throws {@link PresignError} `ERR_INVALID_KEY` for neither `key` nor `keyPrefix`, an empty
   *   `keyPrefix`, a key outside `keyPrefix` or one breaking a `$key` condition, or a key S3 or a URL
   *   cannot take.
   * @throws {@link PresignError} `ERR_INVALID_POLICY` for a size that is not a whole number of bytes,
   *   `minSize` over `maxSize`, a size range given twice, a `contentType` outside
   *   `contentTypePrefix`, a malformed condition or one on a signer's field, or a field breaking a
   *   condition.
   * @throws {@link PresignError} `ERR_TOO_LARGE` for a size limit over 5 GiB (S3's limit for one POST).
   * @throws {@link PresignError} `ERR_INVALID_OPTION` for no options object, a non-string
   *   `contentTypePrefix`, malformed `tagging`, a `successActionRedirect` that is not an absolute
   *   http(s) URL or given with `successActionStatus`, an unknown `acl` or status, a field the signer
   *   or an option sets, or an invalid `signingDate`.
   * @throws {@link PresignError} `ERR_INVALID_HEADER`, `ERR_INVALID_METADATA`, `ERR_INVALID_CHECKSUM`,
   *   `ERR_INVALID_BUCKET`, `ERR_INVALID_EXPIRES`: as for {@link Presigner.presignPut}.
   * @example
   * ```ts
   * const post = await presigner.presignPost({
   *   keyPrefix: 'uploads/user-42/',
   *   contentTypePrefix: 'image/',
   *   maxSize: 10 * 1024 * 1024,
   * });
   * // in the browser: await submitPost(post, file)
   * ```
   */
  presignPost(options: PresignPostOptions): Promise<PresignedPost>;
}
