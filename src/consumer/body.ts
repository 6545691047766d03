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

/** Makes a stream go out with a fixed `content-length` of `size` bytes. */
export type Framer = (stream: ReadableStream<Uint8Array>, size: number) => ReadableStream<Uint8Array>;

/**
 * How this runtime's fetch sends a stream with a fixed `content-length`, which S3 requires of a PUT
 * (it refuses a chunked one), or `undefined` where it cannot: workerd frames a stream by length only
 * when it comes out of a `FixedLengthStream`; Node (undici) and Bun by the `content-length` header;
 * Deno sends every stream chunked, and browsers drop the header (Chromium sends a stream over HTTP/2
 * only). Read at each call, not at load, so it follows the runtime the code runs in.
 */
export function lengthFramer(): Framer | undefined {
  const g = globalThis as {
    FixedLengthStream?: new (size: number) => TransformStream<Uint8Array, Uint8Array>;
    process?: { versions?: { node?: string } };
    Deno?: unknown;
  };
  const Fixed = g.FixedLengthStream;
  if (Fixed) {
    return (stream, size) => {
      const { readable, writable } = new Fixed(size);
      // A failing source fails `readable`, and so the request: nothing to handle here.
      stream.pipeTo(writable).catch(() => {});
      return readable;
    };
  }
  return g.process?.versions?.node && !g.Deno ? (stream) => stream : undefined;
}

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
  if (known === undefined && !lengthFramer()) {
    throw new PresignError('ERR_STREAM_UNSUPPORTED', 'This runtime sends no stream with a content-length: pass a Blob');
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
