/**
 * An upload body as the transport sends it, and its size checked against a signed `content-length`
 * before any byte goes on the wire.
 */
import { PresignError } from '../errors.js';
import type { UploadBody } from './types.js';

export const CONTENT_LENGTH = 'content-length';

/** A body as the transport sends it: strings become UTF-8 bytes, buffers `Uint8Array` views. */
export type SendBody = Blob | Uint8Array | ReadableStream<Uint8Array>;

export const isStream = (body: unknown): body is ReadableStream<Uint8Array> =>
  typeof (body as ReadableStream)?.getReader === 'function';

/** A body ready to send, and the check that it goes with its exact size. */
export interface Payload {
  body: SendBody;
  /**
   * The size to send, given the signed headers: refuses a body whose size differs from a signed
   * `content-length`, or a stream without one.
   */
  sizeFor(signed: Record<string, string>): number;
}

/** The body as the transport sends it (no copy of buffers), with its size check. */
export function toPayload(input: UploadBody): Payload {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const body =
    bytes instanceof ArrayBuffer || ArrayBuffer.isView(bytes)
      ? new Uint8Array((bytes as Uint8Array).buffer ?? bytes, (bytes as Uint8Array).byteOffset, bytes.byteLength)
      : bytes;
  const known: number | undefined = (body as Blob).size ?? (body as Uint8Array).byteLength;
  if (known === undefined && !isStream(body)) {
    throw new PresignError('ERR_INVALID_BODY', 'Unsupported body type');
  }
  return {
    body: body as SendBody,
    sizeFor(signed) {
      const length = signed[CONTENT_LENGTH];
      const size = known ?? Number(length); // NaN for a stream without one
      if (Number.isNaN(size)) throw new PresignError('ERR_INVALID_BODY', 'A stream needs a signed content-length');
      if (length && Number(length) !== size) {
        throw new PresignError('ERR_BODY_SIZE_MISMATCH', `Body of ${size} bytes, signed for ${length}`);
      }
      return size;
    },
  };
}
