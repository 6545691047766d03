// Unit test of the internal sigv4/signing-key module (imported directly on purpose): the cache's bound
// and the derived key bytes are not observable through createPresigner, which only returns signatures.
import { describe, expect, it } from 'vitest';
import { signingKey, signingKeyCacheSize } from '../../src/sigv4/signing-key.js';

describe('the signing key cache', () => {
  it('is bounded and keyed by a hash, not the secret', () => {
    for (let i = 0; i < 200; i++) signingKey(`secret-${i}`, '20261129', 'eu-west-1', 's3');
    expect(signingKeyCacheSize()).toBeLessThanOrEqual(64);
  });

  it('derives the documented key (AWS SigV4 example)', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html example values
    const key = signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam');
    expect(Buffer.from(key).toString('hex')).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });
});
