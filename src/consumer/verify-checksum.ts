/**
 * A downloaded body checked against the object's checksum as it is read: loaded only by a download
 * that asked for `verifyChecksum` (download.ts imports it when it needs it), so pages that never
 * verify never carry the checksum code.
 */
import { PresignError } from '../errors.js';
import { type ChecksumAlgorithm, type CrcAlgorithm, checksumOf, createCrc } from './checksum/index.js';

/**
 * `stream`, passed through unchanged, that fails at its end with `ERR_CHECKSUM_MISMATCH` when its bytes
 * do not have the checksum `expected` (base64) of `algorithm`. CRCs run one chunk at a time; SHA1 and
 * SHA256 go through WebCrypto, which does not stream, so their bytes are kept until the end.
 */
export function verifying(
  stream: ReadableStream<Uint8Array>,
  algorithm: ChecksumAlgorithm,
  expected: string,
): ReadableStream<Uint8Array> {
  const crc = algorithm.startsWith('CRC') ? createCrc(algorithm as CrcAlgorithm) : undefined;
  const kept: Uint8Array[] = [];
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (crc) crc.update(chunk);
        else kept.push(chunk.slice());
        controller.enqueue(chunk);
      },
      async flush() {
        const actual = crc ? crc.digest() : await checksumOf(new Blob(kept as BlobPart[]), algorithm);
        if (actual !== expected) {
          throw new PresignError(
            'ERR_CHECKSUM_MISMATCH',
            `The body's ${algorithm} is ${actual}, the object's ${expected}: the bytes changed on the way`,
          );
        }
      },
    }),
  );
}
