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

/** `stream` with its chunks counted as they pass: `on(bytes)` after each, `on(bytes, true)` at its end. */
export function tap(
  stream: ReadableStream<Uint8Array>,
  on: (bytes: number, end?: boolean) => void,
): ReadableStream<Uint8Array> {
  let bytes = 0;
  return stream.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        bytes += chunk.byteLength;
        on(bytes);
      },
      flush: () => on(bytes, true),
    }),
  );
}
