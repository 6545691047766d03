/**
 * The object options of CreateMultipartUpload: each header as S3 takes it, and the field the SDK
 * names it by. One table for both paths: the SDK input is built from the headers with it, and the
 * signed-fetch path (../s3-fetch.ts) turns an SDK input back into the headers with it.
 */
export const CREATE_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['content-type', 'ContentType'],
  ['cache-control', 'CacheControl'],
  ['content-disposition', 'ContentDisposition'],
  ['content-encoding', 'ContentEncoding'],
  ['content-language', 'ContentLanguage'],
  ['x-amz-acl', 'ACL'],
  ['x-amz-storage-class', 'StorageClass'],
  ['x-amz-tagging', 'Tagging'],
  ['x-amz-server-side-encryption', 'ServerSideEncryption'],
  ['x-amz-server-side-encryption-aws-kms-key-id', 'SSEKMSKeyId'],
  ['x-amz-server-side-encryption-context', 'SSEKMSEncryptionContext'],
];
