/**
 * The node:http / Express / Connect adapter: the request becomes a Web `Request` (its body read from
 * the stream, or taken from `req.body` when a body parser such as `express.json()` already read it),
 * the Web handler answers, and the answer is written to `res`.
 */
import { MAX_BODY_BYTES } from './protocol.js';
import type { NodeRequest, NodeResponse } from './types.js';

function headersOf(req: NodeRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  // The body is re-serialised below: its old length and encoding no longer describe it.
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.delete('transfer-encoding');
  return headers;
}

async function bodyOf(req: NodeRequest): Promise<string | undefined> {
  if (req.body !== undefined && req.body !== null) {
    // A body parser ran first: express.json() leaves an object, express.text() a string, raw() bytes.
    if (typeof req.body === 'string') return req.body;
    if (req.body instanceof Uint8Array) return new TextDecoder().decode(req.body);
    // express.json() without a body leaves `{}`; the stream is consumed either way.
    return JSON.stringify(req.body);
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    length += bytes.length;
    if (length > MAX_BODY_BYTES) return undefined;
    chunks.push(bytes);
  }
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}

/** Wraps a Web handler as `(req, res, next?) => Promise<void>`. */
export function nodeAdapter(
  handle: (request: Request) => Promise<Response>,
): (req: NodeRequest, res: NodeResponse, next?: (error?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    try {
      const headers = headersOf(req);
      const host = headers.get('host') ?? 'localhost';
      const method = (req.method ?? 'GET').toUpperCase();
      const body = method === 'GET' || method === 'HEAD' ? undefined : await bodyOf(req);
      // An over-long body is answered by the handler as too large: one byte past the limit says so.
      const request = new Request(new URL(req.url ?? '/', `http://${host}`), {
        method,
        headers,
        body: body === undefined && method === 'POST' ? ' '.repeat(MAX_BODY_BYTES + 1) : (body ?? null),
      });
      const response = await handle(request);
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      res.writeHead(response.status, out);
      res.end(await response.text());
    } catch (error) {
      if (next) next(error);
      else throw error;
    }
  };
}
