// Unit test of the internal sigv4/encode module (imported directly on purpose): its per-character
// encoder is compared, on the exact boundaries of each branch, with the encodeURIComponent-based
// definition it replaced, which is the RFC 3986 encoding of the UTF-8 bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKeyPath, uriEncode } from '../../src/sigv4/encode.js';

const fixUp = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
const referenceValue = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, fixUp);
const referencePath = (key: string) => referenceValue(key).replace(/%2F/g, '/');

/** Each one code point (or a lone surrogate), at or on either side of a boundary of the encoder. */
const BOUNDARIES = [
  0x00, 0x1f, 0x20, 0x21, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x39, 0x3a, 0x40, 0x41, 0x5a,
  0x5b, 0x5f, 0x60, 0x61, 0x7a, 0x7b, 0x7e, 0x7f, 0x80, 0xff, 0x100, 0x7ff, 0x800, 0xfff, 0x1000, 0xd7ff, 0xe000,
  0xfeff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1f5fc, 0xfffff, 0x100000, 0x10ffff,
].map((point) => String.fromCodePoint(point));

const cases = (sample: string) => [
  sample,
  `a${sample}`,
  `${sample}z`,
  `x/${sample}/${sample}${sample}/y`,
  `${sample}/`,
];

describe('SigV4 percent-encoding', () => {
  it('gives the bytes of the encodeURIComponent-based definition for every UTF-16 code unit but surrogates', () => {
    const wrong: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      if (unit >= 0xd800 && unit <= 0xdfff) continue;
      const ch = String.fromCharCode(unit);
      const key = `k${ch}/${ch}`;
      if (uriEncode(ch) !== referenceValue(ch) || encodeKeyPath(key) !== referencePath(key)) wrong.push(ch);
    }
    expect(wrong).toEqual([]);
  });

  it("gives the same bytes at each boundary: 1/2/3/4-byte UTF-8, the unreserved set, `/`, `!'()*`, `+`, space", () => {
    for (const sample of BOUNDARIES) {
      for (const value of cases(sample)) {
        expect(uriEncode(value)).toBe(referenceValue(value));
        expect(encodeKeyPath(value)).toBe(referencePath(value));
      }
    }
    expect(encodeKeyPath("reports/Q3 2026/a+b = c (final)!'*.pdf")).toBe(
      '/reports/Q3%202026/a%2Bb%20%3D%20c%20%28final%29%21%27%2A.pdf'.slice(1),
    );
    expect(uriEncode('a/b')).toBe('a%2Fb');
    // Past the reused buffer (1,024 code units): 3-byte and 4-byte characters, then ASCII to escape.
    const long = `${'東'.repeat(1100)}${'🗼'.repeat(600)}${' +/é'.repeat(300)}`;
    expect(uriEncode(long)).toBe(referenceValue(long));
    expect(encodeKeyPath(long)).toBe(referencePath(long));
    expect(encodeKeyPath('é')).toBe('%C3%A9');
    expect(encodeKeyPath('photos/été/🗼')).toBe('photos/%C3%A9t%C3%A9/%F0%9F%97%BC');
  });

  it('throws URIError for a lone surrogate wherever it is, like encodeURIComponent', () => {
    for (const lone of [
      '\ud800',
      '\udbff',
      '\udc00',
      '\udfff',
      '\udc00\ud800',
      '\ud83d\ud83d',
      'a\ud83d',
      '\ude00b',
      '\udc00\udc00',
      '\udfff\udfff',
    ]) {
      for (const value of cases(lone)) {
        expect(() => encodeURIComponent(value)).toThrow(URIError);
        expect(() => uriEncode(value)).toThrow(URIError);
        expect(() => encodeKeyPath(value)).toThrow(URIError);
      }
    }
  });

  it('equals the definition for any string of mixed code points', () => {
    const units = fc.oneof(
      fc.constantFrom(...BOUNDARIES),
      fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
      fc
        .integer({ min: 0, max: 0x10ffff })
        .filter((p) => p < 0xd800 || p > 0xdfff)
        .map((p) => String.fromCodePoint(p)),
    );
    fc.assert(
      fc.property(fc.array(units, { maxLength: 40 }), (list) => {
        const value = list.join('');
        expect(uriEncode(value)).toBe(referenceValue(value));
        expect(encodeKeyPath(value)).toBe(referencePath(value));
      }),
      { numRuns: 2000 },
    );
  });
});
