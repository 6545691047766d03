/**
 * The SigV4 query parameters of a presigned URL, by their wire names (case-sensitive): what the
 * signer writes and the consumer reads back.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export const Q_ALGORITHM = 'X-Amz-Algorithm';
export const Q_CREDENTIAL = 'X-Amz-Credential';
export const Q_DATE = 'X-Amz-Date';
export const Q_EXPIRES = 'X-Amz-Expires';
export const Q_SECURITY_TOKEN = 'X-Amz-Security-Token';
export const Q_SIGNED_HEADERS = 'X-Amz-SignedHeaders';
export const Q_SIGNATURE = 'X-Amz-Signature';
