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
    else if (bytes <= last || (total !== undefined && bytes >= total)) return;
    last = bytes;
    on?.({
      transferredBytes: bytes,
      totalBytes: total,
      percent: total === undefined ? undefined : total === 0 ? 100 : (bytes / total) * 100,
    });
  };
}
