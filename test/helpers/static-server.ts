import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built browser consumer: build with `npx tsup` before the browser tests. */
export const CONSUMER_DIST = fileURLToPath(new URL('../../dist/consumer/index.js', import.meta.url));

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a blank page at `/` and the built consumer at `/consumer.js` on its own loopback port, so a
 * page talks to the S3 server cross-origin, with real CORS.
 */
export async function startStaticServer(): Promise<StaticServer> {
  const consumer = await readFile(CONSUMER_DIST);
  const server = createServer((req, res) => {
    if (req.url === '/consumer.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(consumer);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>consumer test</title>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
