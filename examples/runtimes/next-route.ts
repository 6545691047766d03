// Next.js App Router: app/api/presign/route.ts. Route handlers run in Node by default (the node
// build); with `export const runtime = 'edge'` they get the portable build, unchanged code.
import { presignRoute } from './presign-route.js';

const route = presignRoute({
  region: process.env.AWS_REGION ?? 'eu-west-1',
  bucket: process.env.UPLOAD_BUCKET ?? 'my-app-uploads',
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  },
});

export const POST = (request: Request): Promise<Response> => route(request);
