/**
 * An upload body as the transport sends it, and its size checked against a signed `content-length`
 * before any byte goes on the wire.
 */
import { PresignError } from '../errors.js';
import type { SendBody } from './transport.js';
import type { UploadBody } from './types.js';

export const CONTENT_LENGTH = 'content-length';

export const isStream = (body: unknown): body is ReadableStream<Uint8Array> =>
  typeof (body as ReadableStream)?.getReader === 'function';

/**
 * The body as the transport sends it (strings as UTF-8, buffers as `Uint8Array` views: no copy), and a
 * check that it is sent with its exact size: `check(signed)` returns the size, refusing one that differs
 * from a signed `content-length`, or a stream without one.
 */
export function toPayload(body: UploadBody): [SendBody, (signed: Record<string, string>) => number] {
  if (typeof body === 'string') body = new TextEncoder().encode(body);
  const payload =
    body instanceof ArrayBuffer || ArrayBuffer.isView(body)
      ? new Uint8Array((body as Uint8Array).buffer ?? body, (body as Uint8Array).byteOffset, body.byteLength)
      : body;
  const known: number | undefined = (payload as Blob).size ?? (payload as Uint8Array).byteLength;
  if (known === undefined && !isStream(payload)) {
    throw new PresignError('ERR_INVALID_BODY', 'Unsupported body type');
  }
  return [
    payload as SendBody,
    (signed) => {
      const length = signed[CONTENT_LENGTH];
      const size = known ?? Number(length); // NaN for a stream without one
      if (Number.isNaN(size)) throw new PresignError('ERR_INVALID_BODY', 'A stream needs a signed content-length');
      if (length && Number(length) !== size) {
        throw new PresignError('ERR_BODY_SIZE_MISMATCH', `Body of ${size} bytes, signed for ${length}`);
      }
      return size;
    },
  ];
}
