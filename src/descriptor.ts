import { PresignError } from './errors.js';
import { MAX_EXPIRES_IN } from './s3/limits.js';

/**
 * The contract between the producer and the consumer. A descriptor is plain JSON: a server returns it
 * to a browser as it is, and the consumer sends it exactly as signed.
 */
export type PresignedMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';

export interface PresignedRequest {
  /** The HTTP method the signature is for. */
  method: PresignedMethod;
  /** The SigV4 query-signed URL (the only field that carries the signature and credential). */
  url: string;
  /** Every signed header but `host`: lower-case name -> the exact value that was signed. */
  headers: Record<string, string>;
  /** ISO 8601 UTC instant at which the signature stops working. */
  expiresAt: string;
}

export const PRESIGNED_METHODS: readonly PresignedMethod[] = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'];

/** Query parameters of a SigV4 presigned URL (wire names, case-sensitive), without their `X-Amz-`. */
export const Q_CREDENTIAL = 'Credential';
export const Q_SECURITY_TOKEN = 'Security-Token';
/**
 * `X-Amz-Date` (`20261129T000000Z`) rewritten as ISO 8601 for `Date.parse`; anything else (the `|.*`
 * branch) becomes `--T::Z`, which parses as NaN.
 */
const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$|.*/;
export const HOST = 'host';

/**
 * What the signature of a presigned URL says about it: the URL, `X-Amz-Date` and `X-Amz-Date` +
 * `X-Amz-Expires` (ms since the epoch), `X-Amz-SignedHeaders` (lower-case). A tuple: internal, and
 * smaller in a browser bundle than an object with the same names.
 */
export type UrlFacts = [parsedUrl: URL, signedAt: number, expiresAt: number, signedHeaders: string[]];
/** A descriptor checked against its own URL (its header names lower-cased), with what the signature says. */
export type ParsedDescriptor = [request: PresignedRequest, ...UrlFacts];

/** The `X-Amz-${name}` query parameter of a presigned URL. */
export const amzParam = (url: URL, name: string): string | null => url.searchParams.get(`X-Amz-${name}`);

/**
 * Reads the signature's own facts from a presigned URL (date, lifetime, signed headers) or throws
 * `ERR_INVALID_DESCRIPTOR` naming the part at fault, never quoting the URL.
 */
export function readPresignedUrl(url: unknown): UrlFacts {
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(url as string);
  } catch {}
  need(/^https?:$/.test(parsedUrl?.protocol as string), 'url');
  const q = (name: string) => amzParam(parsedUrl!, name);
  const signedAt = Date.parse(String(q('Date')).replace(AMZ_DATE, '$1-$2-$3T$4:$5:$6Z'));
  const expires = Number(q('Expires'));
  const signedHeaders = String(q('SignedHeaders')).split(';');
  need(q('Signature') && q(Q_CREDENTIAL), 'signature');
  need(signedAt >= 0, 'X-Amz-Date');
  need(Number.isInteger(expires) && expires > 0 && expires <= MAX_EXPIRES_IN, 'X-Amz-Expires');
  need(signedHeaders.includes(HOST), 'X-Amz-SignedHeaders');
  return [parsedUrl!, signedAt, signedAt + expires * 1000, signedHeaders];
}

/**
 * Validates a descriptor received over the wire: its shape, method (`method` when given; which methods
 * exist is `parseDescriptor`'s check) and URL, that
 * its headers are exactly the signed ones but host, and that `expiresAt` agrees with `X-Amz-Date` +
 * `X-Amz-Expires`. A signed header without a value is `ERR_INVALID_DESCRIPTOR`, or, when sending
 * (`method` given), `ERR_MISSING_SIGNED_HEADER`. Returns a copy with lower-case header names.
 */
export function readDescriptor(value: unknown, method?: PresignedMethod): ParsedDescriptor {
  const d = Object(value) as PresignedRequest;
  const { headers, expiresAt } = d;
  need(!method || d.method === method, `method ${d.method}`);
  const facts = readPresignedUrl(d.url);
  const [, , urlExpiresAt, signedHeaders] = facts;
  need(typeof headers === 'object' && headers, 'headers');
  const lower: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) {
    const n = name.toLowerCase();
    need(typeof v === 'string' && !(n in lower) && n !== HOST && signedHeaders.includes(n), `header ${n}`);
    lower[n] = v;
  }
  for (const n of signedHeaders) {
    if (n !== HOST && !(n in lower)) {
      throw new PresignError(
        method ? 'ERR_MISSING_SIGNED_HEADER' : 'ERR_INVALID_DESCRIPTOR',
        `No value for signed ${n}`,
      );
    }
  }
  need(Math.abs(Date.parse(expiresAt) - urlExpiresAt) < 1000, 'expiresAt');
  return [{ method: d.method, url: d.url, headers: lower, expiresAt }, ...facts];
}

/**
 * Validates a descriptor that came over the wire (shape, method, URL, a value for every signed header
 * but host, `expiresAt` agreeing with `X-Amz-Date` + `X-Amz-Expires`) and returns it with lower-case
 * header names, or throws `PresignError` `ERR_INVALID_DESCRIPTOR` naming the field at fault.
 * @example const put = parseDescriptor(await (await fetch('/api/presign')).json());
 */
export function parseDescriptor(value: unknown): PresignedRequest {
  need(PRESIGNED_METHODS.includes((value as PresignedRequest)?.method), 'method');
  return readDescriptor(value)[0];
}

function need(ok: unknown, what: string): asserts ok {
  if (!ok) throw new PresignError('ERR_INVALID_DESCRIPTOR', `Invalid descriptor: ${what}`);
}
