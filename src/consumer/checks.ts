/**
 * The checks made before any byte goes on the wire: header parity, body size and expiry bounds.
 * Each failure has its own code, so a caller (or a test) can tell them apart without reading text.
 */
import type { ParsedDescriptor } from '../descriptor.js';
import { PresignError } from '../errors.js';
import type { SendBody } from './transport.js';
import type { UploadBody } from './types.js';

export const CONTENT_LENGTH = 'content-length';
const HOST = 'host';

/** An upload body as the transport sends it: strings and buffers as `Uint8Array` views (no copy). */
export function toPayload(body: UploadBody): SendBody {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob || isStream(body)) return body;
  throw new PresignError('ERR_INVALID_BODY', 'The body must be a Blob, bytes, a string or a ReadableStream');
}

export const isStream = (body: unknown): body is ReadableStream<Uint8Array> =>
  typeof (body as ReadableStream)?.getReader === 'function';

/** The size the body is sent with, refused when it differs from a signed `content-length`. */
export function bodySize(descriptor: ParsedDescriptor, body: SendBody): number {
  const signed = descriptor.request.headers[CONTENT_LENGTH];
  const size = isStream(body) ? Number(signed ?? Number.NaN) : ((body as Blob).size ?? (body as Uint8Array).byteLength);
  if (Number.isNaN(size)) throw new PresignError('ERR_INVALID_BODY', 'A stream needs a signed content-length');
  if (signed !== undefined && Number(signed) !== size) {
    throw new PresignError('ERR_BODY_SIZE_MISMATCH', `The body is ${size} bytes, not the signed ${signed}`);
  }
  return size;
}

/**
 * The headers to send: exactly the signed ones (so a signed content-type beats a Blob's own type), plus
 * extra headers that neither change a signed value (S3 would answer SignatureDoesNotMatch) nor add an
 * unsigned `x-amz-*` one (S3 refuses those too). Values are not quoted: some are keys (SSE-C).
 */
export function headersToSend(
  descriptor: ParsedDescriptor,
  extra: Record<string, string> = {},
): Record<string, string> {
  const signed = descriptor.request.headers;
  const out = { ...signed };
  for (const [name, raw] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    // SigV4 compares values trimmed with runs of spaces folded; so does the producer's descriptor.
    const value = String(raw)
      .trim()
      .replace(/[\t ]+/g, ' ');
    // host is always signed, from the URL; sending another would break the signature.
    const want = lower === HOST ? descriptor.parsedUrl.host : signed[lower];
    if (want === undefined ? /^x-amz-/.test(lower) : value !== want) {
      throw new PresignError(
        want === undefined ? 'ERR_UNSIGNED_HEADER' : 'ERR_HEADER_MISMATCH',
        `Header ${lower} is not signed${want === undefined ? '' : ' with this value'}`,
      );
    }
    if (lower !== HOST) out[lower] = value;
  }
  return out;
}
