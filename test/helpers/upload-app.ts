import { createServer } from 'node:http';
import { listenOnLoopback } from '../../examples/loopback.js';
import type { Presigner } from '../../src/index.js';
import {
  type CompletedUpload,
  createUploadHandler,
  type UploadHandler,
  type UploadHandlerOptions,
} from '../../src/server/index.js';

/** The secret the test handlers seal tokens with (found in a response, it is a leak). */
export const UPLOAD_SECRET = 'upload-secret-CANARY-9f2c7a1e5b3d8c4f6a0e2b7d9c1f3a5e';

/** A presigner that counts what it signs, by method. */
export function countingPresigner(presigner: Presigner): { presigner: Presigner; signed: () => number } {
  let signed = 0;
  const counted = new Proxy(presigner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        signed++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { presigner: counted, signed: () => signed };
}

export interface TestApp {
  uploads: UploadHandler;
  completions: CompletedUpload[];
  /** Calls of presigner methods (each signs or talks to S3). */
  signed: () => number;
}

/**
 * An upload handler with the routes the tests use: `avatar` (images up to 1 MiB, single PUT) and
 * `video` (any type up to 64 MiB, multipart from 5 MiB in 5 MiB parts). The caller is the
 * `x-user` header; no header is no caller.
 */
export function testApp(presigner: Presigner, overrides: Partial<UploadHandlerOptions> = {}): TestApp {
  const completions: CompletedUpload[] = [];
  const counting = countingPresigner(presigner);
  const uploads = createUploadHandler({
    presigner: counting.presigner,
    secret: UPLOAD_SECRET,
    authorize: (request) => {
      const user = request.headers.get('x-user');
      return user ? { id: user } : null;
    },
    routes: {
      avatar: {
        maxSize: 1024 * 1024,
        contentTypes: ['image/png', 'image/jpeg'],
        key: ({ auth }) => `avatars/${auth.id}/${crypto.randomUUID()}`,
        onUploadComplete: (upload) => {
          completions.push(upload);
          return { url: `/a/${upload.key}` };
        },
      },
      video: {
        maxSize: 64 * 1024 * 1024,
        contentTypes: ['video/*', 'application/octet-stream'],
        key: ({ auth, file }) => `videos/${auth.id}/${crypto.randomUUID()}-${file.name}`,
        multipart: { threshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 },
        onUploadComplete: (upload) => {
          completions.push(upload);
          return { ok: true, key: upload.key };
        },
      },
    },
    ...overrides,
  });
  return { uploads, completions, signed: counting.signed };
}

/** Serves `uploads.node` on loopback at `/api/upload`, with CORS for a page on another origin. */
export async function serveNode(
  uploads: UploadHandler,
  options: { preParse?: boolean } = {},
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, x-user, authorization');
    res.setHeader('access-control-allow-methods', 'POST');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (options.preParse) {
      // What express.json() does: the stream read, the object left on req.body.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      (req as unknown as { body: unknown }).body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    }
    await uploads.node(req, res, (error) => {
      res.writeHead(500).end(String(error));
    });
  });
  const { origin, close } = await listenOnLoopback(server);
  return { endpoint: `${origin}/api/upload`, close };
}
