/**
 * RFC 3986 encoding as SigV4 requires it: every byte but the unreserved set `A-Z a-z 0-9 - . _ ~`
 * percent-encoded (upper-case hex) from its UTF-8 form.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * The same bytes as `encodeURIComponent` followed by the fix-ups it needs (`!'()*`, which it leaves
 * alone, and `%2F` back to `/` in a path), lone surrogates throwing the same `URIError`, in one pass
 * without them: ASCII text by copying the runs of unreserved characters between escapes, and text
 * with any non-ASCII character as bytes into a reused buffer, read back as one flat string (joining
 * a few characters at a time would leave the hash a string of many pieces to flatten).
 */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;

const PERCENT = Array.from({ length: 128 }, (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
const HEX_DIGIT = Array.from('0123456789ABCDEF', (digit) => digit.charCodeAt(0));

/** 1 for each ASCII code kept as it is: the unreserved set, and `/` too in the path table. */
function keptAscii(slash: boolean): Uint8Array {
  const kept = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const ch = String.fromCharCode(code);
    kept[code] = /[A-Za-z0-9\-._~]/.test(ch) || (slash && ch === '/') ? 1 : 0;
  }
  return kept;
}
const KEPT = keptAscii(false);
const KEPT_PATH = keptAscii(true);

function percentEncode(value: string, kept: Uint8Array): string {
  let out = '';
  // Start of the run of kept characters not yet copied to `out`.
  let run = 0;
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) return percentEncodeUtf8(value, kept);
    if (kept[code] === 1) continue;
    out += value.slice(run, i) + PERCENT[code];
    run = i + 1;
  }
  return run === 0 ? value : out + value.slice(run);
}

// A UTF-16 code unit is at most 3 bytes of UTF-8, 9 characters encoded (a pair is 4 bytes for 2).
const PER_UNIT = 9;
// Enough for a key of 1024 characters; longer text gets a buffer of its own, not kept.
const scratch = new Uint8Array(1024 * PER_UNIT);
const ascii = new TextDecoder();

/** Writes `%XX` for `byte` at `at` in `out`; returns the next position. */
function putEscaped(out: Uint8Array, at: number, byte: number): number {
  out[at] = 0x25; // %
  out[at + 1] = HEX_DIGIT[byte >> 4] as number;
  out[at + 2] = HEX_DIGIT[byte & 0xf] as number;
  return at + 3;
}

function percentEncodeUtf8(value: string, kept: Uint8Array): string {
  const length = value.length;
  const out = length * PER_UNIT > scratch.length ? new Uint8Array(length * PER_UNIT) : scratch;
  let at = 0;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) {
      if (kept[code] === 1) out[at++] = code;
      else at = putEscaped(out, at, code);
    } else if (code < 0x800) {
      at = putEscaped(out, at, 0xc0 | (code >> 6));
      at = putEscaped(out, at, 0x80 | (code & 0x3f));
    } else if (code < 0xd800 || code > 0xdfff) {
      at = putEscaped(out, at, 0xe0 | (code >> 12));
      at = putEscaped(out, at, 0x80 | ((code >> 6) & 0x3f));
      at = putEscaped(out, at, 0x80 | (code & 0x3f));
    } else {
      // A surrogate pair is one code point of four UTF-8 bytes; a lone surrogate has no UTF-8 form.
      const low = value.charCodeAt(i + 1);
      if (code > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw new URIError('URI malformed');
      const point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      at = putEscaped(out, at, 0xf0 | (point >> 18));
      at = putEscaped(out, at, 0x80 | ((point >> 12) & 0x3f));
      at = putEscaped(out, at, 0x80 | ((point >> 6) & 0x3f));
      at = putEscaped(out, at, 0x80 | (point & 0x3f));
      i++;
    }
  }
  return ascii.decode(out.subarray(0, at));
}

/** Encodes one query name or value, or one path segment. Lone surrogates throw `URIError`. */
export function uriEncode(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return percentEncode(value, KEPT);
}

/** Encodes an object key for the URL path: each segment encoded, `/` kept, never double-encoded. */
export function encodeKeyPath(key: string): string {
  if (UNRESERVED_PATH.test(key)) return key;
  return percentEncode(key, KEPT_PATH);
}
