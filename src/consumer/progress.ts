import type { Progress } from './types.js';

/**
 * Reports progress monotonically: a retry that starts over stays silent until it passes what was already
 * reported, and the last byte is held back until `final`, when the response has arrived, so 100% means done.
 */
export function progressReporter(
  on: ((progress: Progress) => void) | undefined,
): (bytes: number, total: number | undefined, final?: boolean) => void {
  let last = -1;
  return (bytes, total, final) => {
    if (final) total = bytes;
    // (`bytes >= undefined` is false: an unknown total holds nothing back.)
    else if (bytes <= last || bytes >= total!) return;
    last = bytes;
    on?.({
      transferredBytes: bytes,
      totalBytes: total,
      percent: total === undefined ? undefined : total ? (bytes / total) * 100 : 100,
    });
  };
}

/** The most bytes counted at once: progress granularity, without a copy (larger chunks are cut into views). */
const CHUNK = 65_536;

/**
 * `stream` with its bytes counted as they are read, in views of at most `CHUNK` bytes: `on(bytes)`
 * after each, `on(bytes, true)` at its end. `settled` runs once when it ends, fails or is cancelled by
 * its reader.
 */
export function tap(
  stream: ReadableStream<Uint8Array>,
  on: (bytes: number, end?: boolean) => void,
  settled?: () => void,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let bytes = 0;
  let chunk: Uint8Array = new Uint8Array(0);
  let at = 0;
  return new ReadableStream({
    async pull(controller) {
      try {
        if (at >= chunk.byteLength) {
          const { done, value } = await reader.read();
          if (done) {
            on(bytes, true);
            settled?.();
            return controller.close();
          }
          chunk = value;
          at = 0;
        }
        const piece = chunk.subarray(at, at + CHUNK);
        at += CHUNK;
        bytes += piece.byteLength;
        on(bytes);
        controller.enqueue(piece);
      } catch (error) {
        settled?.();
        throw error;
      }
    },
    cancel(reason) {
      settled?.();
      return reader.cancel(reason);
    },
  });
}
