/** The options of `presignPost`: a public type, re-exported by the producer entry. */
import type { PostCondition } from '../../contract/post.js';
import type { CannedAcl, ChecksumAlgorithm } from '../../s3/headers.js';

/**
 * The options of {@link Presigner.presignPost}: the key (exact, or chosen by the page under a
 * prefix), the content type, the size range, the object's fields, and more conditions and fields.
 * Give `key` or `keyPrefix`.
 */
export interface PresignPostOptions {
  /**
   * The exact key the form writes. With `keyPrefix`, the default key, which the page may change
   * within the prefix. A key ending in `${filename}` lets S3 put the posted file's name there.
   * @example 'avatars/42.png'
   */
  key?: string | undefined;
  /**
   * Let the page choose the key, under this prefix (`["starts-with", "$key", prefix]`). Without `key`,
   * the `key` field is `prefix + '${filename}'`: S3 uses the posted file's name.
   * @example 'uploads/user-42/'
   */
  keyPrefix?: string | undefined;
  /**
   * Bucket.
   * @default the presigner's `bucket`
   */
  bucket?: string | undefined;
  /**
   * The exact `Content-Type` the object must have (a form field and an exact-match condition).
   * @example 'image/png'
   */
  contentType?: string | undefined;
  /**
   * Any `Content-Type` starting with this (`["starts-with", "$Content-Type", prefix]`); the page sends
   * the file's own type. `''` allows any type.
   * @example 'image/'
   */
  contentTypePrefix?: string | undefined;
  /**
   * Smallest file accepted, in bytes (`content-length-range`).
   * @default 0 when `maxSize` is set
   */
  minSize?: number | undefined;
  /**
   * Largest file accepted, in bytes, at most 5 GiB (`content-length-range`). Without `minSize` and
   * `maxSize` the policy has no size condition and S3's 5 GiB limit applies.
   * @example 10 * 1024 * 1024
   */
  maxSize?: number | undefined;
  /**
   * User metadata, stored as `x-amz-meta-NAME` (names lower-cased, values printable ASCII).
   * @example { album: 'holidays' }
   */
  metadata?: Record<string, string> | undefined;
  /**
   * Canned ACL of the object.
   * @example 'bucket-owner-full-control'
   */
  acl?: CannedAcl | undefined;
  /**
   * Status S3 answers a successful upload with: 201 also returns an XML body with the location,
   * bucket, key and ETag.
   * @default 204 (S3's default, no field sent)
   */
  successActionStatus?: 200 | 201 | 204 | undefined;
  /**
   * URL S3 redirects the browser to after a successful form upload (303, with bucket, key and
   * etag in the query). For plain HTML forms; not with `successActionStatus`.
   * @example 'https://app.example.com/uploaded'
   */
  successActionRedirect?: string | undefined;
  /**
   * `Cache-Control` stored with the object.
   * @example 'max-age=31536000, immutable'
   */
  cacheControl?: string | undefined;
  /**
   * `Content-Disposition` stored with the object.
   * @example 'attachment; filename="report.pdf"'
   */
  contentDisposition?: string | undefined;
  /**
   * Object tags: a record, or S3's `<Tagging>` XML (POST takes XML, not the query form PUT takes).
   * @example { project: 'alpha' }
   */
  tagging?: Record<string, string> | string | undefined;
  /**
   * An `x-amz-checksum-*` field: S3 refuses a file with another checksum.
   * @example { algorithm: 'SHA256', value: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' }
   */
  checksum?:
    | {
        /** The algorithm S3 checks the file with. */
        algorithm: ChecksumAlgorithm;
        /** The base64 digest of the file. */
        value: string;
      }
    | undefined;
  /**
   * More conditions, checked: only `eq`, `starts-with`, `content-length-range` and `{ field: value }`,
   * never on the signer's fields. A field they name that is not in `fields` must be sent by the page.
   * @example [['starts-with', '$x-amz-meta-album', '']]
   */
  conditions?: PostCondition[] | undefined;
  /**
   * More form fields, each signed with an exact-match condition unless `conditions` already
   * covers it.
   * @example { 'x-amz-storage-class': 'STANDARD_IA' }
   */
  fields?: Record<string, string> | undefined;
  /**
   * Lifetime of the policy in whole seconds (1..604800, at most `maxExpiresIn`).
   * @default the presigner's expiresIn (900)
   */
  expiresIn?: number | undefined;
  /**
   * The instant of signing (`x-amz-date`).
   * @default now
   */
  signingDate?: Date | undefined;
}
