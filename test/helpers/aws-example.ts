/**
 * The worked example of https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html:
 * its credentials, signing instant and the presigned GET it documents, for the tests that reproduce
 * or verify it.
 */
export const AWS_EXAMPLE = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  signingDate: new Date('2013-05-24T00:00:00Z'),
  /** GET examplebucket/test.txt for 86400 s, as the documentation prints it. */
  descriptor: {
    method: 'GET',
    url:
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    headers: {},
    expiresAt: '2013-05-25T00:00:00Z',
  },
} as const;
