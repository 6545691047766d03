// A backend route that hands out descriptors, and the page that uploads with the consumer.
// Run it: `npm run build && npx tsx examples/browser-upload/server.ts`, then open the printed address.
// The browser test runs this very file, so it cannot rot.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createPresigner, type Presigner } from '../../src/index.js';
import { listenOnLoopback } from '../loopback.js';
import { DIST, readDist } from '../serve-dist.js';

/** The largest upload this backend signs for; S3 refuses any other size, since content-length is signed. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const PAGE = new URL('./index.html', import.meta.url);

export interface BrowserUploadExample {
  origin: string;
  close(): Promise<void>;
}

interface UploadRequest {
  name: string;
  type: string;
  size: number;
}

async function json(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

/**
 * `POST /api/uploads` `{ name, type, size }` -> `{ put, get }`: the backend decides the key and signs
 * the type and the exact size, so the browser can send nothing else. Everything else serves the page
 * and the built consumer.
 */
export async function startBrowserUploadExample(presigner: Presigner, port = 0): Promise<BrowserUploadExample> {
  const page = await readFile(PAGE);
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url === '/api/uploads') {
        const { name, type, size } = (await json(req)) as UploadRequest;
        if (!Number.isSafeInteger(size) || size < 0 || size > MAX_UPLOAD_BYTES) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"size"}');
          return;
        }
        const key = `uploads/${randomUUID()}/${String(name).replace(/[^\w.-]+/g, '_')}`;
        const put = await presigner.presignPut({
          key,
          contentType: type || 'application/octet-stream',
          contentLength: size,
        });
        const get = await presigner.presignGet({ key });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key, put, get }));
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      } else {
        const script = await readDist(req.url ?? '');
        if (script === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
  return listenOnLoopback(server, port);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { S3RVER_CREDENTIALS, startS3, TEST_BUCKET, TEST_REGION } = await import('../local-s3.js');
  const s3 = await startS3();
  const presigner = createPresigner({
    region: TEST_REGION,
    endpoint: s3.endpoint,
    credentials: S3RVER_CREDENTIALS,
    bucket: TEST_BUCKET,
  });
  const app = await startBrowserUploadExample(presigner, 8080);
  console.log(`open ${app.origin} (S3 on ${s3.endpoint}; built consumer from ${DIST})`);
}
