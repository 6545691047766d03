/**
 * The independent verifier the property tests rely on (test/helpers/sigv4-verifier.ts) accepts the
 * AWS documented example and refuses every kind of tampering: if it accepted anything, the
 * property tests would prove nothing.
 */
import { describe, expect, it } from 'vitest';
import { AWS_EXAMPLE } from '../helpers/aws-example.js';
import { type DescriptorLike, parseAmzDate, specEncode, verifyDescriptor } from '../helpers/sigv4-verifier.js';

const key = { ...AWS_EXAMPLE.credentials, region: AWS_EXAMPLE.region };
const example: DescriptorLike = AWS_EXAMPLE.descriptor;

describe('the independent SigV4 verifier', () => {
  it('accepts the AWS documented example', () => {
    expect(verifyDescriptor(example, key)).toBeUndefined();
  });

  it.each([
    ['another signature', (d: DescriptorLike) => ({ ...d, url: d.url.replace('aeeed9bb', 'aeeed9bc') })],
    ['another path', (d: DescriptorLike) => ({ ...d, url: d.url.replace('test.txt', 'test.txu') })],
    ['another method', (d: DescriptorLike) => ({ ...d, method: 'PUT' })],
    ['an extra signed header', (d: DescriptorLike) => ({ ...d, headers: { 'content-type': 'text/plain' } })],
    ['another expiresAt', (d: DescriptorLike) => ({ ...d, expiresAt: '2013-05-25T00:00:01Z' })],
    ['an extra parameter', (d: DescriptorLike) => ({ ...d, url: `${d.url}&a=b` })],
    ['a parameter given twice', (d: DescriptorLike) => ({ ...d, url: `${d.url}&X-Amz-Expires=86400` })],
    ['a 30 February date', (d: DescriptorLike) => ({ ...d, url: d.url.replace('20130524T', '20130230T') })],
    ['a raw + in the query', (d: DescriptorLike) => ({ ...d, url: `${d.url}&a=b+c` })],
  ])('refuses %s', (_, tamper) => {
    expect(verifyDescriptor(tamper(example), key)).toBeTypeOf('string');
  });

  it('refuses another secret, region or session token', () => {
    expect(verifyDescriptor(example, { ...key, secretAccessKey: 'other' })).toMatch(/mismatch/);
    expect(verifyDescriptor(example, { ...key, region: 'eu-west-1' })).toMatch(/Credential/);
    expect(verifyDescriptor(example, { ...key, sessionToken: 't' })).toMatch(/Security-Token/);
  });

  it('encodes as the specification says and reads only real instants', () => {
    expect(specEncode("a b+c/é~*!'()", false)).toBe('a%20b%2Bc%2F%C3%A9~%2A%21%27%28%29');
    expect(specEncode('a b/c', true)).toBe('a%20b/c');
    expect(parseAmzDate('20130524T000000Z')).toBe(Date.UTC(2013, 4, 24));
    expect(parseAmzDate('20131324T000000Z')).toBeUndefined();
    expect(parseAmzDate('+0201305T000000Z')).toBeUndefined();
  });
});
