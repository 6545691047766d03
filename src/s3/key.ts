import { PresignError } from '../errors.js';
import { refuse } from './check.js';
import { MAX_KEY_BYTES } from './limits.js';

// Control characters cannot travel in a URL path reliably (C0 and DEL).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of this pattern
const CONTROL = /[\u0000-\u001f\u007f]/;
const PLAIN = /^[A-Za-z0-9\-._~/]*$/;
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const encoder = new TextEncoder();

/**
 * S3 accepts any UTF-8 key up to 1024 bytes, but some cannot survive a URL: `.` and `..` segments
 * are removed by every WHATWG URL parser (fetch, browsers, Node), even percent-encoded, so the
 * request would reach another key. Those are refused here rather than signed for a key that can
 * never be reached. Keys are never normalised: NFC and NFD spellings are different keys.
 */
export function assertObjectKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '')
    refuse('key', 'a non-empty string (the object key)', key, 'ERR_INVALID_KEY');
  // Most keys are unreserved ASCII and slashes: one pattern rules out control characters and
  // surrogates, the length is the byte length, and only dot segments are left to check.
  if (PLAIN.test(key) && key.length <= MAX_KEY_BYTES && !DOT_SEGMENT.test(key)) return;
  if (key.length * 3 > MAX_KEY_BYTES && encoder.encode(key).length > MAX_KEY_BYTES) {
    throw new PresignError(
      'ERR_INVALID_KEY',
      `The object key is ${encoder.encode(key).length} bytes of UTF-8; S3 allows at most ${MAX_KEY_BYTES}`,
    );
  }
  if (CONTROL.test(key)) {
    throw new PresignError(
      'ERR_INVALID_KEY',
      'The object key contains a control character (U+0000..U+001F or U+007F), which cannot travel in a URL',
    );
  }
  if (LONE_SURROGATE.test(key)) {
    throw new PresignError(
      'ERR_INVALID_KEY',
      'The object key contains a lone UTF-16 surrogate, which has no UTF-8 form',
    );
  }
  if (DOT_SEGMENT.test(key)) {
    throw new PresignError(
      'ERR_INVALID_KEY',
      `The object key ${JSON.stringify(key)} has a "." or ".." segment, which URL parsers remove before the request is sent`,
      {
        hint: 'choose a key without "." or ".." between slashes',
      },
    );
  }
}
