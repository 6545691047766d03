/** Wire names of SigV4 signing: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html */
export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const TERMINATOR = 'aws4_request';
