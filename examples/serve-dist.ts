import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The built package (`npm run build`), as a page loads it. */
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * The built JavaScript for a URL path: `/consumer.js` is the consumer entry, and any other
 * `/path.js` the file of that name in dist (the subpath entries and the chunks they share; their
 * relative imports resolve from the site root). `undefined` when there is no such file.
 */
export async function readDist(urlPath: string): Promise<Buffer | undefined> {
  const path = urlPath === '/consumer.js' ? '/consumer/index.js' : urlPath;
  if (!/^(\/[\w-]+)+\.js$/.test(path)) return undefined;
  return readFile(`${DIST}${path.slice(1)}`).catch(() => undefined);
}
