// One upload handler, mounted three ways: a Web `Request -> Response` route (Next.js App Router,
// Hono, Workers, Deno, Bun) and node:http / Express. Type-checked with the rest of examples/ (tsconfig.json).
import { createServer } from 'node:http';
import { createPresigner } from '../../src/index.js';
import { createUploadHandler } from '../../src/server/index.js';

const presigner = createPresigner({
  region: 'eu-west-1',
  bucket: 'my-app-uploads',
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  },
});

/** Your session lookup: here a bearer token naming the user (use your auth library's). */
async function userOf(request: Request): Promise<{ id: string } | null> {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
  return token ? { id: token } : null;
}

export const uploads = createUploadHandler({
  presigner,
  secret: process.env.UPLOAD_SECRET ?? 'a development secret of at least 32 bytes',
  authorize: userOf,
  routes: {
    avatar: {
      maxSize: 5 * 1024 * 1024,
      contentTypes: ['image/png', 'image/jpeg'],
      key: ({ auth }) => `avatars/${auth.id}/${crypto.randomUUID()}`,
      // At least once per upload: an upsert keyed by `key` makes a second run harmless.
      onUploadComplete: async ({ key, size, contentType, auth }) => {
        console.log('stored', { key, size, contentType, user: auth.id });
        return { url: `/a/${key}` };
      },
    },
    video: {
      maxSize: 2 * 1024 ** 3,
      contentTypes: ['video/*'],
      key: ({ auth }) => `videos/${auth.id}/${crypto.randomUUID()}`,
      multipart: { threshold: 64 * 1024 * 1024 },
    },
  },
});

// Next.js App Router (app/api/upload/route.ts), Hono (`app.post('/api/upload', (c) => uploads.fetch(c.req.raw))`),
// Workers (`export default { fetch: uploads.fetch }`):
export const POST = (request: Request): Promise<Response> => uploads.fetch(request);

// node:http; with Express: `app.post('/api/upload', express.json(), uploads.node)` (a parsed body is fine).
export const server = createServer((req, res) => {
  if (req.url === '/api/upload') void uploads.node(req, res);
  else res.writeHead(404).end();
});
