/**
 * A downloaded body checked against the object's checksum as it is read: loaded only by a download
 * that asked for `verifyChecksum` (download.ts imports it when it needs it), so pages that never
 * verify never carry the checksum code.
 */
import type { PresignedRequest } from '../contract/request.js';
import { PresignError } from '../errors.js';
import { type ChecksumAlgorithm, type CrcAlgorithm, checksumOf, createCrc } from './checksum/index.js';
import type { ChecksumCheck } from './types.js';

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

/**
 * The checksums S3 may answer with, most likely first (CRC64NVME is its default for new objects). Its
 * own list, not CHECKSUM_BYTES: this chunk is loaded lazily, and sharing that module with the page's
 * up-front code would move it into the up-front chunk.
 */
const ALGORITHMS = ['CRC64NVME', 'CRC32', 'CRC32C', 'SHA256', 'SHA1'] as const;
const RANGE = "a range has no checksum of its own (S3's is the whole object's)";

const unavailable = (reason: string) =>
  new PresignError('ERR_CHECKSUM_UNAVAILABLE', `Nothing to verify the download against: ${reason}`, {
    hint: "verifyChecksum: 'if-present' downloads it unverified",
  });

/** The object's checksum S3 answered with, or why there is none to compare with. */
function answeredChecksum(response: Response): ChecksumCheck {
  if (response.status === 206) return { verified: false, reason: RANGE };
  for (const algorithm of ALGORITHMS) {
    const value = response.headers.get(`x-amz-checksum-${algorithm.toLowerCase()}`);
    if (value === null) continue;
    if (value.includes('-') || response.headers.get('x-amz-checksum-type') === 'COMPOSITE') {
      return {
        verified: false,
        algorithm,
        value,
        reason: 'a composite multipart checksum is of the parts, not of the bytes',
      };
    }
    return { verified: true, algorithm, value };
  }
  return {
    verified: false,
    reason: 'S3 sent no x-amz-checksum-* header (the object has none, or CORS does not expose it)',
  };
}

/** A download's check: what it found, and the response whose body is checked as it is read. */
export interface DownloadVerifier {
  found: ChecksumCheck;
  check(response: Response): Promise<Response>;
}

/**
 * The check of `download`'s `verifyChecksum`: `true` refuses, before the network, a GET not signed with
 * checksum mode or signed with a range, and after it an answer with no checksum to compare with
 * (`ERR_CHECKSUM_UNAVAILABLE`); `'if-present'` says why in `found` instead.
 */
export function downloadVerifier(request: PresignedRequest, mode: true | 'if-present'): DownloadVerifier {
  const strict = mode === true;
  const headers = request.headers ?? {};
  const refusal =
    headers['x-amz-checksum-mode'] !== 'ENABLED'
      ? 'the GET was not signed with checksumMode: true, so S3 sends no checksum'
      : headers.range !== undefined
        ? RANGE
        : undefined;
  if (strict && refusal) throw unavailable(refusal);
  const verifier: DownloadVerifier = {
    found: refusal ? { verified: false, reason: refusal } : { verified: false },
    async check(response) {
      if (refusal) return response;
      const found = answeredChecksum(response);
      verifier.found = found;
      if (strict && found.reason !== undefined) {
        await response.body?.cancel();
        throw unavailable(found.reason);
      }
      if (!found.verified || !response.body) return response;
      return new Response(verifying(response.body, found.algorithm!, found.value!), response);
    },
  };
  return verifier;
}
