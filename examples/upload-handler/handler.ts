// One upload handler for the whole app: who may upload, what, and where it goes. Mounted by
// next-route.ts (Next.js App Router), hono.ts and express.ts; the last two are run by
// test/integration/upload-examples.test.ts against the embedded S3 server.
import type { Presigner } from '../../src/index.js';
import { createUploadHandler, type UploadHandler } from '../../src/server/index.js';

/** Your session lookup: here a bearer token naming the user (use your auth library's). */
async function userOf(request: Request): Promise<{ id: string } | null> {
  const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
  return token ? { id: token } : null;
}

/** What was stored, as your database would keep it (an upsert by key: a second call is harmless). */
export const stored = new Map<string, { size: number; contentType: string; user: string }>();

export function createUploads(presigner: Presigner, secret: string): UploadHandler {
  return createUploadHandler({
    presigner,
    secret, // >= 32 bytes, the same on every replica: it seals the upload tokens.
    authorize: userOf,
    routes: {
      avatar: {
        maxSize: 5 * 1024 * 1024,
        contentTypes: ['image/png', 'image/jpeg'],
        key: ({ auth }) => `avatars/${auth.id}/${crypto.randomUUID()}`,
        // At least once per upload: keyed by `key`, a second run changes nothing.
        onUploadComplete: async ({ key, size, contentType, auth }) => {
          stored.set(key, { size, contentType, user: auth.id });
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
}
