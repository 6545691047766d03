import { describe, expect, it } from 'vitest';
import { createPresigner } from '../../src/index.js';
import { AWS_EXAMPLE } from '../helpers/aws-example.js';

describe('the AWS S3 query-auth example', () => {
  it('reproduces the documented signature exactly', async () => {
    const presigner = createPresigner({
      region: AWS_EXAMPLE.region,
      endpoint: 'https://s3.amazonaws.com',
      credentials: AWS_EXAMPLE.credentials,
    });
    const request = await presigner.presignGet({
      bucket: 'examplebucket',
      key: 'test.txt',
      expiresIn: 86400,
      signingDate: AWS_EXAMPLE.signingDate,
    });
    expect(request).toEqual(AWS_EXAMPLE.descriptor);
  });
});
