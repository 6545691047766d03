// Next.js App Router: app/api/upload/route.ts. The Web `Request -> Response` handler, as Workers,
// Deno and Bun take it too (`export default { fetch: uploads.fetch }`).
import { createPresigner } from '../../src/index.js';
import { createUploads } from './handler.js';

const uploads = createUploads(
  createPresigner({
    region: process.env.AWS_REGION ?? 'eu-west-1',
    bucket: process.env.UPLOAD_BUCKET ?? 'my-app-uploads',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  }),
  process.env.UPLOAD_SECRET ?? '',
);

export const POST = (request: Request): Promise<Response> => uploads.fetch(request);
