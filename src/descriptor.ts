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

/** `20130524T000000Z` -> ms since the epoch, or NaN. */
export function parseAmzDate(value: string | null): number {
  const m = AMZ_DATE.exec(value ?? '');
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

/**
 * Reads the signature's own facts from a presigned URL (date, lifetime, signed headers) or throws
 * `ERR_INVALID_DESCRIPTOR`; the message names the problem, never the URL's secret parts.
 */
export function readPresignedUrl(url: unknown): Omit<ParsedDescriptor, 'request'> {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url as string);
  } catch {
    throw invalid('url is not an absolute URL');
  }
  if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') throw invalid('url must be http(s)');
  const q = parsedUrl.searchParams;
  const signedAt = parseAmzDate(q.get(Q_DATE));
  const expires = Number(q.get(Q_EXPIRES) ?? Number.NaN);
  const signedHeaders = q.get(Q_SIGNED_HEADERS)?.split(';') ?? [];
  if (!q.get(Q_SIGNATURE) || !q.get(Q_CREDENTIAL)) throw invalid(`url has no ${Q_SIGNATURE} or ${Q_CREDENTIAL}`);
  if (Number.isNaN(signedAt)) throw invalid(`url has no valid ${Q_DATE}`);
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES) {
    throw invalid(`url's ${Q_EXPIRES} must be whole seconds from 1 to ${MAX_EXPIRES}`);
  }
  if (!signedHeaders.includes('host')) throw invalid(`url's ${Q_SIGNED_HEADERS} must include host`);
  return { parsedUrl, signedAt, expiresAt: signedAt + expires * 1000, signedHeaders };
}

/**
 * Validates a descriptor received over the wire: its shape, method and URL, that its headers are
 * exactly the signed ones (`missing` is the code when one lacks a value), and that `expiresAt`
 * agrees with `X-Amz-Date` + `X-Amz-Expires`. Returns a copy with lower-case header names.
 */
export function readDescriptor(
  value: unknown,
  missing: 'ERR_INVALID_DESCRIPTOR' | 'ERR_MISSING_SIGNED_HEADER' = 'ERR_INVALID_DESCRIPTOR',
): ParsedDescriptor {
  const d = value as PresignedRequest;
  if (typeof d !== 'object' || d === null) throw invalid('a descriptor must be an object');
  if (!PRESIGNED_METHODS.includes(d.method)) throw invalid(`method must be one of ${PRESIGNED_METHODS.join(', ')}`);
  const url = readPresignedUrl(d.url);
  if (typeof d.headers !== 'object' || d.headers === null) throw invalid('headers must be an object');
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(d.headers)) {
    const lower = name.toLowerCase();
    if (typeof v !== 'string' || lower in headers) throw invalid(`header ${lower} must be one string`);
    if (!url.signedHeaders.includes(lower) || lower === 'host')
      throw invalid(`header ${lower} is not one of ${Q_SIGNED_HEADERS} but host`);
    headers[lower] = v;
  }
  for (const name of url.signedHeaders) {
    if (name !== 'host' && !(name in headers)) {
      throw new PresignError(missing, `The descriptor signs ${name} but gives it no value`, {
        hint: 'pass the descriptor exactly as the producer returned it',
      });
    }
  }
  const expiresAt = Date.parse(d.expiresAt);
  if (typeof d.expiresAt !== 'string' || !(Math.abs(expiresAt - url.expiresAt) < 1000)) {
    throw invalid(`expiresAt does not agree with ${Q_DATE} + ${Q_EXPIRES}`);
  }
  return { request: { method: d.method, url: d.url, headers, expiresAt: d.expiresAt }, ...url };
}

/**
 * Validates a descriptor that came over the wire (shape, method, URL, a value for every signed header
 * but host, `expiresAt` agreeing with `X-Amz-Date` + `X-Amz-Expires`) and returns it with lower-case
 * header names, or throws `PresignError` `ERR_INVALID_DESCRIPTOR`.
 * @example const put = parseDescriptor(await (await fetch('/api/presign')).json());
 */
export function parseDescriptor(value: unknown): PresignedRequest {
  return readDescriptor(value).request;
}

function invalid(problem: string): PresignError {
  return new PresignError('ERR_INVALID_DESCRIPTOR', `Invalid presigned descriptor: ${problem}`);
}
