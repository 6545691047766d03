import { PresignError } from './errors.js';

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

/** Query parameters of a SigV4 presigned URL the consumer reads (wire names, case-sensitive). */
export const Q_DATE = 'X-Amz-Date';
export const Q_EXPIRES = 'X-Amz-Expires';
export const Q_SIGNED_HEADERS = 'X-Amz-SignedHeaders';
export const Q_CREDENTIAL = 'X-Amz-Credential';
export const Q_SIGNATURE = 'X-Amz-Signature';
export const Q_SECURITY_TOKEN = 'X-Amz-Security-Token';
/** SigV4 query signatures live at most seven days. */
const MAX_EXPIRES = 604_800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HOST = 'host';

/** A descriptor checked against its own URL, with what the signature says about it. */
export interface ParsedDescriptor {
  request: PresignedRequest;
  parsedUrl: URL;
  /** `X-Amz-Date`, ms since the epoch. */
  signedAt: number;
  /** `X-Amz-Date` + `X-Amz-Expires`, ms since the epoch. */
  expiresAt: number;
  /** `X-Amz-SignedHeaders`, lower-case. */
  signedHeaders: string[];
}

/**
 * Reads the signature's own facts from a presigned URL (date, lifetime, signed headers) or throws
 * `ERR_INVALID_DESCRIPTOR` naming the part at fault, never quoting the URL.
 */
export function readPresignedUrl(url: unknown): Omit<ParsedDescriptor, 'request'> {
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(url as string);
  } catch {}
  need(parsedUrl && /^https?:$/.test(parsedUrl.protocol), 'url');
  const q = parsedUrl.searchParams;
  const m = AMZ_DATE.exec(q.get(Q_DATE) ?? '');
  const signedAt = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
  const expires = Number(q.get(Q_EXPIRES));
  const signedHeaders = (q.get(Q_SIGNED_HEADERS) ?? '').split(';');
  need(q.get(Q_SIGNATURE), Q_SIGNATURE);
  need(q.get(Q_CREDENTIAL), Q_CREDENTIAL);
  need(signedAt >= 0, Q_DATE);
  need(Number.isInteger(expires) && expires > 0 && expires <= MAX_EXPIRES, Q_EXPIRES);
  need(signedHeaders.includes(HOST), Q_SIGNED_HEADERS);
  return { parsedUrl, signedAt, expiresAt: signedAt + expires * 1000, signedHeaders };
}

/**
 * Validates a descriptor received over the wire: its shape, method and URL, that its headers are
 * exactly the signed ones but host (`missing` is the code when one lacks a value), and that
 * `expiresAt` agrees with `X-Amz-Date` + `X-Amz-Expires`. Returns a copy with lower-case header names.
 */
export function readDescriptor(
  value: unknown,
  missing: 'ERR_INVALID_DESCRIPTOR' | 'ERR_MISSING_SIGNED_HEADER' = 'ERR_INVALID_DESCRIPTOR',
): ParsedDescriptor {
  const d = Object(value) as PresignedRequest;
  need(PRESIGNED_METHODS.includes(d.method), 'method');
  const url = readPresignedUrl(d.url);
  need(typeof d.headers === 'object' && d.headers, 'headers');
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(d.headers)) {
    const lower = name.toLowerCase();
    need(
      typeof v === 'string' && !(lower in headers) && lower !== HOST && url.signedHeaders.includes(lower),
      `header ${lower}`,
    );
    headers[lower] = v;
  }
  for (const name of url.signedHeaders) {
    if (name !== HOST && !(name in headers)) {
      throw new PresignError(missing, `The descriptor signs ${name} but gives it no value`);
    }
  }
  need(Math.abs(Date.parse(d.expiresAt) - url.expiresAt) < 1000, 'expiresAt');
  return { request: { method: d.method, url: d.url, headers, expiresAt: d.expiresAt }, ...url };
}

/**
 * Validates a descriptor that came over the wire (shape, method, URL, a value for every signed header
 * but host, `expiresAt` agreeing with `X-Amz-Date` + `X-Amz-Expires`) and returns it with lower-case
 * header names, or throws `PresignError` `ERR_INVALID_DESCRIPTOR` naming the field at fault.
 * @example const put = parseDescriptor(await (await fetch('/api/presign')).json());
 */
export function parseDescriptor(value: unknown): PresignedRequest {
  return readDescriptor(value).request;
}

function need(ok: unknown, what: string): asserts ok {
  if (!ok) throw new PresignError('ERR_INVALID_DESCRIPTOR', `Invalid presigned descriptor: ${what}`);
}
