// One presign route, Web `Request -> Response`: what Cloudflare Workers, Deno, Bun, Next.js route
// handlers and Hono share. The browser POSTs `{ key, size, type }` as JSON and gets a PUT descriptor
// that S3 accepts for exactly that size and type (see browser.ts). Mounted by worker.ts, deno.ts,
// bun.ts and next-route.ts.
import { createPresigner, isPresignError, type PresignerOptions } from '../../src/index.js';

const MAX_SIZE = 10 * 1024 * 1024;
const TYPES = new Set(['image/png', 'image/jpeg', 'text/plain']);

export function presignRoute(options: PresignerOptions): (request: Request) => Promise<Response> {
  const presigner = createPresigner(options); // once: it caches the signing key
  return async (request) => {
    if (request.method !== 'POST') return Response.json({ error: 'POST only' }, { status: 405 });
    const body = await request.json().catch(() => null);
    const { key, size, type } = (body ?? {}) as { key?: unknown; size?: unknown; type?: unknown };
    if (typeof key !== 'string' || !/^[\w.-]{1,200}$/.test(key)) {
      return Response.json({ error: 'key: letters, digits, . _ -' }, { status: 400 });
    }
    if (typeof size !== 'number' || size > MAX_SIZE) return Response.json({ error: 'size' }, { status: 413 });
    if (typeof type !== 'string' || !TYPES.has(type)) return Response.json({ error: 'type' }, { status: 415 });
    try {
      // Size and type are signed: S3 refuses any other body.
      const put = await presigner.presignPut({ key: `uploads/${key}`, contentLength: size, contentType: type });
      return Response.json(put);
    } catch (error) {
      // Coded, and free of secrets: safe to log; the browser gets the code only.
      if (isPresignError(error)) return Response.json({ error: error.code }, { status: 400 });
      throw error;
    }
  };
}
