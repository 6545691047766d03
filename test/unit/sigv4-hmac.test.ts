// Unit test of the internal sigv4/presign module (imported directly on purpose): its hand-built HMAC is
// compared with node:crypto on inputs no public call would choose (any key, any ASCII message).
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/sigv4/presign.js';

describe('the hand-built HMAC-SHA256 of the hot path', () => {
  it('equals node:crypto HMAC for any key up to a block and any ASCII message, reused keys included', () => {
    const keys = fc.uint8Array({ minLength: 0, maxLength: 80 }).map((bytes) => Buffer.from(bytes));
    const messages = fc.string({
      maxLength: 600,
      unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(keys, fc.array(messages, { minLength: 1, maxLength: 4 }), (key, list) => {
        for (const message of list) {
          expect(hmacHex(key, message)).toBe(createHmac('sha256', key).update(message).digest('hex'));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('matches RFC 4231 test case 2', () => {
    expect(hmacHex(Buffer.from('Jefe'), 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
