import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { listenOnLoopback } from '../../examples/loopback.js';
import { readDist } from '../../examples/serve-dist.js';

/** The built browser consumer: build with `npx tsup` before the browser tests. */
export const CONSUMER_DIST = fileURLToPath(new URL('../../dist/consumer/index.js', import.meta.url));

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a blank page at `/`, the built consumer at `/consumer.js` and the other built files (the
 * `/consumer/multipart.js` and `/consumer/post.js` subpaths, shared chunks) on its own loopback port, so a
 * page talks to the S3 server cross-origin, with real CORS.
 */
export async function startStaticServer(): Promise<StaticServer> {
  await readFile(CONSUMER_DIST);
  const server = createServer(async (req, res) => {
    const script = await readDist(req.url ?? '');
    if (script !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>consumer test</title>');
    } else {
      res.writeHead(404).end();
    }
  });
  return listenOnLoopback(server);
}
