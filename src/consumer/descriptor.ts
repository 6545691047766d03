/**
 * A descriptor as the consumer receives it: from the wire, so nothing in it is trusted. It is read
 * back against its own URL (what the signature says) before anything is sent, strictly and in linear
 * time: every field by one rule below, every header by own property.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
import { Q_ALGORITHM, Q_CREDENTIAL, Q_DATE, Q_EXPIRES, Q_SIGNATURE, Q_SIGNED_HEADERS } from '../contract/query.js';
import { HOST, PRESIGNED_METHODS, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { MAX_EXPIRES_IN } from '../s3/limits.js';
import { unsendableReason } from '../s3/unsendable-headers.js';
import { signerClock } from './clock.js';
import type { ParseDescriptorOptions } from './types.js';

/** An RFC 9110 token in lower case: a header name as SigV4 signs it. */
const NAME = "[!#$%&'*+.^_`|~0-9a-z-]+";
export const HEADER_NAME = new RegExp(`^${NAME}$`);
/** Printable ASCII and tab: a value that travels as signed (no CR, LF or NUL to split a header with). */
export const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** The SigV4 query parameters, each of which must appear exactly once, in the form S3 reads them. */
const PARAMETERS: Record<string, RegExp> = {
  [Q_ALGORITHM]: /^AWS4-HMAC-SHA256$/,
  // AKID/yyyymmdd/region/s3/aws4_request
  [Q_CREDENTIAL]: /^[!-.0-~]+\/\d{8}\/[\w-]+\/s3\/aws4_request$/,
  [Q_DATE]: /^\d{8}T\d{6}Z$/,
  // Whole seconds in decimal: not 0x10, 1e2 or 16.0.
  [Q_EXPIRES]: /^[1-9]\d{0,5}$/,
  [Q_SIGNED_HEADERS]: new RegExp(`^${NAME}(;${NAME})*$`),
  [Q_SIGNATURE]: /^[\da-f]{64}$/,
};

/** `X-Amz-Date` (`20261129T000000Z`), to be rewritten as ISO 8601. */
const AMZ_DATE = /(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/;

/** An instant as the producer writes it, ISO 8601 UTC in whole seconds: `2026-11-29T00:15:00Z`. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Epoch ms of an ISO 8601 UTC instant (`2026-11-29T00:15:00Z`, milliseconds optional) that exists; else NaN. */
export function isoMs(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return ms >= 0 && (isoSeconds(ms) === value || new Date(ms).toISOString() === value) ? ms : Number.NaN;
}

/**
 * Checks the SigV4 parameters `names` (all of them by default; a presigned POST has no
 * `X-Amz-Expires` and no `X-Amz-SignedHeaders`), each given once by `values`, and returns
 * `X-Amz-Date` in epoch ms: an instant that exists, on the day the credential scope names.
 */
export function checkSignature(values: (name: string) => string[], names = Object.keys(PARAMETERS)): number {
  const one: Record<string, string> = {};
  for (const name of names) {
    const [value, ...more] = values(name);
    need(value !== undefined && !more.length && PARAMETERS[name]!.test(value), name);
    one[name] = value;
  }
  const amzDate = one[Q_DATE]!;
  const signedAt = isoMs(amzDate.replace(AMZ_DATE, '$1-$2-$3T$4:$5:$6Z'));
  const [, scopeDay] = one[Q_CREDENTIAL]!.split('/');
  need(signedAt >= 0 && scopeDay === amzDate.slice(0, 8), Q_DATE);
  return signedAt;
}

/** What the signature of a presigned URL says about it. */
export interface UrlFacts {
  url: URL;
  /** `X-Amz-Date`, in ms since the epoch. */
  signedAt: number;
  /** `X-Amz-Date` + `X-Amz-Expires`, in ms since the epoch. */
  expiresAt: number;
  /** `X-Amz-SignedHeaders`, lower-case. */
  signedHeaders: string[];
}

/** A descriptor checked against its own URL (its header names lower-cased), with what the signature says. */
export interface CheckedDescriptor extends UrlFacts {
  request: PresignedRequest;
}

/** Throws `ERR_INVALID_DESCRIPTOR` naming `what` unless `ok`. */
export function need(ok: unknown, what: string): asserts ok {
  if (!ok) throw new PresignError('ERR_INVALID_DESCRIPTOR', `Invalid descriptor: ${what}`);
}

/** Throws `ERR_UNSENDABLE_HEADER` for a header no browser or fetch sends as given. */
export function assertSendable(name: string): void {
  const why = unsendableReason(name);
  if (why) throw new PresignError('ERR_UNSENDABLE_HEADER', `${name}: ${why}`);
}

/**
 * A URL the consumer may send to: a string, absolute `http:` or `https:`, with no user info (it
 * would be sent as credentials) and no fragment (never sent, so not what was signed).
 */
export function readUrl(value: unknown): URL {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {}
  need(
    typeof value === 'string' && url && /^https?:$/.test(url.protocol) && !url.username && !url.password && !url.hash,
    'url',
  );
  return url;
}

/**
 * Reads the signature's own facts from a presigned URL (date, lifetime, signed headers) or throws
 * `ERR_INVALID_DESCRIPTOR` naming the part at fault, never quoting the URL.
 */
export function readPresignedUrl(value: unknown): UrlFacts {
  const url = readUrl(value);
  const query = url.searchParams;
  const signedAt = checkSignature((name) => query.getAll(name));
  const expires = +query.get(Q_EXPIRES)!;
  need(expires <= MAX_EXPIRES_IN, Q_EXPIRES);
  const signedHeaders = query.get(Q_SIGNED_HEADERS)!.split(';');
  need(signedHeaders.includes(HOST), Q_SIGNED_HEADERS);
  return { url, signedAt, expiresAt: signedAt + expires * 1000, signedHeaders };
}

/**
 * Validates a descriptor received over the wire: its shape, method (`method` when given; which methods
 * exist is `parseDescriptor`'s check) and URL, that its headers are exactly the signed ones but host
 * (by own property: a signed `constructor` needs a value of its own), each sendable and with a value
 * that can travel, and that `expiresAt` is `X-Amz-Date` + `X-Amz-Expires`. A signed header without a
 * value is `ERR_INVALID_DESCRIPTOR`, or, when sending (`method` given), `ERR_MISSING_SIGNED_HEADER`.
 * Returns a copy with lower-case header names, in an object without a prototype.
 */
export function readDescriptor(value: unknown, method?: PresignedMethod): CheckedDescriptor {
  const d = Object(value) as PresignedRequest;
  const { headers, expiresAt } = d;
  need(!method || d.method === method, 'method');
  const facts = readPresignedUrl(d.url);
  need(headers && typeof headers === 'object' && !Array.isArray(headers), 'headers');
  const signed = new Set(facts.signedHeaders);
  const lower: Record<string, string> = Object.create(null);
  for (const [name, v] of Object.entries(headers)) {
    const n = name.toLowerCase();
    need(typeof v === 'string' && HEADER_VALUE.test(v) && !(n in lower) && n !== HOST && signed.has(n), `header ${n}`);
    lower[n] = v;
  }
  // Sorted and unique, as SigV4 lists them.
  let previous = '';
  for (const n of facts.signedHeaders) {
    need(previous < n, Q_SIGNED_HEADERS);
    previous = n;
    assertSendable(n);
    if (n !== HOST && !(n in lower)) {
      throw new PresignError(
        method ? 'ERR_MISSING_SIGNED_HEADER' : 'ERR_INVALID_DESCRIPTOR',
        `No value for signed ${n}`,
      );
    }
  }
  need(isoMs(expiresAt) === facts.expiresAt, 'expiresAt');
  return { request: { method: d.method, url: d.url, headers: lower, expiresAt }, ...facts };
}

/**
 * Validates a descriptor that came over the wire and returns it with lower-case header names: the
 * checks `upload` and `download` make themselves, for code that stores or forwards a descriptor and
 * wants it checked on receipt. It is also the moment the descriptor counts as received: the signer's
 * time then (`serverTime`, else its `X-Amz-Date`) is what `upload` and `download` judge the returned
 * object's time left by.
 *
 * @param value What was received, e.g. the parsed JSON of a server's response.
 * @param options `serverTime`: the signer's time at receipt; `now`: the clock time passes on.
 * @returns The descriptor, its header names lower-cased.
 * @throws {@link PresignError} `ERR_INVALID_DESCRIPTOR` naming the field at fault (never quoting the
 *   URL): not an object, an unknown method, a URL that is not a string, not http(s), with user info
 *   or a fragment, SigV4 query parameters missing, repeated or malformed (algorithm other than
 *   AWS4-HMAC-SHA256, a credential that is not `AKID/yyyymmdd/region/s3/aws4_request` of the
 *   `X-Amz-Date`'s day, a date that does not exist, `X-Amz-Expires` other than 1..604800 in decimal,
 *   a signature that is not 64 hex digits, signed headers unsorted or without `host`), a header that is
 *   not signed, has no value or a value that cannot travel, or an `expiresAt` other than
 *   `X-Amz-Date` + `X-Amz-Expires` in ISO 8601.
 * @throws {@link PresignError} `ERR_UNSENDABLE_HEADER` for a signed header no browser or fetch can
 *   send (forbidden or hop-by-hop), `ERR_INVALID_CLOCK` for a `serverTime` or `now` that gives no time.
 * @example
 * ```ts
 * const response = await fetch('/api/presign');
 * const put = parseDescriptor(await response.json(), { serverTime: response.headers.get('date') ?? undefined });
 * ```
 */
export function parseDescriptor(value: unknown, options: ParseDescriptorOptions = {}): PresignedRequest {
  need(PRESIGNED_METHODS.includes((value as PresignedRequest)?.method), 'method');
  const { request, signedAt } = readDescriptor(value);
  signerClock(request, signedAt, options);
  return request;
}
