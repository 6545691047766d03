// Deno: `deno run --allow-net --allow-env deno.ts` (from npm: `import { createPresigner } from
// 'npm:s3-presign'`). Deno gets the node:crypto build through the `node` export condition.
import { presignRoute } from './presign-route.js';

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(options: { port: number; hostname: string }, handler: (request: Request) => Promise<Response>): unknown;
};
const env = (name: string): string => Deno.env.get(name) ?? '';

const route = presignRoute({
  endpoint: env('S3_ENDPOINT') || undefined,
  region: env('S3_REGION') || 'us-east-1',
  bucket: env('S3_BUCKET'),
  credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
});
Deno.serve({ port: Number(env('PORT') || 8000), hostname: '127.0.0.1' }, route);
