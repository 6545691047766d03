/**
 * The checks made before any byte goes on the wire: header parity, body size and expiry bounds.
 * Each failure has its own code, so a caller (or a test) can tell them apart without reading text.
 */
import type { ParsedDescriptor } from '../descriptor.js';
import { PresignError } from '../errors.js';
import type { SendBody } from './transport.js';
import type { UploadBody } from './types.js';

export const CONTENT_LENGTH = 'content-length';
const AMZ_PREFIX = 'x-amz-';
const HOST = 'host';

export interface Payload {
  data: SendBody;
  /** Byte length; `undefined` for a stream. */
  size: number | undefined;
}

/** Normalises an upload body to what the transport sends, with its exact byte length. */
export function toPayload(body: UploadBody): Payload {
  if (typeof body === 'string') body = new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) body = new Uint8Array(body);
  if (ArrayBuffer.isView(body)) {
    const data = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { data, size: data.byteLength };
  }
  if (body instanceof Blob) return { data: body, size: body.size };
  if (typeof (body as ReadableStream)?.getReader !== 'function') {
    throw new PresignError('ERR_INVALID_BODY', 'The body must be a Blob, bytes, a string or a ReadableStream');
  }
  return { data: body, size: undefined };
}

/** The size the body is sent with, refused when it differs from a signed `content-length`. */
export function bodySize(descriptor: ParsedDescriptor, payload: Payload): number {
  const signed = descriptor.request.headers[CONTENT_LENGTH];
  if (payload.size === undefined && signed === undefined) {
    throw new PresignError('ERR_INVALID_BODY', 'A stream body needs a signed content-length');
  }
  const size = payload.size ?? Number(signed);
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
    if (want === undefined && lower.startsWith(AMZ_PREFIX)) {
      throw new PresignError('ERR_UNSIGNED_HEADER', `Header ${lower} is not signed`);
    }
    if (want !== undefined && value !== want) {
      throw new PresignError('ERR_HEADER_MISMATCH', `Header ${lower} differs from its signed value`);
    }
    if (lower !== HOST) out[lower] = value;
  }
  return out;
}

/** Refuses a descriptor that is not yet valid or that expires within `toleranceMs` of `now`. */
export function expiryError(descriptor: ParsedDescriptor, now: number, toleranceMs: number): PresignError | undefined {
  return descriptor.signedAt > now + toleranceMs
    ? new PresignError('ERR_NOT_YET_VALID', 'The descriptor is signed in the future: check the clocks')
    : descriptor.expiresAt <= now + toleranceMs
      ? new PresignError(
          'ERR_EXPIRED',
          `The descriptor expires at ${descriptor.request.expiresAt}, within clockTolerance`,
          {
            hint: 'pass `refresh`',
          },
        )
      : undefined;
}
