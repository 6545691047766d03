/**
 * A descriptor as the consumer receives it: from the wire, so nothing in it is trusted. It is read
 * back against its own URL (what the signature says) before anything is sent.
 */
import { Q_CREDENTIAL, Q_DATE, Q_EXPIRES, Q_SIGNATURE, Q_SIGNED_HEADERS } from '../contract/query.js';
import { HOST, PRESIGNED_METHODS, type PresignedMethod, type PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { MAX_EXPIRES_IN } from '../s3/limits.js';

/**
 * `X-Amz-Date` (`20261129T000000Z`) rewritten as ISO 8601 for `Date.parse`; anything else (the `|.*`
 * branch) becomes `--T::Z`, which parses as NaN.
 */
const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$|.*/;

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

/**
 * Reads the signature's own facts from a presigned URL (date, lifetime, signed headers) or throws
 * `ERR_INVALID_DESCRIPTOR` naming the part at fault, never quoting the URL.
 */
export function readPresignedUrl(value: unknown): UrlFacts {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {}
  need(url && /^https?:$/.test(url.protocol), 'url');
  const q = (name: string) => url.searchParams.get(name);
  const signedAt = Date.parse(String(q(Q_DATE)).replace(AMZ_DATE, '$1-$2-$3T$4:$5:$6Z'));
  const expires = Number(q(Q_EXPIRES));
  const signedHeaders = String(q(Q_SIGNED_HEADERS)).split(';');
  need(q(Q_SIGNATURE) && q(Q_CREDENTIAL), 'signature');
  need(signedAt >= 0, 'X-Amz-Date');
  need(Number.isInteger(expires) && expires > 0 && expires <= MAX_EXPIRES_IN, 'X-Amz-Expires');
  need(signedHeaders.includes(HOST), 'X-Amz-SignedHeaders');
  return { url, signedAt, expiresAt: signedAt + expires * 1000, signedHeaders };
}

/**
 * Validates a descriptor received over the wire: its shape, method (`method` when given; which methods
 * exist is `parseDescriptor`'s check) and URL, that its headers are exactly the signed ones but host,
 * and that `expiresAt` agrees with `X-Amz-Date` + `X-Amz-Expires`. A signed header without a value is
 * `ERR_INVALID_DESCRIPTOR`, or, when sending (`method` given), `ERR_MISSING_SIGNED_HEADER`. Returns a
 * copy with lower-case header names.
 */
export function readDescriptor(value: unknown, method?: PresignedMethod): CheckedDescriptor {
  const d = Object(value) as PresignedRequest;
  const { headers, expiresAt } = d;
  need(!method || d.method === method, `method ${d.method}`);
  const facts = readPresignedUrl(d.url);
  need(typeof headers === 'object' && headers, 'headers');
  const lower: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) {
    const n = name.toLowerCase();
    need(typeof v === 'string' && !(n in lower) && n !== HOST && facts.signedHeaders.includes(n), `header ${n}`);
    lower[n] = v;
  }
  for (const n of facts.signedHeaders) {
    if (n !== HOST && !(n in lower)) {
      throw new PresignError(
        method ? 'ERR_MISSING_SIGNED_HEADER' : 'ERR_INVALID_DESCRIPTOR',
        `No value for signed ${n}`,
      );
    }
  }
  need(Math.abs(Date.parse(expiresAt) - facts.expiresAt) < 1000, 'expiresAt');
  return { request: { method: d.method, url: d.url, headers: lower, expiresAt }, ...facts };
}

/**
 * Validates a descriptor that came over the wire (shape, method, URL, a value for every signed header
 * but host, `expiresAt` agreeing with `X-Amz-Date` + `X-Amz-Expires`) and returns it with lower-case
 * header names. `upload` and `download` make the same checks themselves; this is for code that
 * stores or forwards a descriptor and wants it checked on receipt.
 *
 * @param value What was received, e.g. the parsed JSON of a server's response.
 * @returns The descriptor, its header names lower-cased.
 * @throws {@link PresignError} `ERR_INVALID_DESCRIPTOR` naming the field at fault (never quoting the
 *   URL): not an object, an unknown method, a URL that is not http(s) SigV4 query-signed, a header
 *   that is not signed or has no string value, or an `expiresAt` that disagrees with the URL.
 * @example
 * ```ts
 * const put = parseDescriptor(await (await fetch('/api/presign')).json());
 * ```
 */
export function parseDescriptor(value: unknown): PresignedRequest {
  need(PRESIGNED_METHODS.includes((value as PresignedRequest)?.method), 'method');
  return readDescriptor(value).request;
}

function need(ok: unknown, what: string): asserts ok {
  if (!ok) throw new PresignError('ERR_INVALID_DESCRIPTOR', `Invalid descriptor: ${what}`);
}
